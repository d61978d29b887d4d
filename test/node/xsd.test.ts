import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitir, leerCertificado, leerCsd, parseXml, pemToDer, timbrarCfdi, validateXsd, type Csd, type TipoEmitible, type XmlLeido } from '../../src/cfdi';

// The core's XSD validator and XML reader against libxml2 (xmllint, which CI installs before `npm test`) with the
// SAT's own XSDs from ../shared: every CFDI the fixtures make, every XML under test/fixtures and test/output/cfdi,
// and thousands of copies mutated one attribute or element at a time must get the same verdict from both.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const fixtures = path.join(root, 'test/fixtures');
const satDir = path.resolve(process.env.SAT_DIR ?? path.join(root, '../shared/sat/www.sat.gob.mx'));
const cfd = path.join(satDir, 'sitio_internet/cfd');
const tmp = mkdtempSync(path.join(tmpdir(), 'hexafac-xsd-'));

// xmllint takes one schema: one that imports the ones the core writes
const esquema = path.join(tmp, 'cfdi.xsd');
writeFileSync(
  esquema,
  `<?xml version="1.0" encoding="UTF-8"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.sat.gob.mx/cfd/4" schemaLocation="${cfd}/4/cfdv40.xsd"/>
  <xs:import namespace="http://www.sat.gob.mx/TimbreFiscalDigital" schemaLocation="${cfd}/TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd"/>
  <xs:import namespace="http://www.sat.gob.mx/Pagos20" schemaLocation="${cfd}/Pagos/Pagos20.xsd"/>
  <xs:import namespace="http://www.sat.gob.mx/nomina12" schemaLocation="${cfd}/nomina/nomina12.xsd"/>
  <xs:import namespace="http://www.sat.gob.mx/CartaPorte31" schemaLocation="${cfd}/CartaPorte/CartaPorte31.xsd"/>
</xs:schema>`,
);

/** xmllint's output for `docs` (name → text), written to a fresh folder and checked in one run per 500 files. */
function xmllint(docs: Map<string, string>, args: string[]): Map<string, string[]> {
  const dir = mkdtempSync(path.join(tmp, 'lote-'));
  const names = [...docs.keys()];
  const lines = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const [n, text] of docs) writeFileSync(path.join(dir, n), text);
  for (let i = 0; i < names.length; i += 500) {
    const r = spawnSync('xmllint', ['--noout', ...args, ...names.slice(i, i + 500)], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.error) throw new Error(`xmllint is needed (apt-get install libxml2-utils): ${r.error.message}`);
    for (const l of `${r.stdout}\n${r.stderr}`.split('\n')) {
      const name = /^([^:\s]+\.xml)(?::| validates$| fails to validate$)/.exec(l)?.[1];
      if (name) lines.get(name)?.push(l);
    }
  }
  return lines;
}

/** Valid iff xmllint said so; ours: parses and validateXsd finds nothing. */
function veredictos(docs: Map<string, string>) {
  const lint = xmllint(docs, ['--schema', esquema]);
  const distintos: string[] = [];
  for (const [n, text] of docs) {
    const suyo = lint.get(n)!.includes(`${n} validates`);
    let nuestro: string[];
    try {
      nuestro = validateXsd(parseXml(text)).map((i) => `${i.path}: ${i.message}`);
    } catch (e) {
      nuestro = [(e as Error).message];
    }
    if (suyo !== (nuestro.length === 0)) distintos.push(`${n}\n  xmllint: ${lint.get(n)!.slice(0, 2).join(' | ')}\n  validateXsd: ${nuestro.slice(0, 2).join(' | ')}`);
  }
  return distintos;
}

const EMISOR = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
// as the emission tests: ingresos at 12:00 Mexico City time, pagos an hour later than their fecha
const AHORA = { I: new Date('2026-11-20T18:00:00Z'), E: new Date('2026-11-20T18:00:00Z'), P: new Date('2026-11-20T19:00:00Z') };
const emitidos = new Map<string, string>();

