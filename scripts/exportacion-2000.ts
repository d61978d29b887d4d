// npm run bench:exportacion [-- --n 2000 --c 20 --timeout 900]: the export at scale under `wrangler dev`. Issues N
// facturas (POST /facturas at concurrency C) with the sandbox PAC, waits until every one is timbrada, asks for a ZIP
// export of the day (POST /exportaciones), polls until it is lista, downloads it, unzips it with Info-ZIP's unzip and
// compares every XML byte for byte with GET /facturas/{id}/xml (served from R2). Prints comprobantes, ZIP bytes,
// export time, identical XMLs, PDFs present and the peak resident memory of this run's workerd processes while the export
// ran (the isolate's own heap is not reported by wrangler dev; workerd's RSS bounds it from above). A 429 of the rate
// limit is printed as such. A measurement, not a test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from './lib/local-stack';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    c: { type: 'string', default: '20' },
    port: { type: 'string', default: '8797' },
    timeout: { type: 'string', default: '900' },
  },
});
const N = Number(values.n);
const C = Number(values.c);
const TIMEOUT_MS = Number(values.timeout) * 1000;

const factura = (i: number) => ({
  receptor: { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' },
  forma_pago: '03',
  metodo_pago: 'PUE',
  conceptos: [
    {
      clave_prod_serv: '43232408',
      cantidad: '1',
      clave_unidad: 'E48',
      descripcion: `Servicio de exportación ${i}`,
      valor_unitario: '100.00',
      objeto_imp: '02',
      impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] },
    },
  ],
});

const dormir = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resident memory (kB) of the workerd processes under this run's wrangler, summed: other workerds on the machine (test
 * pools, other dev sessions) are not this Worker's.
 */
function rssWorkerd(raiz: number): number {
  try {
    const filas = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,rss=,comm='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    const arbol = new Set([raiz]);
    // ps lists a child before its parent when pids wrap: add children until the tree stops growing
    for (let n = 0; n !== arbol.size; ) {
      n = arbol.size;
      for (const [pid, ppid] of filas) if (arbol.has(Number(ppid))) arbol.add(Number(pid));
    }
    return filas.reduce((kb, [pid, , rss, comm]) => (comm === 'workerd' && arbol.has(Number(pid)) ? kb + Number(rss) : kb), 0);
  } catch {
    return 0;
  }
}

