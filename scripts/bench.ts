// npm run bench — throughput of the fiscal core, measured against its two natural baselines in one run:
//  1. build + cadena + sello per CFDI (emitirCfdi) vs raw RSA-2048 signing of the same cadena bytes with
//     the same key (crypto.subtle.sign): how much the rest costs on top of the unavoidable signature.
//  2. cadenaOriginal() vs the SAT's own cadenaoriginal_4_0.xslt run in JS by SaxonJS on the same documents.
// SaxonJS needs the stylesheet compiled to SEF; it is compiled once with xslt3 from the SAT files
// (test/fixtures/sat or $SAT_DIR) and cached in test/output/bench/ (git-ignored).
// Each figure is the best of several interleaved rounds (see medir). Plain Node; prints a table; no assertions.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitirCfdi } from '../src/cfdi/build';
import { cadenaOriginal } from '../src/cfdi/cadena';
import { leerCsd } from '../src/cfdi/csd';
import type { Emisor } from '../src/cfdi/model';
import { sellarCfdi } from '../src/cfdi/sello';

const raiz = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(raiz, 'test/fixtures');
const AHORA = new Date('2026-06-01T18:00:00Z'); // inside the test CSD's validity
const emisor: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '06600' };

interface Medida {
  nombre: string;
  usPorOp: number;
}

interface Caso {
  nombre: string;
  n: number;
  fn: (i: number) => unknown;
}

/**
 * Measures the cases in interleaved rounds (each round runs every case for ~`msPorRonda`), after a
 * warm-up, and keeps each case's best round: on a shared machine the load changes from one moment to the
 * next, and interleaving plus best-of-rounds compares the cases under the same conditions.
 */
async function medir(casos: Caso[], rondas = 15, msPorRonda = 100): Promise<Medida[]> {
  for (const c of casos) for (let i = 0; i < Math.min(200, c.n * 20); i++) await c.fn(i % c.n);
  const mejor = casos.map(() => Infinity);
  for (let r = 0; r < rondas; r++) {
    for (let k = 0; k < casos.length; k++) {
      const { n, fn } = casos[k];
      let ops = 0;
      const inicio = performance.now();
      do {
        for (let i = 0; i < n; i++) await fn(i);
        ops += n;
      } while (performance.now() - inicio < msPorRonda);
      mejor[k] = Math.min(mejor[k], ((performance.now() - inicio) * 1000) / ops);
    }
  }
  return casos.map((c, k) => ({ nombre: c.nombre, usPorOp: mejor[k] }));
}

function tabla(filas: Medida[], base: Medida, etiqueta: string) {
  console.log(`\n${'caso'.padEnd(52)} ${'µs/op'.padStart(10)} ${'ops/s'.padStart(10)} ${etiqueta.padStart(14)}`);
  for (const f of filas) {
    const rel = base.usPorOp / f.usPorOp;
    console.log(
      `${f.nombre.padEnd(52)} ${f.usPorOp.toFixed(1).padStart(10)} ${Math.round(1e6 / f.usPorOp).toString().padStart(10)} ${rel.toFixed(rel < 10 ? 3 : 0).padStart(14)}`,
    );
  }
}