beforeAll(async () => {
  const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
  const { csd }: { csd: Csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: AHORA.I });
  const llave = await crypto.subtle.importKey('pkcs8', pemToDer(readFileSync(path.join(fixtures, 'pac/sandbox-pac.key.pem'), 'utf8')), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const noCertificadoSAT = leerCertificado(leer('pac/sandbox-pac.cer')).noCertificado;
  for (const f of readdirSync(path.join(fixtures, 'cfdi')).filter((f) => f.endsWith('.json'))) {
    const tipo: TipoEmitible = f.startsWith('pago') ? 'P' : f.startsWith('egreso') ? 'E' : 'I';
    const r = await emitir(tipo, JSON.parse(readFileSync(path.join(fixtures, 'cfdi', f), 'utf8')), EMISOR, csd, { ahora: AHORA[tipo] });
    if (!r.ok) throw new Error(`${f}: ${JSON.stringify(r.errors)}`);
    const { xml } = await timbrarCfdi(r.xml, { uuid: crypto.randomUUID(), fechaTimbrado: '2026-11-20T13:00:05', rfcProvCertif: 'SPR190613I52', noCertificadoSAT, llave, leyenda: 'Timbre de pruebas' });
    emitidos.set(f.replace(/\.json$/, '.xml'), xml);
  }
});

/** Every mutation of one attribute or one element of `xml`, each a whole document named after what it changed. */
function mutaciones(nombre: string, xml: string): Map<string, string> {
  const out = new Map<string, string>();
  const put = (que: string, text: string) => out.set(`${nombre.replace(/\.xml$/, '')}.${out.size}.${que.replace(/[^\w-]+/g, '_').slice(0, 60)}.xml`, text);
  const visitar = (el: XmlLeido) => {
    const prefijo = el.qname.includes(':') ? el.qname.slice(0, el.qname.indexOf(':') + 1) : '';
    for (const a of el.attrs) {
      if (a.qname.startsWith('xmlns') || a.qname.startsWith('xsi:')) continue;
      const valor = (v: string) => xml.slice(0, a.valueStart) + v + xml.slice(a.valueEnd);
      const v = xml.slice(a.valueStart, a.valueEnd);
      const id = `${el.local}-${a.local}`;
      put(`${id}-sin`, xml.slice(0, a.start - 1) + xml.slice(a.valueEnd + 1));
      put(`${id}-vacio`, valor(''));
      put(`${id}-espacios`, valor(`  ${v}  `));
      put(`${id}-tab`, valor(`${v.slice(0, 1)}&#9;${v.slice(1)}`));
      put(`${id}-barra`, valor(`${v}|`));
      put(`${id}-letra`, valor(`${v}x`));
      put(`${id}-minusculas`, valor(v.toLowerCase()));
      put(`${id}-largo`, valor(v + 'A'.repeat(1001)));
      if (/^[0-9]+(\.[0-9]+)?$/.test(v)) {
        const punto = v.includes('.') ? '' : '.';
        put(`${id}-7decimales`, valor(`${v}${punto}0000001`));
        put(`${id}-ceros`, valor(`${v}${punto}0000000`));
        put(`${id}-negativo`, valor(`-${v}`));
        put(`${id}-mas`, valor(`+${v}`));
        put(`${id}-19enteros`, valor(`1${'0'.repeat(18)}`));
        put(`${id}-cero`, valor('0'));
        put(`${id}-exponente`, valor('1E2'));
      }
      if (/^\d{4}-\d\d-\d\dT/.test(v)) {
        put(`${id}-30feb`, valor(`2026-02-30${v.slice(10)}`));
        put(`${id}-29feb`, valor(`2024-02-29${v.slice(10)}`));
        put(`${id}-24h`, valor(`${v.slice(0, 11)}24:00:00`));
        put(`${id}-zona`, valor(`${v}Z`));
      }
    }
    put(`${el.local}-atributo-desconocido`, `${xml.slice(0, el.start + 1 + el.qname.length)} Desconocido="1"${xml.slice(el.start + 1 + el.qname.length)}`);
    const dentro = el.startTagEnd - (el.selfClosing ? 2 : 0);
    const hijo = (c: string) => (el.selfClosing ? `${xml.slice(0, dentro)}>${c}</${el.qname}>${xml.slice(el.end)}` : xml.slice(0, el.startTagEnd) + c + xml.slice(el.startTagEnd));
    put(`${el.local}-hijo-desconocido`, hijo(`<${prefijo}Desconocido/>`));
    put(`${el.local}-texto`, hijo('x'));
    put(`${el.local}-espacio`, hijo('\n  '));
    put(`${el.local}-comentario`, hijo('<!-- nota -->'));
    if (el.parent) {
      put(`${el.local}-quitado`, xml.slice(0, el.start) + xml.slice(el.end));
      put(`${el.local}-repetido`, xml.slice(0, el.end) + xml.slice(el.start, el.end) + xml.slice(el.end));
      const hermanos = el.parent.children.filter((c): c is XmlLeido => typeof c !== 'string');
      const siguiente = hermanos[hermanos.indexOf(el) + 1];
      if (siguiente) put(`${el.local}-despues-de-${siguiente.local}`, xml.slice(0, el.start) + xml.slice(siguiente.start, siguiente.end) + xml.slice(el.start, el.end) + xml.slice(siguiente.end));
    }
    for (const c of el.children) if (typeof c !== 'string') visitar(c);
  };
  visitar(parseXml(xml));
  put('control', xml.replace('Nombre="', 'Nombre="\u0001'));
  put('ffff', xml.replace('Descripcion="', 'Descripcion="\uffff'));
  put('referencia-control', xml.replace('Nombre="', 'Nombre="&#x1B;'));
  put('atributo-ajeno', xml.replace(' Version=', ' xmlns:x="urn:x" x:Ajeno="1" Version='));
  put('xsi-type', xml.replace(' Version=', ' xsi:type="Otro" Version='));
  put('complemento-desconocido-cfdi', xml.replace('<cfdi:Complemento>', '<cfdi:Complemento><cfdi:Emisor/>'));
  return out;
}

