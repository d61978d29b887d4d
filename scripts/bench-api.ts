// npm run bench:api [-- --n 300 --c 20]: N facturas at concurrency C against `wrangler dev` with the
// sandbox PAC. Prints accepted/s, p50/p99 of the 202, stamped/s, time until all are timbrada, lost and duplicated,
// and the D1 bytes per stored invoice (with the bytes by table when the sqlite3 CLI is installed).
// Targets: ≥ 300 accepted/s, p99 < 50 ms, stamped/s ≥ 0.5 × accepted/s, 0 lost, 0 duplicated. A measurement, not a test.
// npm run bench:api -- --crash [--n 200 --c 20 --kill-after 100 --timeout 300]: recovery after a crash instead. N keyed
// POST /facturas at concurrency C; after K 202s, kill -9 of the whole stack (the queue's messages, in wrangler's memory,
// are lost); restart on the same D1 and R2; the requests whose answer the kill swallowed are sent again with the same
// Idempotency-Key, as a client would. Prints how long until every accepted invoice is timbrada (target < 3 min from
// the restart), lost, duplicated, and any row or key left behind.
// npm run bench:api -- --pac-caido 30 [--n 300 --c 20]: PAC failover instead. N facturas at concurrency C; the one
// sent after a third of them carries `X-HexaFac-Simular: pac-caido=30`, so the first sandbox PAC refuses every
// request of the application for 30 s while the second is up. Prints how many each PAC stamped, the time until all
// are timbrada, the slowest stamping, lost and duplicated UUIDs; then 20 more once the outage and the breaker's wait
// are over, which the first PAC must stamp again. Targets: 0 lost, 0 duplicated, 20 of 20 back at the first PAC.
// npm run bench:api -- --lote 500 [--timeout 600]: batch issuance instead. First 30 PUE and 30 PPD facturas one by one
// (what the notas de crédito and complementos relate to), then ONE POST /lotes with N mixed items (2 notas de crédito
// per PUE, one complemento paying each PPD in full, facturas for the rest). Prints the batch request's time and how
// many it accepted (target: all N in that one request), the time until all are timbrada, stamped/s, lost (accepted,
// not timbrada), duplicated (rows, UUIDs or serie+folio) and how many lote.completado events were recorded (target 1,
// with completado_at set). A 429 of the rate limit is printed as such, not retried.
// npm run bench:api -- --nomina 1000 [--timeout 600]: a whole payroll instead: ONE POST /nominas of N recibos of one
// quincena (distinct employees: RFC and CURP with their check digits), followed the same way: accepted in that request,
// time until all timbrada, recibos/s, the rows with the nómina's id, their distinct UUIDs, GET /nominas/{id}'s counts
// and nomina.completada events.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { digitoVerificadorRfc } from '../src/cfdi';
import { SECOND } from '../src/lib/time';
import { EJEMPLO_NOMINA } from '../src/routes/ejemplos';
import { ESPERA_ABIERTO_MS } from '../src/pac/failover';
import { localD1Size, querySql } from './lib/local-d1';
import { BARRIDO_LOCAL_MS, startLocalStack, type LocalStack } from './lib/local-stack';

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    c: { type: 'string', default: '20' },
    port: { type: 'string', default: '8799' },
    crash: { type: 'boolean', default: false },
    'kill-after': { type: 'string' },
    timeout: { type: 'string', default: '300' },
    'pac-caido': { type: 'string' },
    lote: { type: 'string' },
    nomina: { type: 'string' },
  },
});
const N = Number(values.n ?? (values.crash ? 200 : 300));
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
  return new Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

// The local D1 is SQLite with an fsync per commit on the one workerd thread (0.8 ms each on this VM's disk):
// a throwaway database belongs in memory (tmpfs) when the machine has one, as production D1 is not on our disk.
const scratch = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/**
 * Warm-up: one factura through the whole pipeline (accept, then stamping, sealing, R2), so the first compilations
 * and the CSD import happen before the clock starts, not in the middle of the burst.
 */
async function calentar(api: string, headers: Record<string, string>) {
  const calentamiento = JSON.parse((await request(`${api}/facturas`, { method: 'POST', headers, body: JSON.stringify(factura(-1)) })).text) as { id: string };
  const finCalentamiento = Date.now() + 60_000;
  while (Date.now() < finCalentamiento) {
    const f = JSON.parse((await request(`${api}/facturas/${calentamiento.id}`, { headers })).text) as { status: string };
    if (f.status !== 'pendiente') break;
    await dormir(200);
  }
}

/** Every factura of the application: id → `status|uuid`. */
async function listarEstados(api: string, headers: Record<string, string>, estados: Map<string, string>) {
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
}

