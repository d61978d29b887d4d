import { and, count, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { FACTURA_STATUSES, facturas, lotes, type FacturaStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { sha256Hex } from '../lib/crypto';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { uuidv7 } from '../lib/ids';
import { cursorCondition } from '../lib/pagination';
import { findOwned, tenantColumns, tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import { despacharEvento, type DespachoDeps, type EventType } from '../webhooks/events';
import { claveArchivo } from './comprobantes';
import { COMPLEMENTO_PAGO } from './complementos-pago';
import { aceptar, encolarTimbrados, type OpcionesAceptar, type Solicitud, type TipoEmision } from './emision';
import { FACTURA } from './facturas';
import { NOTA_CREDITO } from './notas-credito';

// A batch (POST /lotes): up to 500 comprobantes of any kind, each accepted on its own by its kind's emission
// service (src/services/emision.ts), in order, so a bad item never sinks the others and items that touch the same
// invoice's balance see each other. The batch's row holds its counts; the per-item answer (ids or errors) is in R2,
// since 500 of them outgrow a small row. An item's own Idempotency-Key is its kind's (`facturas.crear`, …): the same
// key alone, in another batch or in a replay gives the same comprobante. The batch's key replays the whole answer.
// A payroll (POST /nominas, src/services/nominas.ts) is the same engine with another ClaseDeLote: its kinds, its
// size, its event and its own listing.
//
// The row is written first without resultados_key and gets it, with its counts, once every item was tried: until
// then the batch cannot complete (its first items may be stamped while later ones are still being accepted).
//
// A crash mid-batch leaves items accepted but the batch's key without an answer, so the client's retry with that
// key runs the batch again: an item without a key of its own then takes one derived from the batch's key and its
// position, replays what the first try accepted, and moves into the new batch (only out of a batch whose acceptance
// never finished), so nothing is issued twice and the new batch waits for it.
//
// What one request costs the Worker: per item one D1 batch (row, folio, event, key), one R2 put when its request
// outgrows the row (a recibo de nómina always does) and, with a batch key, one D1 read of the derived key; plus
// the results in R2 and a queue sendBatch per 100. About 3,000 subrequests for 1,000 recibos: within the 10,000 a
// Workers Paid invocation gets by default (the former limit was 1,000).

/** A kind of batch: what it issues, how many at most, its Idempotency-Key scope, where an item sits in its body. */
export interface ClaseDeLote<K extends string = string> {
  clase: ClaseFila;
  tipos: Record<K, TipoEmision>;
  maxItems: number;
  operacion: string;
  /** The body's path of an item's field (`path` as its kind's route names it, '' for its whole body; none: the item itself). */
  ruta: (indice: number, path?: string) => string;
}

type ClaseFila = LoteFila['clase'];

/** The event each kind of batch sends once none of its comprobantes is left pendiente (recorded by completarLote). */
const EVENTO_COMPLETADO = { lote: 'lote.completado', nomina: 'nomina.completada' } as const satisfies Record<ClaseFila, EventType>;

export const TIPOS_DE_LOTE = { factura: FACTURA, nota_credito: NOTA_CREDITO, complemento_pago: COMPLEMENTO_PAGO } as const satisfies Record<string, TipoEmision>;
export type TipoDeLote = keyof typeof TIPOS_DE_LOTE;
export const MAX_ITEMS_LOTE = 500;

export const LOTE: ClaseDeLote<TipoDeLote> = {
  clase: 'lote',
  tipos: TIPOS_DE_LOTE,
  maxItems: MAX_ITEMS_LOTE,
  operacion: 'lotes.crear',
  ruta: (i, path) =>
    path === undefined ? `items[${i}]` : path === 'Idempotency-Key' ? `items[${i}].idempotency_key` : path ? `items[${i}].datos.${path}` : `items[${i}].datos`,
};

/** The states a batch's comprobantes are counted by (a draft is never in a batch). */
export const STATUS_DE_LOTE = FACTURA_STATUSES.filter((s) => s !== 'borrador');
export type PorStatus = Record<Exclude<FacturaStatus, 'borrador'>, number>;

/** An item as the edge read it: its kind's request, or the problems of its shape (what its own route would answer). */
export type ItemLote<K extends string = string> = { tipo: K; idempotencyKey?: string } & ({ solicitud: Solicitud } | { errores: ErrorDetail[] });

export type ResultadoItem<K extends string = string> =
  | { indice: number; tipo: K; status: 'aceptado'; id: string; advertencias: ErrorDetail[]; replayed: boolean }
  | { indice: number; tipo: K; status: 'rechazado'; error: { code: string; message: string; details: ErrorDetail[] } };

export type LoteFila = typeof lotes.$inferSelect;

export interface Lote<K extends string = string> {
  fila: LoteFila;
  por_status: PorStatus;
  items: ResultadoItem<K>[];
}

/** Where an item's problems are in the batch's body: `items[3].datos.receptor.rfc`, `recibos[3].receptor.curp`. */
function rechazo<K extends string>(clase: ClaseDeLote<K>, indice: number, tipo: K, err: DomainError): ResultadoItem<K> {
  const details = err.details.length
    ? err.details.map((d) => ({ ...d, path: clase.ruta(indice, d.path), code: d.code ?? err.code }))
    : [{ path: clase.ruta(indice), message: err.message, code: err.code }];
  return { indice, tipo, status: 'rechazado', error: { code: err.code, message: err.message, details } };
}

/** An item's key when it brings none and the batch has one: the batch's retry finds what its first try accepted. */
const claveDerivada = async (clase: ClaseFila, claveLote: string, indice: number) => `${clase}:${(await sha256Hex(claveLote)).slice(0, 32)}:${indice}`;

/** A comprobante a crashed try of the same batch accepted joins the retry's batch (never one that finished accepting). */
function adoptar(deps: Deps, t: Tenant, facturaId: string, loteId: string, indice: number) {
  return tenantDb(deps, t)
    .d1.prepare(
      `UPDATE hexafac_facturas SET lote_id = ?, lote_indice = ? WHERE id = ? AND client_application_id = ? AND mode = ?
         AND lote_id IN (SELECT id FROM hexafac_lotes WHERE resultados_key IS NULL AND id <> ?)`,
    )
    .bind(loteId, indice, facturaId, t.applicationId, t.mode, loteId)
    .run();
}

async function aceptarItem<K extends string>(
  deps: Deps,
  t: Tenant,
  clase: ClaseDeLote<K>,
  loteId: string,
  indice: number,
  item: ItemLote<K>,
  opts: OpcionesAceptar & { claveLote?: string },
  porEncolar: string[],
): Promise<ResultadoItem<K>> {
  if ('errores' in item) return rechazo(clase, indice, item.tipo, DomainError.validation(item.errores, 'El comprobante no cumple las reglas del SAT.'));
  const { claveLote, ...deAceptar } = opts;
  const derivada = !item.idempotencyKey && claveLote !== undefined;
  try {
    const idempotencyKey = derivada ? await claveDerivada(clase.clase, claveLote, indice) : item.idempotencyKey;
    const r = await aceptar(deps, t, clase.tipos[item.tipo], item.solicitud, { ...deAceptar, idempotencyKey, lote: { id: loteId, indice } });
    // an adopted comprobante's stamping was to be sent by the try that died: this batch sends it (a job runs once anyway)
    const adoptado = derivada && r.replayed && (await adoptar(deps, t, r.value.id, loteId, indice)).meta.changes > 0;
    if (!r.replayed || adoptado) porEncolar.push(r.value.id);
    return { indice, tipo: item.tipo, status: 'aceptado', id: r.value.id, advertencias: r.value.advertencias, replayed: r.replayed };
  } catch (err) {
    if (err instanceof DomainError) return rechazo(clase, indice, item.tipo, err);
    // Not the item's fault, but the items before it are accepted: the client keeps their ids and resends this one.
    deps.log.error('un comprobante del lote no se pudo aceptar', { lote: loteId, indice, error: (err as Error).message });
    return rechazo(clase, indice, item.tipo, new DomainError('internal_error', 'internal', 'Error interno al aceptar este comprobante; reenvíalo.'));
  }
}

/**
 * Accepts a batch of `clase`: its row (with the payroll's `periodo`), each item in order, the results in R2.
 * `cuerpo` is the request as sent, what the batch's Idempotency-Key compares.
 */
export async function crearLote<K extends string>(
  deps: Deps,
  t: Tenant,
  clase: ClaseDeLote<K>,
  entrada: { items: ItemLote<K>[]; cuerpo: unknown; periodo?: LoteFila['periodo'] },
  opts: OpcionesAceptar = {},
): Promise<Idempotent<Lote<K>>> {
  const { idempotencyKey, ...deCadaItem } = opts;
  // this call's own answer, kept so that it is not read back from R2
  const hecho: { lote?: Lote<K> } = {};
  const r = await withIdempotency<{ id: string }>(deps, t, { key: idempotencyKey, operation: clase.operacion, input: entrada.cuerpo }, async (recibo) => {
    const { db, d1 } = tenantDb(deps, t);
    const ahora = deps.clock();
    const id = uuidv7(ahora.getTime());
    const total = entrada.items.length;
    await db.insert(lotes).values({ id, ...tenantColumns(t), clase: clase.clase, periodo: entrada.periodo ?? null, total, aceptados: 0, rechazados: 0 });
    const items: ResultadoItem<K>[] = [];
    const porEncolar: string[] = [];
    for (const [indice, item] of entrada.items.entries()) {
      items.push(await aceptarItem(deps, t, clase, id, indice, item, { ...deCadaItem, claveLote: idempotencyKey }, porEncolar));
    }
    const aceptados = items.filter((i) => i.status === 'aceptado').length;
    const key = claveArchivo({ ...tenantColumns(t), fecha: ahora.toISOString() }, `lotes/${id}`, 'json');
    await deps.bucket.put(key, JSON.stringify(items), { httpMetadata: { contentType: 'application/json' } });
    await d1.batch([
      d1
        .prepare('UPDATE hexafac_lotes SET aceptados = ?, rechazados = ?, resultados_key = ?, updated_at = ? WHERE id = ? AND client_application_id = ? AND mode = ?')
        .bind(aceptados, total - aceptados, key, deps.clock().toISOString(), id, t.applicationId, t.mode),
      ...(await recibo({ id })),
    ]);
    deps.defer(encolarTimbrados(deps, porEncolar));
    hecho.lote = { fila: await findOwned(db, lotes, t, id, 'El lote'), por_status: await porStatus(deps, t, id), items };
    return { id };
  });
  if (r.replayed || !hecho.lote) return { value: await obtenerLote(deps, t, clase, r.value.id), replayed: r.replayed };
  // All refused, or every item replayed a comprobante of elsewhere: nothing of its own is left to wait for.
  if (await completarLote(deps, t, r.value.id)) return { value: await obtenerLote(deps, t, clase, r.value.id), replayed: false };
  return { value: hecho.lote, replayed: false };
}

async function porStatus(deps: Deps, t: Tenant, loteId: string): Promise<PorStatus> {
  const { db } = tenantDb(deps, t);
  const filas = await db
    .select({ status: facturas.status, n: count() })
    .from(facturas)
    .where(tenantWhere(facturas, t, eq(facturas.lote_id, loteId)))
    .groupBy(facturas.status)
    .all();
  const cuenta = Object.fromEntries(STATUS_DE_LOTE.map((s) => [s, 0])) as PorStatus;
  for (const f of filas) if (f.status !== 'borrador') cuenta[f.status] = f.n;
  return cuenta;
}

/** A batch of `clase`: a batch of the other kind (a payroll asked for as a lote) is a 404 like another tenant's. */
export async function obtenerLote<K extends string>(deps: Deps, t: Tenant, clase: ClaseDeLote<K>, id: string): Promise<Lote<K>> {
  const { db } = tenantDb(deps, t);
  const fila = await findOwned(db, lotes, t, id, clase.clase === 'lote' ? 'El lote' : 'La nómina', eq(lotes.clase, clase.clase));
  let items: ResultadoItem<K>[] = [];
  if (fila.resultados_key) {
    const obj = await deps.bucket.get(fila.resultados_key);
    if (!obj) throw new Error(`faltan en R2 los resultados del lote ${id} (${fila.resultados_key})`);
    items = await obj.json();
  }
  return { fila, por_status: await porStatus(deps, t, id), items };
}

export async function listarLotes(deps: Deps, t: Tenant, clase: ClaseDeLote, q: { limit: number; cursor?: string }): Promise<LoteFila[]> {
  const { db } = tenantDb(deps, t);
  return db
    .select()
    .from(lotes)
    .where(tenantWhere(lotes, t, eq(lotes.clase, clase.clase), cursorCondition(lotes.id, q.cursor)))
    .orderBy(desc(lotes.id))
    .limit(q.limit + 1)
    .all();
}

/**
 * Records `lote.completado` (a payroll's `nomina.completada`, with its periodo) once no comprobante of the batch is left pendiente, exactly once however many jobs (and
 * the cron) ask at the same time: the event INSERT … SELECT finds the batch only while it is not completed, its
 * acceptance is over and nothing is pendiente, with the counts read in that same statement; the UPDATE that marks it
 * completed only finds that very event (D1 runs a batch as one transaction, one batch at a time). Then dispatched.
 */
export async function completarLote(deps: DespachoDeps, t: Tenant, loteId: string): Promise<boolean> {
  const { d1 } = tenantDb(deps, t);
  const ahora = deps.clock();
  const cuando = ahora.toISOString();
  const eventoId = uuidv7(ahora.getTime());
  // the statuses are our own constants, not input
  const conteos = STATUS_DE_LOTE.map((s) => `'${s}', (SELECT COUNT(*) FROM hexafac_facturas f WHERE f.lote_id = l.id AND f.status = '${s}')`).join(', ');
  const tipo = `CASE l.clase ${Object.entries(EVENTO_COMPLETADO).map(([c, e]) => `WHEN '${c}' THEN '${e}'`).join(' ')} END`;
  const evento = d1
    .prepare(
      `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, data, created_at)
       SELECT ?, l.client_application_id, l.mode, NULL, ${tipo},
         json_patch(
           json_object('id', l.id, 'total', l.total, 'aceptados', l.aceptados, 'rechazados', l.rechazados, 'por_status', json_object(${conteos}),
             'created_at', l.created_at, 'completado_at', ?),
           CASE WHEN l.periodo IS NULL THEN '{}' ELSE json_object('periodo', json(l.periodo)) END), ?
       FROM hexafac_lotes l
       WHERE l.id = ? AND l.client_application_id = ? AND l.mode = ? AND l.completado_at IS NULL AND l.resultados_key IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM hexafac_facturas f WHERE f.lote_id = l.id AND f.status = 'pendiente')`,
    )
    .bind(eventoId, cuando, cuando, loteId, t.applicationId, t.mode);
  const marca = d1
    .prepare('UPDATE hexafac_lotes SET completado_at = ?, updated_at = ? WHERE id = ? AND completado_at IS NULL AND EXISTS (SELECT 1 FROM hexafac_eventos WHERE id = ?)')
    .bind(cuando, cuando, loteId, eventoId);
  const [insertado] = await d1.batch([evento, marca]);
  if (!insertado!.meta.changes) return false;
  await despacharEvento(deps, eventoId);
  return true;
}

/** The batches the cron checks: accepted, not completed (a safety net for a job that stopped before its check). */
export async function lotesSinCompletar(deps: Pick<Deps, 'db'>, limite: number): Promise<LoteFila[]> {
  return deps.db.select().from(lotes).where(and(isNull(lotes.completado_at), isNotNull(lotes.resultados_key))).limit(limite).all();
}
