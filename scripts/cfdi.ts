// CFDI command line (plain Node):
//   npm run cfdi -- cadena FILE.xml
//   npm run cfdi -- verify FILE.xml [--pac-cert C.cer]...   (what POST /cfdi/verificar answers)
//   npm run cfdi -- json FILE.xml                            (the CFDI as JSON, as that answer's `cfdi`)
//   npm run cfdi -- comparar DIR [--xslt cadenaoriginal_4_0.xslt]
//                    (every *.xml under DIR: our cadena against xsltproc's run of the SAT stylesheet, byte for byte)
//   npm run cfdi -- build FILE.json --cer C.cer --key K.key --password P --emisor-regimen 601 --lugar-expedicion 06600
//                    [--emisor-nombre "RAZON SOCIAL"] [--tipo I|E|P] [--ahora 2026-01-01T12:00:00Z]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, TextDecoder } from 'node:util';
import { cadenaOriginal, cfdiJson, CsdError, emitirCfdi, emitirComplementoPago, leerCsd, leerRecibido, RecibidoError, textoXml, verificarRecibido } from '../src/cfdi';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USO = `uso:
  cfdi cadena FILE.xml
  cfdi verify FILE.xml [--pac-cert C.cer ...]
  cfdi json FILE.xml
  cfdi comparar DIR [--xslt cadenaoriginal_4_0.xslt]
  cfdi build FILE.json --cer C.cer --key K.key --password P --emisor-regimen R --lugar-expedicion CP [--emisor-nombre N] [--tipo I|E|P] [--ahora ISO]
`;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const texto = (f: string) => utf8.decode(readFileSync(f));
const bytes = (f: string) => new Uint8Array(readFileSync(f));
/** An XML file decoded as its declaration says (ISO-8859-1 and Windows-1252 files too), as the API reads it. */
const xmlDe = (f: string) => textoXml(bytes(f));

/** A certificate file as DER, accepting PEM too. */
function der(f: string): Uint8Array {
  const b = bytes(f);
  const s = Buffer.from(b).toString('latin1');
  return s.startsWith('-----BEGIN') ? new Uint8Array(Buffer.from(s.replace(/-----[^-]+-----|\s/g, ''), 'base64')) : b;
}

async function build(archivo: string, v: Record<string, string | boolean | string[] | undefined>, io: Io): Promise<number> {
  const faltan = ['cer', 'key', 'password', 'emisor-regimen', 'lugar-expedicion'].filter((k) => typeof v[k] !== 'string');
  if (faltan.length) {
    io.stderr(`faltan opciones: ${faltan.map((k) => '--' + k).join(' ')}\n${USO}`);
    return 2;
  }
  const input: unknown = JSON.parse(texto(archivo));
  const ahora = typeof v.ahora === 'string' ? new Date(v.ahora) : undefined;
  if (ahora && Number.isNaN(ahora.getTime())) {
    io.stderr(`--ahora no es una fecha ISO: ${v.ahora}\n`);
    return 2;
  }
  const { csd } = await leerCsd(bytes(v.cer as string), bytes(v.key as string), v.password as string, { ahora });
  const emisor = {
    rfc: csd.rfc,
    nombre: (v['emisor-nombre'] as string | undefined) ?? csd.nombre,
    regimenFiscal: v['emisor-regimen'] as string,
    lugarExpedicion: v['lugar-expedicion'] as string,
  };
  const esPago = typeof input === 'object' && input !== null && Array.isArray((input as { pagos?: unknown }).pagos);
  const tipo = (v.tipo as string | undefined) ?? (esPago ? 'P' : 'I');
  if (tipo !== 'I' && tipo !== 'E' && tipo !== 'P') {
    io.stderr(`--tipo debe ser I, E o P\n`);
    return 2;
  }
  const r = tipo === 'P' ? await emitirComplementoPago(input, emisor, csd, { ahora }) : await emitirCfdi(input, emisor, csd, { tipo, ahora });
  if (!r.ok) {
    io.stderr(JSON.stringify({ errors: r.errors }, null, 2) + '\n');
    return 1;
  }
  io.stdout(r.xml);
  return 0;
}

const XSLT_SAT = path.join(import.meta.dirname, '../test/fixtures/sat/www.sat.gob.mx/sitio_internet/cfd/4/cadenaoriginal_4_0/cadenaoriginal_4_0.xslt');