/** Polls the facturas until every one of `ids` is timbrada, or `plazo` ms: the last listing, id → `status|uuid`. */
async function esperarTimbradas(api: string, headers: Record<string, string>, ids: string[], plazo: number, pausa: number) {
  const estados = new Map<string, string>();
  const limite = Date.now() + plazo;
  while (Date.now() < limite) {
    await listarEstados(api, headers, estados);
    if (ids.every((id) => estados.get(id)?.startsWith('timbrada'))) break;
    await dormir(pausa);
  }
  return estados;
}

async function main() {
  const persistTo = mkdtempSync(path.join(scratch, 'hexafac-bench-'));
  const stack = await startLocalStack({ port: Number(values.port), persistTo, benchmark: true });
  const api = `${stack.base}/api/hexafac/v1`;
  const headers = { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/json' };
  let medida: Medida;
  try {
    await calentar(api, headers);
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
    let primer202: number | null = null;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (siguiente < N) {
          const i = siguiente++;
          const s = performance.now();
          const res = await request(`${api}/facturas`, { method: 'POST', headers, body: JSON.stringify(factura(i)) });
          latencias.push(performance.now() - s);
          if (res.status === 202) {
            primer202 ??= Date.now();
            ids.push((JSON.parse(res.text) as { id: string }).id);
          }
          else fallidas++;
        }
      }),
    );
    const aceptacion = (performance.now() - t0) / 1000;
    // Wait until every accepted invoice is timbrada (or 10 minutes).
    const estados = await esperarTimbradas(api, headers, ids, 600_000, 500);
    const total = (performance.now() - t0) / 1000;
    const timbradas = ids.filter((id) => estados.get(id)?.startsWith('timbrada'));
    const uuids = timbradas.map((id) => estados.get(id)!.split('|')[1]);
    latencias.sort((a, b) => a - b);
    medida = {
      aceptadas: ids.length,
      fallidas,
      healthPorSegundo,
      aceptadasPorSegundo: ids.length / aceptacion,
      p50: pct(latencias, 50),
      p99: pct(latencias, 99),
      total,
      timbradas,
      primer202,
      duplicadas: estados.size - 1 - ids.length + (uuids.length - new Set(uuids).size),
    };
  } finally {
    agent.destroy();
    await stack.stop();
  }
  try {
    // With wrangler stopped, its D1 file to ourselves. stamped/s runs from the first 202 until the last
    // `timbrada`, timed by that transition's event row (written by the job when it happened) rather than by
    // the poll above, whose 500 ms step would blur a short run. Both clocks are this machine's.
    const timbradas = new Set(medida.timbradas);
    const eventos = querySql<{ factura_id: string; created_at: string }>(
      `SELECT factura_id, created_at FROM hexafac_eventos WHERE status_nuevo = 'timbrada'`,
      { persistTo },
    ).filter((e) => timbradas.has(e.factura_id));
    const timbradasPorSegundo =
      medida.primer202 !== null && eventos.length > 0
        ? eventos.length / ((Math.max(...eventos.map((e) => Date.parse(e.created_at))) - medida.primer202) / 1000)
        : 0;
    // D1 bytes per stored invoice: the database's size after the run over its invoice rows (the warm-up's too).
    const [{ n }] = querySql<{ n: number }>('SELECT COUNT(*) AS n FROM hexafac_facturas', { persistTo }) as [{ n: number }];
    const d1 = localD1Size(persistTo);
    const filas = [
      ['facturas sent', String(N), ''],
      ['accepted (202)', String(medida.aceptadas), ''],
      ['refused (not 202)', String(medida.fallidas), '0'],
      ['GET /health/s (ceiling)', medida.healthPorSegundo.toFixed(1), ''],
      ['accepted/s', medida.aceptadasPorSegundo.toFixed(1), '≥ 300'],
      ['accepted / health ratio', (medida.aceptadasPorSegundo / medida.healthPorSegundo).toFixed(2), ''],
      ['stamped/s', timbradasPorSegundo.toFixed(1), ''],
      ['stamped / accepted ratio', (timbradasPorSegundo / medida.aceptadasPorSegundo).toFixed(2), '≥ 0.50'],
      ['202 p50 (ms)', medida.p50.toFixed(1), ''],
      ['202 p99 (ms)', medida.p99.toFixed(1), '< 50'],
      ['until all timbrada (s)', medida.total.toFixed(1), ''],
      ['lost', String(medida.aceptadas - medida.timbradas.length), '0'],
      ['duplicated', String(medida.duplicadas), '0'],
      ['invoices in D1', String(n), ''],
      [d1.byTable ? 'D1 size (bytes)' : 'D1 file + WAL (bytes)', String(d1.bytes), ''],
      ['D1 bytes / invoice', (d1.bytes / n).toFixed(0), ''],
    ];
    console.log(`\nHexaFac API benchmark — N=${N}, concurrency=${C}, sandbox PAC, wrangler dev (no inspector, warn logs, D1 in ${scratch})\n`);
    for (const [k, v, t] of filas) console.log(`${k!.padEnd(26)}${v!.padStart(10)}   ${t ? `target ${t}` : ''}`);
    if (d1.byTable) {
      console.log(`\nD1 bytes by table, indexes included (sqlite dbstat), over ${n} invoices\n`);
      console.log(`${'table'.padEnd(34)}${'bytes'.padStart(10)}${'indexes'.padStart(10)}${'/ invoice'.padStart(11)}`);
      for (const t of d1.byTable) {
        console.log(`${t.table.padEnd(34)}${String(t.bytes).padStart(10)}${String(t.indexBytes).padStart(10)}${(t.bytes / n).toFixed(0).padStart(11)}`);
      }
    } else {
      console.log('\n(no sqlite3 CLI: the D1 size is its file plus WAL; apt-get install -y sqlite3 for page_count × page_size and the bytes by table)');
    }
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}