describe('validateXsd agrees with xmllint --schema and the SAT XSDs', () => {
  it('the SAT XSDs and xmllint are at hand', () => {
    expect(existsSync(path.join(cfd, '4/cfdv40.xsd')), `SAT XSDs not found in ${satDir} (set SAT_DIR)`).toBe(true);
    expect(spawnSync('xmllint', ['--version']).error, 'xmllint is needed: apt-get install libxml2-utils').toBeUndefined();
  });

  it('every CFDI the fixtures make, and every XML under test/fixtures and test/output/cfdi', () => {
    const docs = new Map(emitidos);
    const salida = path.join(root, 'test/output/cfdi');
    const carpetas = [path.join(fixtures, 'sat/samples'), path.join(fixtures, 'cadena'), ...(existsSync(salida) ? [salida] : [])];
    for (const dir of carpetas) {
      // complemento-*.xml carry complements the core's XSDs do not cover (it lets them through, as lax processing
      // would); the oracle validates those with every complement's XSD
      for (const f of readdirSync(dir).filter((f) => f.endsWith('.xml') && !f.startsWith('complemento-'))) docs.set(`${path.basename(dir)}-${f}`, readFileSync(path.join(dir, f), 'utf8'));
    }
    expect(docs.size).toBeGreaterThan(20);
    expect(veredictos(docs)).toEqual([]);
  });

  it('copies with one attribute or element changed: missing, repeated, out of order, unknown, bad pattern, decimals, dates, text', () => {
    const docs = new Map<string, string>();
    for (const [n, xml] of emitidos) for (const [m, text] of mutaciones(n, xml)) docs.set(m, text);
    expect(docs.size).toBeGreaterThan(5000);
    const distintos = veredictos(docs);
    expect(distintos.slice(0, 10)).toEqual([]);
  }, 120_000);
});