function archivosXml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.xml'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * For a corpus of CFDIs from elsewhere: each file's cadena against xsltproc's. A file libxml2 refuses must be
 * refused here too; one it accepts must give the same bytes. Exit 1 on any difference.
 */
function comparar(dir: string, xslt: string, io: Io): number {
  const cuenta = { iguales: 0, distintas: 0, ambos_rechazan: 0, solo_xsltproc_rechaza: 0, solo_hexafac_rechaza: 0 };
  for (const f of archivosXml(dir)) {
    const r = spawnSync('xsltproc', [xslt, f], { maxBuffer: 1 << 28 });
    if (r.error) {
      io.stderr(`xsltproc es necesario (apt-get install xsltproc): ${r.error.message}\n`);
      return 2;
    }
    let nuestra: string | Error;
    try {
      nuestra = cadenaOriginal(xmlDe(f));
    } catch (e) {
      nuestra = e as Error;
    }
    const suya = r.status === 0 ? new TextDecoder().decode(r.stdout) : undefined;
    const nombre = path.relative(dir, f);
    if (suya === undefined) {
      const ambos = nuestra instanceof Error;
      cuenta[ambos ? 'ambos_rechazan' : 'solo_xsltproc_rechaza']++;
      io.stdout(`${ambos ? 'rechazado' : 'DIFF'} ${nombre}: xsltproc lo rechaza${ambos ? ' y HexaFac también' : ', HexaFac no'}\n`);
    } else if (nuestra instanceof Error) {
      cuenta.solo_hexafac_rechaza++;
      io.stdout(`DIFF ${nombre}: HexaFac lo rechaza: ${nuestra.message}\n`);
    } else if (nuestra === suya) {
      cuenta.iguales++;
      io.stdout(`ok   ${nombre}\n`);
    } else {
      cuenta.distintas++;
      let i = 0;
      while (nuestra[i] === suya[i]) i++;
      io.stdout(`DIFF ${nombre}: desde el carácter ${i}: HexaFac …${JSON.stringify(nuestra.slice(i, i + 40))} xsltproc …${JSON.stringify(suya.slice(i, i + 40))}\n`);
    }
  }
  io.stdout(`\n${Object.entries(cuenta).map(([k, n]) => `${k.replace(/_/g, ' ')}: ${n}`).join('\n')}\n`);
  return cuenta.distintas + cuenta.solo_xsltproc_rechaza + cuenta.solo_hexafac_rechaza ? 1 : 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'pac-cert': { type: 'string', multiple: true },
        xslt: { type: 'string' },
        cer: { type: 'string' },
        key: { type: 'string' },
        password: { type: 'string' },
        'emisor-regimen': { type: 'string' },
        'emisor-nombre': { type: 'string' },
        'lugar-expedicion': { type: 'string' },
        tipo: { type: 'string' },
        ahora: { type: 'string' },
      },
    });
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USO}`);
    return 2;
  }
  const [comando, archivo, ...resto] = parsed.positionals;
  if (!archivo || resto.length) {
    io.stderr(USO);
    return 2;
  }
  try {
    switch (comando) {
      case 'cadena':
        // exactly the stylesheet's output: no trailing newline
        io.stdout(cadenaOriginal(xmlDe(archivo)));
        return 0;
      case 'verify': {
        const r = await verificarRecibido(bytes(archivo), { certificadosPac: (parsed.values['pac-cert'] ?? []).map(der) });
        io.stdout(JSON.stringify(r, null, 2) + '\n');
        return r.valido ? 0 : 1;
      }
      case 'json':
        io.stdout(JSON.stringify(cfdiJson(leerRecibido(bytes(archivo))), null, 2) + '\n');
        return 0;
      case 'build':
        return await build(archivo, parsed.values, io);
      case 'comparar':
        return comparar(archivo, (parsed.values.xslt as string | undefined) ?? XSLT_SAT, io);
      default:
        io.stderr(USO);
        return 2;
    }
  } catch (e) {
    const codigo = e instanceof CsdError || e instanceof RecibidoError ? `${e.code}: ` : '';
    const detalles = e instanceof RecibidoError ? e.details.map((d) => `  ${d.path}: ${d.message}\n`).join('') : '';
    io.stderr(`${codigo}${(e as Error).message}\n${detalles}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