interface Medida {
  aceptadas: number;
  fallidas: number;
  healthPorSegundo: number;
  aceptadasPorSegundo: number;
  p50: number;
  p99: number;
  total: number;
  timbradas: string[];
  /** Wall clock (ms) of the first 202, comparable with the timestamps the Worker writes to D1. */
  primer202: number | null;
  duplicadas: number;
}

/** How a keyed request lost in the kill ended when sent again after the restart. */
interface Reintentos {
  repetidas: number;
  primeras: number;
  /** Answered 409 idempotency_request_in_progress at least once. */
  enCurso: number;
  /** Still 409 in progress when the timeout came. */
  sinResolver: number;
  otras: string[];
}

/** npm run bench:api -- --crash: see the top of this file. */
async function recuperacion() {
  const matarTras = Number(values['kill-after'] ?? Math.floor(N / 2));
  if (!(matarTras >= 1 && matarTras <= N)) throw new Error('--kill-after must be between 1 and --n');
  const plazoMs = Number(values.timeout) * SECOND;
  const port = Number(values.port);
  const persistTo = mkdtempSync(path.join(scratch, 'hexafac-crash-'));
  // One Idempotency-Key per request: its retry after the restart must find whatever the first try left.
  const corrida = `crash-${Date.now().toString(36)}`;
  const enviar = (api: string, token: string, i: number) =>
    request(`${api}/facturas`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `${corrida}-${i}` },
      body: JSON.stringify(factura(i)),
    });

  const aceptadas = new Map<number, string>();
  const perdidas: number[] = [];
  let rechazadas = 0;
  let enviadas = 0;
  let aceptadasAntes = 0;
  const reintentos: Reintentos = { repetidas: 0, primeras: 0, enCurso: 0, sinResolver: 0, otras: [] };
  let tCaida = 0;
  let tListo = 0;
  // Run as npm start runs it (inspector on, info logs), not the throughput engine: there each D1 call of a request
  // takes a round trip to Node, so a kill finds requests between their Idempotency-Key claim and their stored
  // answer, as it did in the crash this measures; the throughput engine closes that window to microseconds.
  let stack: LocalStack = await startLocalStack({ port, persistTo });
  // Same port after the restart, so the same base; the key is a new one.
  const api = `${stack.base}/api/hexafac/v1`;
  try {
    await calentar(api, { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/json' });
    let caida: Promise<void> | undefined;
    const caer = () => {
      tCaida = Date.now();
      caida = stack.crash();
    };
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (!caida && enviadas < N) {
          const i = enviadas++;
          try {
            const res = await enviar(api, stack.token, i);
            if (res.status === 202) aceptadas.set(i, (JSON.parse(res.text) as { id: string }).id);
            else rechazadas++;
          } catch {
            // The connection died with the stack: the request may or may not have been accepted.
            perdidas.push(i);
            continue;
          }
          if (!caida && aceptadas.size >= matarTras) caer();
        }
      }),
    );
    if (!caida) caer();
    await caida;
    aceptadasAntes = aceptadas.size;

    stack = await startLocalStack({ port, persistTo });
    tListo = Date.now();
    const headers = { Authorization: `Bearer ${stack.token}` };
    const limite = tListo + plazoMs;
    // The lost answers, asked again as a client does: same key, same body, honouring Retry-After on a 409.
    let reintentado = false;
    const reintentar = Promise.all(
      perdidas.map(async (i) => {
        let vioEnCurso = false;
        for (;;) {
          const res = await enviar(api, stack.token, i);
          if (res.status === 202) {
            aceptadas.set(i, (JSON.parse(res.text) as { id: string }).id);
            if (res.headers['idempotent-replayed'] === 'true') reintentos.repetidas++;
            else reintentos.primeras++;
            return;
          }
          const code = (JSON.parse(res.text) as { error?: { code?: string } }).error?.code;
          if (res.status !== 409 || code !== 'idempotency_request_in_progress') {
            reintentos.otras.push(`${res.status} ${code ?? ''}`.trim());
            return;
          }
          if (!vioEnCurso) reintentos.enCurso++;
          vioEnCurso = true;
          const espera = Number(res.headers['retry-after'] ?? 1) * SECOND;
          if (Date.now() + espera > limite) {
            reintentos.sinResolver++;
            return;
          }
          await dormir(espera);
        }
      }),
    ).then(() => {
      reintentado = true;
    });
    // Done when the retries have their answers and no invoice, answered or not, is still pendiente.
    const estados = new Map<string, string>();
    while (Date.now() < limite) {
      await listarEstados(api, headers, estados);
      if (reintentado && ![...estados.values()].some((e) => e.startsWith('pendiente'))) {
        break;
      }
      await dormir(SECOND);
    }
    await reintentar;
  } finally {
    agent.destroy();
    await stack.stop();
  }
  try {
    // With wrangler stopped, its D1 to ourselves: every row the burst made, by the request that made it.
    const filas = querySql<{ id: string; status: string; uuid: string | null; marca: string | null; timbrada_at: string | null }>(
      `SELECT f.id, f.status, f.uuid, json_extract(f.datos, '$.condiciones_de_pago') AS marca,
         (SELECT MAX(e.created_at) FROM hexafac_eventos e WHERE e.factura_id = f.id AND e.status_nuevo = 'timbrada') AS timbrada_at
       FROM hexafac_facturas f`,
      { persistTo },
    ).filter((f) => f.marca !== factura(-1).condiciones_de_pago);
    if (filas.some((f) => f.marca === null)) throw new Error('a row without its request mark (condiciones_de_pago)');
    const porPeticion = new Map<string, number>();
    for (const f of filas) porPeticion.set(f.marca!, (porPeticion.get(f.marca!) ?? 0) + 1);
    const uuids = filas.flatMap((f) => (f.uuid ? [f.uuid] : []));
    const duplicadas = [...porPeticion.values()].reduce((s, n) => s + n - 1, 0) + uuids.length - new Set(uuids).size;
    const porId = new Map(filas.map((f) => [f.id, f]));
    const idsAceptados = new Set(aceptadas.values());
    const perdidasAlFinal = [...idsAceptados].filter((id) => porId.get(id)?.status !== 'timbrada').length;
    const sinRespuesta = filas.filter((f) => !idsAceptados.has(f.id)).length;
    const atascadas = new Map<string, number>();
    for (const f of filas) if (f.status !== 'timbrada') atascadas.set(f.status, (atascadas.get(f.status) ?? 0) + 1);
    const caidaIso = new Date(tCaida).toISOString();
    const timbradasAntes = filas.filter((f) => f.timbrada_at !== null && f.timbrada_at < caidaIso).length;
    // The last stamp, from its event row (written when it happened), not from the 1 s poll.
    const ultima = Math.max(...filas.filter((f) => idsAceptados.has(f.id) && f.timbrada_at).map((f) => Date.parse(f.timbrada_at!)));
    const segundos = (desde: number) => (perdidasAlFinal === 0 && idsAceptados.size > 0 ? (Math.max(0, ultima - desde) / SECOND).toFixed(1) : `> ${values.timeout}`);
    const tabla = [
      ['requests sent before the kill', String(enviadas), ''],
      ['accepted (202) before the kill', String(aceptadasAntes), ''],
      ['timbrada before the kill', String(timbradasAntes), ''],
      ['answers lost in the kill', String(perdidas.length), ''],
      ['refused (not 202)', String(rechazadas), '0'],
      ['kill → API up again (s)', ((tListo - tCaida) / SECOND).toFixed(1), ''],
      ['retried: 202 replayed', String(reintentos.repetidas), ''],
      ['retried: 202 first answer', String(reintentos.primeras), ''],
      ['retried: 409 in progress', String(reintentos.enCurso), ''],
      ['retried: still 409 at end', String(reintentos.sinResolver), '0'],
      ['retried: other answers', reintentos.otras.length ? reintentos.otras.join(', ') : '0', '0'],
      ['accepted in all', String(idsAceptados.size), ''],
      ['restart → all timbrada (s)', segundos(tListo), '< 180'],
      ['kill → all timbrada (s)', segundos(tCaida), ''],
      ['lost', String(perdidasAlFinal), '0'],
      ['duplicated', String(duplicadas), '0'],
      ['rows made by the burst', String(filas.length), ''],
      ['rows not timbrada', atascadas.size ? [...atascadas].map(([s, n]) => `${n} ${s}`).join(', ') : '0', '0'],
      ['rows the client has no id of', String(sinRespuesta), '0'],
    ];
    console.log(
      `\nHexaFac crash recovery — N=${N}, concurrency=${C}, kill -9 after ${matarTras} × 202, local cron every ${BARRIDO_LOCAL_MS / SECOND} s, sandbox PAC, wrangler dev as npm start runs it (D1 in ${scratch})\n`,
    );
    for (const [k, v, t] of tabla) console.log(`${k!.padEnd(32)}${v!.padStart(10)}   ${t ? `target ${t}` : ''}`);
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}

