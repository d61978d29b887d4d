import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal, leerCsd, parseXml, sellarCfdi, verificarCfdi, type Csd, type XmlLeido } from '../../src/cfdi';

// One CFDI per complemento that the SAT's cadenaoriginal_4_0.xslt includes (test/fixtures/cfdi/complementos, see its
// README), sealed with the SAT test CSD: our cadena must be byte-identical to xsltproc's over the SAT stylesheet.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const fixtures = path.join(root, 'test/fixtures');
const carpeta = path.join(fixtures, 'cfdi/complementos');
const salida = path.join(root, 'test/output/cfdi');
const satDir = path.resolve(process.env.SAT_DIR ?? path.join(root, '../shared/sat/www.sat.gob.mx'));
const xslt = path.join(satDir, 'sitio_internet/cfd/4/cadenaoriginal_4_0/cadenaoriginal_4_0.xslt');
// check-cfdi (which CI runs over test/output/cfdi) validates only the complementos in its own schema list
const oraculo = path.resolve(process.env.CHECK_CFDI ?? path.join(satDir, '../../oracle/check-cfdi'));
const tmp = mkdtempSync(path.join(tmpdir(), 'hexafac-complementos-'));

const CFDI = 'http://www.sat.gob.mx/cfd/4';
const PAGOS20 = 'http://www.sat.gob.mx/Pagos20'; // covered by the Pagos fixtures elsewhere
const nombres = readdirSync(carpeta)
  .filter((f) => f.endsWith('.xml'))
  .map((f) => f.slice(0, -4))
  .sort();

/** Namespaces of the elements directly under cfdi:Complemento and cfdi:ComplementoConcepto. */
function complementosDe(el: XmlLeido, dentro = false, acc = new Set<string>()): Set<string> {
  if (dentro) acc.add(el.ns);
  const contenedor = el.ns === CFDI && (el.local === 'Complemento' || el.local === 'ComplementoConcepto');
  for (const c of el.children) if (typeof c !== 'string') complementosDe(c, contenedor, acc);
  return acc;
}

/** Namespaces declared by the stylesheets cadenaoriginal_4_0.xslt includes (one per complemento, besides W3C ones). */
function namespacesIncluidos(): Map<string, string> {
  const porNs = new Map<string, string>();
  const principal = readFileSync(xslt, 'utf8');
  for (const [, href] of principal.matchAll(/<xsl:include\s+href="([^"]+)"/g)) {
    const texto = readFileSync(path.resolve(path.dirname(xslt), href), 'utf8');
    for (const [, ns] of texto.matchAll(/\sxmlns:[\w.-]+="([^"]+)"/g)) if (!ns.includes('www.w3.org')) porNs.set(ns, href);
  }
  porNs.delete(PAGOS20);
  return porNs;
}

/** The namespaces check-cfdi's schema imports; none (so nothing is written for it) if the script is not there. */
function namespacesDelOraculo(): Set<string> {
  if (!existsSync(oraculo)) return new Set();
  return new Set([...readFileSync(oraculo, 'utf8').matchAll(/^(http:\/\/\S+) \S+\.xsd$/gm)].map((m) => m[1]));
}

function xsltproc(archivo: string): string {
  const r = spawnSync('xsltproc', [xslt, archivo], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw new Error(`xsltproc is needed (apt-get install -y xsltproc libxml2-utils): ${r.error.message}`);
  // libxslt warns on stderr about version="2.0" yet transforms; only the exit status tells a failure
  if (r.status !== 0) throw new Error(`xsltproc failed on ${archivo}: ${r.stderr.slice(0, 500)}`);
  return r.stdout;
}

/** Where two cadenas first differ, with some context of each; null when identical. */
function primeraDiferencia(nuestra: string, sat: string): string | null {
  if (nuestra === sat) return null;
  let i = 0;
  while (i < nuestra.length && i < sat.length && nuestra[i] === sat[i]) i++;
  const trozo = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 40));
  return `first difference at character ${i} (ours ${nuestra.length} long, SAT ${sat.length})\n  ours: ${trozo(nuestra)}\n  SAT:  ${trozo(sat)}`;
}

let csd: Csd;
let delOraculo: Set<string>;
beforeAll(async () => {
  if (!existsSync(xslt)) throw new Error(`SAT stylesheet not found at ${xslt} (set SAT_DIR to the www.sat.gob.mx folder)`);
  const v = spawnSync('xsltproc', ['--version'], { encoding: 'utf8' });
  if (v.error) throw new Error(`xsltproc is needed (apt-get install -y xsltproc libxml2-utils): ${v.error.message}`);
  const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
  ({ csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: new Date('2026-11-20T18:00:00Z') }));
  delOraculo = namespacesDelOraculo();
  mkdirSync(salida, { recursive: true });
});

describe('cadena original of every complemento of cadenaoriginal_4_0.xslt', () => {
  it('has a fixture for every complemento namespace the stylesheet includes (but Pagos 2.0), and none other', () => {
    const incluidos = namespacesIncluidos();
    expect(incluidos.size).toBeGreaterThan(25);
    const cubiertos = new Set(nombres.flatMap((n) => [...complementosDe(parseXml(readFileSync(path.join(carpeta, `${n}.xml`), 'utf8')))]));
    const faltan = [...incluidos].filter(([ns]) => !cubiertos.has(ns)).map(([ns, href]) => `${ns} (${href})`);
    expect(faltan, 'complementos of the SAT stylesheet without a fixture').toEqual([]);
    expect([...cubiertos].filter((ns) => !incluidos.has(ns)), 'fixture complementos the stylesheet does not include').toEqual([]);
  });

  it.each(nombres)('%s', async (nombre) => {
    const xml = readFileSync(path.join(carpeta, `${nombre}.xml`), 'utf8');
    const sellado = await sellarCfdi(xml, csd);
    const archivo = path.join(tmp, `${nombre}.xml`);
    writeFileSync(archivo, sellado);
    const sat = xsltproc(archivo);
    const nuestra = cadenaOriginal(sellado);
    expect(primeraDiferencia(nuestra, sat), nombre).toBeNull();
    expect(nuestra).toBe(sat);
    expect((await verificarCfdi(sellado)).valido).toBe(true);
    // only what the oracle's schema can validate goes to its folder
    const complementos = [...complementosDe(parseXml(sellado))];
    expect(complementos.length).toBeGreaterThan(0);
    if (complementos.every((ns) => delOraculo.has(ns))) {
      writeFileSync(path.join(salida, `complemento-${nombre}.xml`), sellado);
      writeFileSync(path.join(salida, `complemento-${nombre}.txt`), nuestra);
    }
  });
});
