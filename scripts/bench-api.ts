// npm run bench:api [-- --n 300 --c 20]: N facturas at concurrency C against `wrangler dev` with the
// sandbox PAC. Prints accepted/s, p50/p99 of the 202, time until all are timbrada, lost and duplicated.
// Targets: ≥ 300 accepted/s, p99 < 50 ms, 0 lost, 0 duplicated. A measurement, not a test.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from './lib/local-stack';

const { values } = parseArgs({ options: { n: { type: 'string', default: '300' }, c: { type: 'string', default: '20' }, port: { type: 'string', default: '8799' } } });
const N = Number(values.n);
const C = Number(values.c);

const factura = (i: number) => ({
  receptor: { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' },
  forma_pago: '03',
  metodo_pago: 'PUE',
  condiciones_de_pago: `bench ${i}`,
  conceptos: [
    {
      clave_prod_serv: '43232408',
      cantidad: '1',
      clave_unidad: 'E48',
      descripcion: `Servicio ${i}`,
      valor_unitario: '100.00',
      objeto_imp: '02',
      impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] },
    },
  ],
});

const dormir = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

// The load generator shares the 2 cores with workerd: node:http on C kept-alive sockets costs about half
// the CPU per request of the global fetch (undici), which capped GET /health at ~400/s here.
const agent = new http.Agent({ keepAlive: true, maxSockets: C });
function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

// The local D1 is SQLite with an fsync per commit on the one workerd thread (0.8 ms each on this VM's disk):
// a throwaway database belongs in memory (tmpfs) when the machine has one, as production D1 is not on our disk.
const scratch = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

async function main() {
  const persistTo = mkdtempSync(path.join(scratch, 'hexafac-bench-'));
  const stack = await startLocalStack({ port: Number(values.port), persistTo, benchmark: true });
  const api = `${stack.base}/api/hexafac/v1`;
  const headers = { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/json' };
  try {
    // Warm-up: one factura through the whole pipeline (accept, then stamping, sealing, PDF, R2), so the first
    // compilations and the CSD import happen before the clock starts, not in the middle of the burst.
    const calentamiento = JSON.parse((await request(`${api}/facturas`, { method: 'POST', headers, body: JSON.stringify(factura(-1)) })).text) as { id: string };
    const finCalentamiento = Date.now() + 60_000;
    while (Date.now() < finCalentamiento) {
      const f = JSON.parse((await request(`${api}/facturas/${calentamiento.id}`, { headers })).text) as { status: string };
      if (f.status !== 'pendiente') break;
      await dormir(200);
    }
    // The local stack's own ceiling, same concurrency: wrangler dev's proxy and local D1 bound everything else.
    let pendientesHealth = N;
    const tHealth = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (pendientesHealth-- > 0) await request(`${api}/health`);
      }),
    );
    const healthPorSegundo = N / ((performance.now() - tHealth) / 1000);
    const latencias: number[] = [];
    const ids: string[] = [];
    let fallidas = 0;
    let siguiente = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (siguiente < N) {
          const i = siguiente++;
          const s = performance.now();
          const res = await request(`${api}/facturas`, { method: 'POST', headers, body: JSON.stringify(factura(i)) });
          latencias.push(performance.now() - s);
          if (res.status === 202) ids.push((JSON.parse(res.text) as { id: string }).id);
          else fallidas++;
        }
      }),
    );
    const aceptacion = (performance.now() - t0) / 1000;
    // Wait until every accepted invoice has left `pendiente` (or 10 minutes).
    const estados = new Map<string, string>();
    const limite = Date.now() + 600_000;
    while (Date.now() < limite) {
      estados.clear();
      let cursor: string | null = null;
      do {
        const page = JSON.parse((await request(`${api}/facturas?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers })).text) as {
          data: { id: string; status: string; uuid: string | null }[];
          next_cursor: string | null;
        };
        for (const f of page.data) estados.set(f.id, `${f.status}|${f.uuid ?? ''}`);
        cursor = page.next_cursor;
      } while (cursor);
      if (ids.every((id) => estados.get(id)?.startsWith('timbrada'))) break;
      await dormir(500);
    }
    const total = (performance.now() - t0) / 1000;
    const timbradas = ids.filter((id) => estados.get(id)?.startsWith('timbrada'));
    const uuids = timbradas.map((id) => estados.get(id)!.split('|')[1]);
    latencias.sort((a, b) => a - b);
    const filas = [
      ['facturas sent', String(N), ''],
      ['accepted (202)', String(ids.length), ''],
      ['refused (not 202)', String(fallidas), '0'],
      ['GET /health/s (ceiling)', healthPorSegundo.toFixed(1), ''],
      ['accepted/s', (ids.length / aceptacion).toFixed(1), '≥ 300'],
      ['accepted / health ratio', (ids.length / aceptacion / healthPorSegundo).toFixed(2), ''],
      ['202 p50 (ms)', pct(latencias, 50).toFixed(1), ''],
      ['202 p99 (ms)', pct(latencias, 99).toFixed(1), '< 50'],
      ['until all timbrada (s)', total.toFixed(1), ''],
      ['lost', String(ids.length - timbradas.length), '0'],
      ['duplicated', String(estados.size - 1 - ids.length + (uuids.length - new Set(uuids).size)), '0'],
    ];
    console.log(`\nHexaFac API benchmark — N=${N}, concurrency=${C}, sandbox PAC, wrangler dev (no inspector, warn logs, D1 in ${scratch})\n`);
    for (const [k, v, t] of filas) console.log(`${k!.padEnd(26)}${v!.padStart(10)}   ${t ? `target ${t}` : ''}`);
  } finally {
    agent.destroy();
    await stack.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