/** What the batch's notas de crédito and complementos relate to: this many PUE and as many PPD facturas. */
const RELACIONADAS = 30;

/** The batch's items: per PUE factura two notas de crédito of 116.00, per PPD one complemento of its whole saldo, facturas for the rest. */
function itemsDeLote(n: number, pue: string[], ppd: string[]) {
  const receptor = factura(0).receptor;
  // now in Mexico City (UTC−6), as the SAT wants FechaPago
  const fechaPago = new Date(Date.now() - 6 * 3600 * SECOND).toISOString().slice(0, 19);
  const notas = pue.flatMap((uuid) => [0, 1].map(() => ({
    tipo: 'nota_credito',
    datos: {
      ...factura(0),
      cfdi_relacionados: [{ tipo_relacion: '01', uuids: [uuid] }],
      conceptos: [{ ...factura(0).conceptos[0]!, clave_prod_serv: '84111506', clave_unidad: 'ACT', descripcion: 'Bonificación' }],
    },
  })));
  const pagos = ppd.map((uuid) => ({
    tipo: 'complemento_pago',
    datos: { receptor: { ...receptor, uso_cfdi: 'CP01' }, pagos: [{ fecha_pago: fechaPago, forma_pago: '03', documentos: [{ uuid }] }] },
  }));
  const relacionados = [...notas, ...pagos].slice(0, n);
  const facturas = Array.from({ length: n - relacionados.length }, (_, i) => ({ tipo: 'factura', idempotency_key: `lote-${i}`, datos: factura(i) }));
  return [...facturas, ...relacionados];
}