async function selloContraFirma() {
  const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
  const { csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: AHORA });
  const entradas = readdirSync(path.join(fixtures, 'cfdi'))
    .filter((f) => f.endsWith('.json') && !f.startsWith('pago'))
    .map((f) => JSON.parse(readFileSync(path.join(fixtures, 'cfdi', f), 'utf8')) as unknown);
  const emitidos: string[] = [];
  for (const e of entradas) {
    const r = await emitirCfdi(e, emisor, csd, { ahora: AHORA });
    if (r.ok) emitidos.push(r.xml);
  }
  if (!emitidos.length) throw new Error('ningún fixture de test/fixtures/cfdi se pudo emitir');
  const sinSello = emitidos.map((x) => x.replace(/ (Sello|Certificado|NoCertificado)="[^"]*"/g, ''));
  const cadenas = emitidos.map((x) => new TextEncoder().encode(cadenaOriginal(x)));
  const validas = entradas.filter((_, i) => i < emitidos.length);
  const algoritmo = { name: 'RSASSA-PKCS1-v1_5' };

  const filas = await medir([
    { nombre: 'crypto.subtle.sign RSA-2048 de la cadena (base)', n: cadenas.length, fn: (i) => crypto.subtle.sign(algoritmo, csd.privateKey, cadenas[i]) },
    { nombre: 'cadenaOriginal(xml)', n: emitidos.length, fn: (i) => cadenaOriginal(emitidos[i]) },
    { nombre: 'sellarCfdi(xml): cadena + firma + atributos', n: sinSello.length, fn: (i) => sellarCfdi(sinSello[i], csd) },
    { nombre: 'emitirCfdi(json): validar + calcular + XML + sellar', n: validas.length, fn: (i) => emitirCfdi(validas[i], emisor, csd, { ahora: AHORA }) },
  ]);
  console.log(`\n1. Emisión completa frente a la firma RSA sola (${emitidos.length} CFDI distintos de test/fixtures/cfdi; meta ≥ 0.8)`);
  tabla(filas, filas[0], 'vs firma');
}

interface SaxonApi {
  transform(opts: { stylesheetInternal: unknown; sourceText: string; destination: 'serialized' }, mode: 'sync'): { principalResult: string };
}

function sefCompilado(): unknown | null {
  const cache = path.join(raiz, 'test/output/bench/cadenaoriginal_4_0.sef.json');
  if (!existsSync(cache)) {
    // The SAT's own stylesheets, copied into the repo (public data) so a fresh clone can run the comparison.
    const sat = process.env.SAT_DIR ?? path.join(raiz, 'test/fixtures/sat');
    const xslt = path.join(sat, 'www.sat.gob.mx/sitio_internet/cfd/4/cadenaoriginal_4_0/cadenaoriginal_4_0.xslt');
    if (!existsSync(xslt)) return null;
    mkdirSync(path.dirname(cache), { recursive: true });
    console.log('compilando cadenaoriginal_4_0.xslt a SEF con xslt3 (una sola vez, ~1 min)...');
    execFileSync(path.join(raiz, 'node_modules/.bin/xslt3'), [`-xsl:${xslt}`, `-export:${cache}`, '-nogo'], { stdio: 'inherit' });
  }
  return JSON.parse(readFileSync(cache, 'utf8'));
}

async function cadenaContraXslt() {
  const sef = sefCompilado();
  if (!sef) {
    console.log('\n2. cadenaOriginal vs XSLT del SAT: omitido (no está test/fixtures/sat/www.sat.gob.mx; indique SAT_DIR)');
    return;
  }
  const saxon = createRequire(import.meta.url)('saxon-js') as SaxonApi;
  const dir = path.join(fixtures, 'sat/samples');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
  const xslt = (xml: string) => saxon.transform({ stylesheetInternal: sef, sourceText: xml, destination: 'serialized' }, 'sync').principalResult;
  const distintos = docs.filter((d) => xslt(d) !== cadenaOriginal(d)).length;
  const filas = await medir(
    [
      { nombre: 'SaxonJS + cadenaoriginal_4_0.xslt (SEF) (base)', n: docs.length, fn: (i) => xslt(docs[i]) },
      { nombre: 'cadenaOriginal(xml)', n: docs.length, fn: (i) => cadenaOriginal(docs[i]) },
    ],
    10,
    300,
  );
  console.log(`\n2. Cadena original frente a la hoja XSLT del SAT (${docs.length} muestras; salidas distintas: ${distintos}; meta ≥ 100×)`);
  tabla(filas, filas[0], 'veces más rápido');
}

await selloContraFirma();
await cadenaContraXslt();
