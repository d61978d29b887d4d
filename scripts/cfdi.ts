// CFDI command line (plain Node):
//   npm run cfdi -- cadena FILE.xml
//   npm run cfdi -- verify FILE.xml [--pac-cert C.cer]...
//   npm run cfdi -- build FILE.json --cer C.cer --key K.key --password P --emisor-regimen 601 --lugar-expedicion 06600
//                    [--emisor-nombre "RAZON SOCIAL"] [--tipo I|E|P] [--ahora 2026-01-01T12:00:00Z]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, TextDecoder } from 'node:util';
import { emitirCfdi, cadenaOriginal, CsdError, leerCsd, emitirComplementoPago, verificarCfdi } from '../src/cfdi';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USO = `uso:
  cfdi cadena FILE.xml
  cfdi verify FILE.xml [--pac-cert C.cer ...]
  cfdi build FILE.json --cer C.cer --key K.key --password P --emisor-regimen R --lugar-expedicion CP [--emisor-nombre N] [--tipo I|E|P] [--ahora ISO]
`;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const texto = (f: string) => utf8.decode(readFileSync(f));
const bytes = (f: string) => new Uint8Array(readFileSync(f));

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

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'pac-cert': { type: 'string', multiple: true },
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
        io.stdout(cadenaOriginal(texto(archivo)));
        return 0;
      case 'verify': {
        const r = await verificarCfdi(texto(archivo), { pacCertificates: (parsed.values['pac-cert'] ?? []).map(der) });
        io.stdout(JSON.stringify(r, null, 2) + '\n');
        return r.valido ? 0 : 1;
      }
      case 'build':
        return await build(archivo, parsed.values, io);
      default:
        io.stderr(USO);
        return 2;
    }
  } catch (e) {
    io.stderr(`${e instanceof CsdError ? `${e.code}: ` : ''}${(e as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