/** What --lote and --nomina differ in: one request of many comprobantes, followed to its completion event. */
interface Tanda {
  /** The flag, for the scratch directory and the Idempotency-Key. */
  nombre: string;
  ruta: '/lotes' | '/nominas';
  /** Where the answer lists each item's result. */
  campo: 'items' | 'recibos';
  evento: 'lote.completado' | 'nomina.completada';
  max: number;
  /** The request's body, with the stack up (a batch may relate to comprobantes stamped before it). */
  cuerpo(api: string, headers: Record<string, string>): Promise<unknown>;
  /** What the request carries, for the table. */
  desglose: string;
  titulo: string;
}

/** The 30 PUE and 30 PPD facturas a batch relates to, stamped before it: their UUIDs. */
async function previas(api: string, headers: Record<string, string>, metodo: 'PUE' | 'PPD') {
  const ids = await Promise.all(
    Array.from({ length: RELACIONADAS }, async (_, i) => {
      // 1,160.00 each: two notas de crédito of 116.00 fit in a PUE's saldo
      const base = factura(10_000 + i);
      const body = { ...base, metodo_pago: metodo, forma_pago: metodo === 'PPD' ? '99' : '03', conceptos: [{ ...base.conceptos[0]!, cantidad: '10' }] };
      return (JSON.parse((await request(`${api}/facturas`, { method: 'POST', headers, body: JSON.stringify(body) })).text) as { id: string }).id;
    }),
  );
  const estados = await esperarTimbradas(api, headers, ids, 120_000, 300);
  return ids.map((id) => estados.get(id)!.split('|')[1]!);
}

function tandaDeLote(n: number): Tanda {
  const porTipo = new Map<string, number>();
  for (const i of itemsDeLote(n, Array(RELACIONADAS).fill(''), Array(RELACIONADAS).fill(''))) porTipo.set(i.tipo, (porTipo.get(i.tipo) ?? 0) + 1);
  return {
    nombre: 'lote',
    ruta: '/lotes',
    campo: 'items',
    evento: 'lote.completado',
    max: 500,
    cuerpo: async (api, headers) => ({ items: itemsDeLote(n, await previas(api, headers, 'PUE'), await previas(api, headers, 'PPD')) }),
    desglose: [...porTipo].map(([t, k]) => `${k} ${t}`).join(', '),
    titulo: `one POST /lotes of ${n} items`,
  };
}

// The characters of a CURP's check digit (RENAPO's instructivo), by value.
const CURP_VALORES = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';
const digitoCurp = (c17: string) => String((10 - ([...c17].reduce((s, ch, i) => s + CURP_VALORES.indexOf(ch) * (18 - i), 0) % 10)) % 10);

