import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { exportaciones, facturas } from '../db/schema';
import type { Deps } from '../deps';
import { backoffSeconds } from '../lib/retry';
import { MINUTE, SECOND } from '../lib/time';
import { tenantOfRow } from '../lib/tenancy';
import { enviosOlvidados } from '../services/envios';
import { PLAZO_PASO_MS } from '../services/exportaciones';
import { completarLote, lotesSinCompletar } from '../services/lotes';
import { despacharPendientes } from '../webhooks/events';

// The cron safety net: whatever a crash between two steps, or a lost queue message, could leave half
// done gets finished.
// Everything it triggers is idempotent, so running it twice, or beside a live job, changes nothing.

/**
 * How late past its due time a pendiente's next try may be before its message counts as lost. A try is due
 * at acceptance (intentos 0) or `backoffSeconds(intentos)` after the transient failure that last touched the
 * row, so a failing PAC keeps its backoff. A minute covers a late delivery and a PAC call in flight (SW Sapien
 * gives up on a request after 30 s; a job still running beside the re-sent one gets the same stamp), and
 * still finds a message lost at acceptance or in a crash (wrangler dev keeps the queue in memory) 70 s on.
 */
export const MARGEN_PENDIENTE_MS = MINUTE;
/**
 * A `cancelar` message's transient retries leave cancelacion_revisar_at where it was (src/jobs/cancelar-factura.ts),
 * so overdue means past its whole retry chain (10 s + 20 s + … + 160 s ≈ 5 min before the dead-letter queue),
 * doubled for a late delivery.
 */
const CANCELACION_OLVIDADA_MS = 10 * MINUTE;
/**
 * A timbrada whose XML R2 refused keeps it in the row and its `timbrar` message retries the copy
 * (src/jobs/procesar-factura.ts); past that message's whole retry chain, as for a cancellation, it is re-sent.
 */
const XML_SIN_ARCHIVAR_MS = 10 * MINUTE;
/**
 * An export's step is taken (updated_at) before its work; one quiet past the holder's PLAZO_PASO_MS lost its message
 * (wrangler dev keeps the queue in memory; a reload drops it). Sent again, the copy takes the step only once that has
 * passed, and the step number lets one commit.
 */
const EXPORTACION_OLVIDADA_MS = PLAZO_PASO_MS + MINUTE;
/** An envío retried by the queue (10 s + 20 s + … ≈ 5 min before the dead-letter queue), doubled, as for an export. */
const ENVIO_OLVIDADO_MS = 10 * MINUTE;
/** Expired Idempotency-Keys and admin sessions are removed a batch at a time, so a run stays short. */
const LOTE_PURGA = 500;
/** A job dispatches right after its transition; older undispatched events were left by a crash. */
const EVENTO_OLVIDADO_MS = MINUTE;
const LOTE = 100;
/** The first intentos whose wait is the backoff's cap: every count from there on waits the same. */
const INTENTOS_AL_TOPE = (() => {
  let n = 1;
  while (backoffSeconds(n + 1) > backoffSeconds(n)) n++;
  return n;
})();

/** A pendiente quiet for longer than its next try is due plus the margin: one CASE on intentos, in SQL. */
function pendienteOlvidada(ahora: Date) {
  const limite = (intentos: number) => new Date(ahora.getTime() - backoffSeconds(intentos) * SECOND - MARGEN_PENDIENTE_MS).toISOString();
  const casos = Array.from({ length: INTENTOS_AL_TOPE }, (_, n) => sql`WHEN ${n} THEN ${limite(n)}`);
  // The shortest wait bounds them all: a range on the pendientes' updated_at index before the CASE.
  return and(
    lt(facturas.updated_at, limite(0)),
    sql`${facturas.updated_at} < CASE ${facturas.intentos} ${sql.join(casos, sql` `)} ELSE ${limite(INTENTOS_AL_TOPE)} END`,
  );
}

export interface Barrido {
  eventos: number;
  reencolados: number;
  /** Batches completed here: their last comprobante's job stopped before it checked. */
  lotes: number;
  cancelaciones: number;
  /** Exports whose step was sent again. */
  exportaciones: number;
  /** Envíos (emails) whose message was sent again. */
  envios: number;
  purgados: number;
}