describe('parseXml agrees with xmllint on well-formedness (namespace errors included)', () => {
  const CASOS: Record<string, string> = {
    bien: '<?xml version="1.0" encoding="UTF-8"?><a x="1" y=\'&lt;&#9;&#x10FFFF;\'><b/>t<![CDATA[<c>]]><!-- c --><?pi x?></a>',
    controlEnTexto: '<a>\u0001</a>',
    controlEnAtributo: '<a x="\u001f"/>',
    fffe: '<a>\ufffe</a>',
    ffffEnAtributo: '<a x="\uffff"/>',
    referenciaControl: '<a>&#1;</a>',
    referenciaFffe: '<a x="&#xFFFE;"/>',
    referenciaSustituto: '<a>&#xD800;</a>',
    referenciaFueraDeRango: '<a>&#x110000;</a>',
    referenciaXMayuscula: '<a>&#X41;</a>',
    entidadDesconocida: '<a>&foo;</a>',
    ampersandSolo: '<a>a & b</a>',
    sinPuntoYComa: '<a>&amp</a>',
    etiquetasCruzadas: '<a><b></a></b>',
    sinCerrar: '<a>',
    atributoRepetido: '<a x="1" x="2"/>',
    atributoRepetidoPorEspacio: '<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>',
    nombreConDigito: '<1a/>',
    nombreConAmpersand: '<a&b/>',
    atributoConGuion: '<a -x="1"/>',
    atributoSinValor: '<a x/>',
    sinEspacio: '<a x="1"y="2"/>',
    menorEnAtributo: '<a x="<"/>',
    dosPuntosDobles: '<a:b:c xmlns:a="u"/>',
    prefijoVacio: '<:a/>',
    prefijoNoDeclarado: '<p:a/>',
    prefijoDesdeclarado: '<a xmlns:p=""/>',
    prefijoXmlns: '<a xmlns:xmlns="u"/>',
    prefijoXmlAjeno: '<a xmlns:xml="urn:x"/>',
    guionesEnComentario: '<a><!-- x -- y --></a>',
    declaracionEnMedio: '<a><?xml version="1.0"?></a>',
    declaracionTrasEspacio: ' <?xml version="1.0"?><a/>',
    declaracionMalFormada: '<?xml versio="1.0"?><a/>',
    piSinNombre: '<a><? x?></a>',
    textoTrasRaiz: '<a/>x',
    referenciaTrasRaiz: '<a/>&#32;',
    dosRaices: '<a/><b/>',
    cdataFinEnTexto: '<a>]]></a>',
    nombreNoAscii: '<año\u00b7\u0300/>',
    inicioNoAscii: '<\u00b7a/>',
    multiplicacionEnNombre: '<a\u00d7/>',
  };

  it('accepts and refuses the same documents', () => {
    const docs = new Map(Object.entries(CASOS).map(([k, v]) => [`${k}.xml`, v]));
    const lint = xmllint(docs, []);
    const distintos = [...docs].filter(([n, text]) => {
      let nuestro = true;
      try {
        parseXml(text);
      } catch {
        nuestro = false;
      }
      return nuestro !== (lint.get(n)!.length === 0);
    });
    expect(distintos.map(([n]) => `${n}: ${lint.get(n)!.join(' | ') || 'xmllint: bien formado'}`)).toEqual([]);
  });
});

describe('src/cfdi/xsd/sat.generated.ts', () => {
  it('is what scripts/gen-xsd.ts makes from the SAT XSDs (run: npx tsx scripts/gen-xsd.ts)', () => {
    const out = path.join(tmp, 'sat.generated.ts');
    const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/gen-xsd.ts', '--dir', satDir, '--out', out], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8') === readFileSync(path.join(root, 'src/cfdi/xsd/sat.generated.ts'), 'utf8')).toBe(true);
  }, 60_000);
});