/** Employee i of the bench's payroll: born i × 9 days after 1970-01-01 (distinct RFC and CURP, each with its check digit). */
function empleado(i: number) {
  const nacimiento = new Date(Date.UTC(1970, 0, 1 + 9 * i)).toISOString();
  const aammdd = nacimiento.slice(2, 4) + nacimiento.slice(5, 7) + nacimiento.slice(8, 10);
  const rfc = `XOJI${aammdd}U4`;
  const curp = `XOJI${aammdd}MDFDMN0`;
  return { rfc: rfc + digitoVerificadorRfc(rfc), curp: curp + digitoCurp(curp), num_empleado: `E${String(i).padStart(4, '0')}`, num_seguridad_social: String(10_000_000_000 + i) };
}

function tandaDeNomina(n: number): Tanda {
  // the example payroll's quincena and employer; each recibo is its salaried one for another employee
  const { periodo, emisor, recibos: [recibo] } = EJEMPLO_NOMINA;
  return {
    nombre: 'nomina',
    ruta: '/nominas',
    campo: 'recibos',
    evento: 'nomina.completada',
    max: 1000,
    cuerpo: async () => ({
      periodo,
      emisor,
      recibos: Array.from({ length: n }, (_, i) => ({ ...recibo, receptor: { ...recibo.receptor, ...empleado(i), nombre: `EMPLEADO ${i} XODAR JIMENEZ` } })),
    }),
    desglose: `${n} employees, quincena ${periodo.fecha_inicial_pago} to ${periodo.fecha_final_pago}`,
    titulo: `one POST /nominas of ${n} recibos`,
  };
}