export async function barrer(deps: Deps): Promise<Barrido> {
  const ahora = deps.clock();
  const eventos = await despacharPendientes(deps, {
    creadosAntesDe: new Date(ahora.getTime() - EVENTO_OLVIDADO_MS).toISOString(),
    limite: LOTE,
  });
  // A comprobante still `pendiente` past its next try lost its queue message (or the DLQ's): send it again.
  // A queue backlog older than that gets at most LOTE extra messages a run: harmless, the jobs are idempotent.
  const olvidadas = await deps.db
    .select({ id: facturas.id })
    .from(facturas)
    .where(and(eq(facturas.status, 'pendiente'), pendienteOlvidada(ahora)))
    .limit(LOTE)
    .all();
  const sinArchivar = await deps.db
    .select({ id: facturas.id })
    .from(facturas)
    .where(and(isNotNull(facturas.xml_timbrado), lt(facturas.updated_at, new Date(ahora.getTime() - XML_SIN_ARCHIVAR_MS).toISOString())))
    .limit(LOTE)
    .all();
  const reenviar = [...olvidadas, ...sinArchivar];
  if (reenviar.length) await deps.queue.sendBatch(reenviar.map(({ id }) => ({ body: { kind: 'timbrar' as const, id } })));
  return {
    eventos,
    reencolados: reenviar.length,
    lotes: await completarLotes(deps),
    cancelaciones: await reenviarCancelaciones(deps, ahora),
    exportaciones: await reenviarExportaciones(deps, ahora),
    envios: await reenviarEnvios(deps, ahora),
    purgados: await purgar(deps, ahora),
  };
}

/** An envío's retries leave it pendiente with updated_at at the last try; past its whole retry chain it lost its message. */
async function reenviarEnvios(deps: Deps, ahora: Date): Promise<number> {
  const ids = await enviosOlvidados(deps, new Date(ahora.getTime() - ENVIO_OLVIDADO_MS).toISOString(), LOTE);
  if (ids.length) await deps.queue.sendBatch(ids.map((id) => ({ body: { kind: 'enviar' as const, id } })));
  return ids.length;
}

async function reenviarExportaciones(deps: Deps, ahora: Date): Promise<number> {
  const quietas = await deps.db
    .select({ id: exportaciones.id, progreso: exportaciones.progreso })
    .from(exportaciones)
    .where(and(inArray(exportaciones.status, ['pendiente', 'procesando']), lt(exportaciones.updated_at, new Date(ahora.getTime() - EXPORTACION_OLVIDADA_MS).toISOString())))
    .limit(LOTE)
    .all();
  if (quietas.length) {
    await deps.queue.sendBatch(quietas.map((e) => ({ body: { kind: 'exportar' as const, id: e.id, paso: (e.progreso as { paso?: number } | null)?.paso ?? 0 } })));
  }
  return quietas.length;
}

async function completarLotes(deps: Deps): Promise<number> {
  let n = 0;
  for (const l of await lotesSinCompletar(deps, LOTE)) if (await completarLote(deps, tenantOfRow(l), l.id)) n++;
  return n;
}

/** What only lives for a while: Idempotency-Keys past their 24 h, admin sessions past their expiry (revoked ones too). */
async function purgar(deps: Deps, ahora: Date): Promise<number> {
  const limite = ahora.toISOString();
  const r = await deps.d1.batch([
    deps.d1
      .prepare('DELETE FROM hexafac_idempotency_keys WHERE rowid IN (SELECT rowid FROM hexafac_idempotency_keys WHERE expires_at < ? LIMIT ?)')
      .bind(limite, LOTE_PURGA),
    deps.d1.prepare('DELETE FROM hexafac_admin_sessions WHERE rowid IN (SELECT rowid FROM hexafac_admin_sessions WHERE expires_at < ? LIMIT ?)').bind(limite, LOTE_PURGA),
  ]);
  return r.reduce((n, x) => n + x.meta.changes, 0);
}

/**
 * A cancelacion_pendiente whose `cancelar` message is long overdue lost it (the request's, or a delayed
 * status check): a new one is sent, due now, so any late original stands down (src/jobs/cancelar-factura.ts).
 */
async function reenviarCancelaciones(deps: Deps, ahora: Date): Promise<number> {
  const { db } = deps;
  const limite = new Date(ahora.getTime() - CANCELACION_OLVIDADA_MS).toISOString();
  const vencida = and(
    eq(facturas.status, 'cancelacion_pendiente'),
    or(lt(facturas.cancelacion_revisar_at, limite), and(isNull(facturas.cancelacion_revisar_at), lt(facturas.updated_at, limite))),
  );
  // One statement picks and marks them, so a job's rescheduling cannot be overwritten in between.
  const tomadas = await db
    .update(facturas)
    .set({ cancelacion_revisar_at: ahora.toISOString() })
    .where(inArray(facturas.id, db.select({ id: facturas.id }).from(facturas).where(vencida).limit(LOTE)))
    .returning({ id: facturas.id });
  if (tomadas.length) await deps.queue.sendBatch(tomadas.map(({ id }) => ({ body: { kind: 'cancelar' as const, id } })));
  return tomadas.length;
}