async function main() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'hexafac-exportacion-'));
  const stack = await startLocalStack({ port: Number(values.port), persistTo: path.join(scratch, 'state'), benchmark: true });
  const api = `${stack.base}/api/hexafac/v1`;
  const headers = { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/json' };
  let limitados = 0;
  try {
    // 1. N facturas
    const ids: string[] = [];
    let siguiente = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (siguiente < N) {
          const i = siguiente++;
          for (;;) {
            const res = await fetch(`${api}/facturas`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': `exp-${i}` }, body: JSON.stringify(factura(i)) });
            if (res.status === 429) {
              limitados++;
              await dormir(Number(res.headers.get('Retry-After') ?? '1') * 1000);
              continue;
            }
            // wrangler dev restarts the Worker when a source file changes: the same Idempotency-Key again is safe
            if (res.status === 503) {
              await res.arrayBuffer();
              await dormir(1000);
              continue;
            }
            if (res.status !== 202) throw new Error(`POST /facturas ${res.status}: ${await res.text()}`);
            ids.push(((await res.json()) as { id: string }).id);
            break;
          }
        }
      }),
    );
    console.log(`${N} facturas aceptadas en ${((Date.now() - t0) / 1000).toFixed(1)} s${limitados ? ` (${limitados} respuestas 429)` : ''}`);

    // 2. every one timbrada
    const hasta = Date.now() + TIMEOUT_MS;
    for (;;) {
      let timbradas = 0;
      let cursor: string | null = null;
      do {
        const page = (await (await fetch(`${api}/facturas?status=timbrada&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers })).json()) as {
          data: unknown[];
          next_cursor: string | null;
        };
        timbradas += page.data.length;
        cursor = page.next_cursor;
      } while (cursor);
      if (timbradas >= N) break;
      if (Date.now() > hasta) throw new Error(`solo ${timbradas} de ${N} timbradas`);
      await dormir(2000);
    }
    console.log(`todas timbradas a los ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // 3. the export, polled until lista, with workerd's memory sampled meanwhile
    const hoy = new Date();
    const dia = (d: number) => new Date(hoy.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    const t1 = Date.now();
    const creada = await fetch(`${api}/exportaciones`, { method: 'POST', headers, body: JSON.stringify({ formato: 'zip', desde: dia(-2), hasta: dia(1) }) });
    if (creada.status === 429) limitados++;
    if (creada.status !== 202) throw new Error(`POST /exportaciones ${creada.status}: ${await creada.text()}`);
    const { id } = (await creada.json()) as { id: string };
    const rss = () => rssWorkerd(stack.wrangler.pid!);
    let pico = rss();
    const muestreo = setInterval(() => (pico = Math.max(pico, rss())), 500);
    let exp: { status: string; comprobantes: number; bytes: number; error: string | null; links: { descarga?: string } };
    for (;;) {
      exp = (await (await fetch(`${api}/exportaciones/${id}`, { headers })).json()) as typeof exp;
      if (exp.status === 'lista' || exp.status === 'error') break;
      if (Date.now() > hasta + TIMEOUT_MS) throw new Error(`la exportación sigue ${exp.status} (${exp.comprobantes})`);
      await dormir(1000);
    }
    clearInterval(muestreo);
    const segundos = (Date.now() - t1) / 1000;
    if (exp.status !== 'lista') throw new Error(`la exportación terminó en error: ${exp.error}`);

    // 4. download, unzip, compare every XML with GET /facturas/{id}/xml
    const zip = new Uint8Array(await (await fetch(`${stack.base}${exp.links.descarga}`, { headers })).arrayBuffer());
    const archivo = path.join(scratch, 'exportacion.zip');
    writeFileSync(archivo, zip);
    const prueba = execFileSync('unzip', ['-tq', archivo], { encoding: 'utf8' }).trim();
    const dir = path.join(scratch, 'zip');
    execFileSync('unzip', ['-q', archivo, '-d', dir]);
    const archivos = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    const pdfs = archivos.filter((a) => a.endsWith('.pdf')).length;
    let identicos = 0;
    const faltan: string[] = [];
    await Promise.all(
      Array.from({ length: C }, async (_, k) => {
        for (let i = k; i < ids.length; i += C) {
          const res = await fetch(`${api}/facturas/${ids[i]}/xml`, { headers });
          const nombre = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')![1]!;
          const delApi = Buffer.from(await res.arrayBuffer());
          const enZip = archivos.find((a) => a.endsWith(`/${nombre}`));
          if (enZip && existsSync(path.join(dir, enZip)) && readFileSync(path.join(dir, enZip)).equals(delApi)) identicos++;
          else faltan.push(nombre);
        }
      }),
    );
    const manifiesto = readFileSync(path.join(dir, 'manifiesto.csv'), 'utf8').split('\r\n').filter(Boolean).length - 1;
    console.table({
      comprobantes: exp.comprobantes,
      'bytes del ZIP': zip.length,
      'tiempo de exportación (s)': Number(segundos.toFixed(1)),
      'XML idénticos': `${identicos}/${N}`,
      'PDF presentes': `${pdfs}/${N}`,
      'filas del manifiesto': manifiesto,
      'unzip -t': prueba,
      'pico RSS workerd (MB)': Math.round(pico / 1024),
      '429 recibidos': limitados,
    });
    if (faltan.length) console.log('distintos o ausentes:', faltan.slice(0, 10));
    if (identicos !== N || pdfs !== N) process.exitCode = 1;
  } finally {
    await stack.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