/** npm run bench:api -- --lote N / --nomina N: see the top of this file. */
async function tanda(n: number, t: Tanda) {
  if (!(n >= 1 && n <= t.max)) throw new Error(`--${t.nombre} takes 1 to ${t.max} ${t.campo}`);
  const persistTo = mkdtempSync(path.join(scratch, `hexafac-${t.nombre}-`));
  const stack = await startLocalStack({ port: Number(values.port), persistTo, benchmark: true });
  const api = `${stack.base}/api/hexafac/v1`;
  const headers = { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/json' };
  const plazo = Number(values.timeout) * SECOND;
  let tEnvio = 0;
  let t202 = 0;
  let tFin = 0;
  let bytes = 0;
  let id = '';
  // the last GET of the batch
  const visto: { fin?: { completado_at: string | null; aceptados: number; por_status: Record<string, number> } } = {};
  let aceptados: string[] = [];
  let rechazados: { indice: number; error: unknown }[] = [];
  try {
    await calentar(api, headers);
    const cuerpo = JSON.stringify(await t.cuerpo(api, headers));
    bytes = Buffer.byteLength(cuerpo);
    tEnvio = Date.now();
    const respuesta = await request(`${api}${t.ruta}`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': `bench-${t.nombre}-${tEnvio}` }, body: cuerpo });
    t202 = Date.now();
    if (respuesta.status === 429) {
      console.log(`\nPOST ${t.ruta} answered 429 (rate limit): ${respuesta.text}\nNot retried: the class's quota must allow one request.`);
      return;
    }
    if (respuesta.status !== 202) throw new Error(`POST ${t.ruta}: ${respuesta.status} ${respuesta.text.slice(0, 2000)}`);
    type Resultado = { indice: number; status: string; id?: string; error?: unknown };
    const r = JSON.parse(respuesta.text) as { id: string; items?: Resultado[]; recibos?: Resultado[] };
    id = r.id;
    const resultados = r[t.campo] ?? [];
    aceptados = resultados.flatMap((i) => (i.status === 'aceptado' ? [i.id!] : []));
    rechazados = resultados.flatMap((i) => (i.status === 'rechazado' ? [{ indice: i.indice, error: i.error }] : []));
    const limite = Date.now() + plazo;
    while (Date.now() < limite) {
      visto.fin = JSON.parse((await request(`${api}${t.ruta}/${id}`, { headers })).text) as typeof visto.fin;
      if (visto.fin!.completado_at) break;
      await dormir(250);
    }
    tFin = Date.now();
  } finally {
    agent.destroy();
    await stack.stop();
  }
  try {
    if (!id) return;
    // With wrangler stopped, its D1 to ourselves: the batch's rows, their stamps (timed by their event rows), and the events.
    const filas = querySql<{ id: string; status: string; uuid: string | null; serie: string; folio: string; timbrada_at: string | null }>(
      `SELECT f.id, f.status, f.uuid, f.serie, f.folio,
         (SELECT MAX(e.created_at) FROM hexafac_eventos e WHERE e.factura_id = f.id AND e.status_nuevo = 'timbrada') AS timbrada_at
       FROM hexafac_facturas f WHERE f.lote_id = ${`'${id}'`}`,
      { persistTo },
    );
    const todas = querySql<{ serie: string; folio: string; uuid: string | null }>('SELECT serie, folio, uuid FROM hexafac_facturas', { persistTo });
    const [{ completados }] = querySql<{ completados: number }>(
      `SELECT COUNT(*) AS completados FROM hexafac_eventos WHERE type = '${t.evento}' AND json_extract(data, '$.id') = '${id}'`,
      { persistTo },
    ) as [{ completados: number }];
    const porId = new Map(filas.map((f) => [f.id, f]));
    const timbradas = aceptados.filter((a) => porId.get(a)?.status === 'timbrada' && porId.get(a)!.timbrada_at);
    const uuids = todas.flatMap((f) => (f.uuid ? [f.uuid] : []));
    const uuidsDelLote = new Set(filas.flatMap((f) => (f.uuid ? [f.uuid] : [])));
    const folios = todas.map((f) => `${f.serie}|${f.folio}`);
    const duplicadas = filas.length - new Set(aceptados).size + (uuids.length - new Set(uuids).size) + (folios.length - new Set(folios).size);
    const ultima = Math.max(...timbradas.map((a) => Date.parse(porId.get(a)!.timbrada_at!)));
    const { fin } = visto;
    const todasTimbradas = timbradas.length === aceptados.length && aceptados.length > 0;
    const tabla = [
      [`${t.campo} sent (one request)`, String(n), ''],
      ['  request body (MiB)', (bytes / 2 ** 20).toFixed(2), ''],
      ['accepted in that request', String(aceptados.length), String(n)],
      [`refused ${t.campo}`, String(rechazados.length), '0'],
      ['request (s)', ((t202 - tEnvio) / SECOND).toFixed(2), ''],
      [`accepted ${t.campo}/s`, (aceptados.length / ((t202 - tEnvio) / SECOND)).toFixed(1), ''],
      ['request → all timbrada (s)', todasTimbradas ? ((ultima - tEnvio) / SECOND).toFixed(1) : `> ${((tFin - tEnvio) / SECOND).toFixed(0)}`, ''],
      ['stamped/s (202 → last stamp)', todasTimbradas ? (timbradas.length / Math.max(0.001, (ultima - t202) / SECOND)).toFixed(1) : '-', ''],
      [`rows of the ${t.nombre} (lote_id)`, String(filas.length), String(n)],
      ['distinct UUIDs among them', String(uuidsDelLote.size), String(n)],
      [`por_status (GET ${t.ruta}/{id})`, fin ? Object.entries(fin.por_status).filter(([, k]) => k).map(([s, k]) => `${k} ${s}`).join(', ') : '-', ''],
      [`aceptados (GET ${t.ruta}/{id})`, String(fin?.aceptados ?? '-'), String(n)],
      ['lost', String(aceptados.length - timbradas.length), '0'],
      ['duplicated', String(duplicadas), '0'],
      ['completado_at set', fin?.completado_at ? 'yes' : 'no', 'yes'],
      [`${t.evento} events`, String(completados), '1'],
    ];
    console.log(`\nHexaFac batch issuance — ${t.titulo} (${t.desglose}), sandbox PAC, wrangler dev (no inspector, warn logs, D1 in ${scratch})\n`);
    for (const [k, v, meta] of tabla) console.log(`${k!.padEnd(32)}${v!.padStart(14)}   ${meta ? `target ${meta}` : ''}`);
    if (rechazados.length) console.log(`\nfirst refused ${t.campo}: ${JSON.stringify(rechazados.slice(0, 3))}`);
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}

/** Facturas sent once the outage and the breaker's wait are over. */
const DESPUES = 20;

/** npm run bench:api -- --pac-caido S: see the top of this file. */
async function failover() {
  const segundos = Number(values['pac-caido']);
  if (!(segundos >= 1 && segundos <= 3600)) throw new Error('--pac-caido takes seconds, 1 to 3600');
  const persistTo = mkdtempSync(path.join(scratch, 'hexafac-failover-'));
  const stack = await startLocalStack({ port: Number(values.port), persistTo, benchmark: true });
  const api = `${stack.base}/api/hexafac/v1`;
  const headers = { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/json' };
  const ids: string[] = [];
  let fallidas = 0;
  let siguiente = 0;
  let tCaida = 0;
  let t0 = 0;
  let tFin = 0;
  const disparo = Math.floor(N / 3);
  const despues: string[] = [];
  try {
    await calentar(api, headers);
    t0 = Date.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (siguiente < N) {
          const i = siguiente++;
          const simular: Record<string, string> = i === disparo ? { 'X-HexaFac-Simular': `pac-caido=${segundos}` } : {};
          const res = await request(`${api}/facturas`, { method: 'POST', headers: { ...headers, ...simular }, body: JSON.stringify(factura(i)) });
          if (i === disparo) tCaida = Date.now();
          if (res.status === 202) ids.push((JSON.parse(res.text) as { id: string }).id);
          else fallidas++;
        }
      }),
    );
    const estados = new Map<string, string>();
    const limite = Date.now() + Number(values.timeout) * SECOND;
    const todasTimbradas = async (lista: string[]) => {
      while (Date.now() < limite) {
        await listarEstados(api, headers, estados);
        if (lista.every((id) => estados.get(id)?.startsWith('timbrada'))) return;
        await dormir(500);
      }
    };
    await todasTimbradas(ids);
    tFin = Date.now();
    // After the outage and the breaker's wait, the first PAC must take the stamps again: one factura is the
    // half-open breaker's single probe (the others of its batch would go to the second PAC meanwhile), and its
    // success closes the breaker for the rest.
    await dormir(Math.max(0, tCaida + segundos * SECOND + ESPERA_ABIERTO_MS - Date.now()) + SECOND);
    const enviar = async (i: number) => {
      const res = await request(`${api}/facturas`, { method: 'POST', headers, body: JSON.stringify(factura(N + i)) });
      if (res.status === 202) despues.push((JSON.parse(res.text) as { id: string }).id);
    };
    await enviar(0);
    await todasTimbradas(despues);
    for (let i = 1; i <= DESPUES; i++) await enviar(i);
    await todasTimbradas(despues);
  } finally {
    agent.destroy();
    await stack.stop();
  }
  try {
    const aceptadas = new Set(ids);
    const tras = querySql<{ id: string; pac: string | null; status: string }>(`SELECT id, pac, status FROM hexafac_facturas`, { persistTo }).filter((f) =>
      despues.includes(f.id),
    );
    const filas = querySql<{ id: string; status: string; uuid: string | null; pac: string | null; created_at: string; timbrada_at: string | null }>(
      `SELECT f.id, f.status, f.uuid, f.pac, f.created_at,
         (SELECT MAX(e.created_at) FROM hexafac_eventos e WHERE e.factura_id = f.id AND e.status_nuevo = 'timbrada') AS timbrada_at
       FROM hexafac_facturas f`,
      { persistTo },
    ).filter((f) => aceptadas.has(f.id));
    const timbradas = filas.filter((f) => f.status === 'timbrada' && f.timbrada_at);
    const uuids = timbradas.map((f) => f.uuid!);
    const porPac = new Map<string, number>();
    for (const f of timbradas) porPac.set(f.pac ?? '?', (porPac.get(f.pac ?? '?') ?? 0) + 1);
    const espera = timbradas.map((f) => Date.parse(f.timbrada_at!) - Date.parse(f.created_at)).sort((a, b) => a - b);
    const ultima = Math.max(...timbradas.map((f) => Date.parse(f.timbrada_at!)));
    const perdidas = ids.length - timbradas.length;
    const tabla = [
      ['facturas sent', String(N), ''],
      ['accepted (202)', String(ids.length), ''],
      ['refused (not 202)', String(fallidas), '0'],
      [`sandbox down (s)`, String(segundos), ''],
      ['trigger sent after (s)', ((tCaida - t0) / SECOND).toFixed(1), ''],
      ['stamped by sandbox', String(porPac.get('sandbox') ?? 0), ''],
      ['stamped by sandbox-respaldo', String(porPac.get('sandbox-respaldo') ?? 0), ''],
      ['202 → timbrada p50 (ms)', espera.length ? String(pct(espera, 50)) : '-', ''],
      ['202 → timbrada max (ms)', espera.length ? String(espera[espera.length - 1]) : '-', ''],
      ['first 202 → all timbrada (s)', perdidas === 0 ? ((ultima - t0) / SECOND).toFixed(1) : `> ${((tFin - t0) / SECOND).toFixed(0)}`, ''],
      ['lost', String(perdidas), '0'],
      ['duplicated UUIDs', String(uuids.length - new Set(uuids).size), '0'],
      ['after the outage: probe by', tras.find((f) => f.id === despues[0])?.pac ?? '-', 'sandbox'],
      [`then ${DESPUES} more, by sandbox`, String(tras.filter((f) => f.id !== despues[0] && f.status === 'timbrada' && f.pac === 'sandbox').length), String(DESPUES)],
    ];
    console.log(`\nHexaFac PAC failover — N=${N}, concurrency=${C}, sandbox PAC down ${segundos} s after ${disparo} facturas, sandbox-respaldo up, wrangler dev\n`);
    for (const [k, v, t] of tabla) console.log(`${k!.padEnd(30)}${v!.padStart(10)}   ${t ? `target ${t}` : ''}`);
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}

(values.lote ? tanda(Number(values.lote), tandaDeLote(Number(values.lote))) : values.nomina ? tanda(Number(values.nomina), tandaDeNomina(Number(values.nomina))) : values['pac-caido'] ? failover() : values.crash ? recuperacion() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
