import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { facturas } from '../db/schema';
import type { Deps } from '../deps';
import { MINUTE } from '../lib/time';
import { despacharPendientes } from '../webhooks/events';

// The cron safety net: whatever a crash between two steps, or a lost queue message, could leave half
// done gets finished.
// Everything it triggers is idempotent, so running it twice, or beside a live job, changes nothing.

/** Longer than the whole stamping retry schedule (10 s … 160 s between five tries). */
export const PENDIENTE_OLVIDADA_MS = 30 * MINUTE;
/** A job dispatches right after its transition; older undispatched events were left by a crash. */
const EVENTO_OLVIDADO_MS = MINUTE;
const LOTE = 100;

export async function barrer(deps: Deps): Promise<{ eventos: number; reencolados: number; cancelaciones: number }> {
  const ahora = deps.clock();
  const eventos = await despacharPendientes(deps, {
    creadosAntesDe: new Date(ahora.getTime() - EVENTO_OLVIDADO_MS).toISOString(),
    limite: LOTE,
  });
  // A comprobante still `pendiente` long after acceptance lost its queue message (or the DLQ's): send it again.
  const olvidadas = await deps.db
    .select({ id: facturas.id })
    .from(facturas)
    .where(and(eq(facturas.status, 'pendiente'), lt(facturas.updated_at, new Date(ahora.getTime() - PENDIENTE_OLVIDADA_MS).toISOString())))
    .limit(LOTE)
    .all();
  if (olvidadas.length) await deps.queue.sendBatch(olvidadas.map(({ id }) => ({ body: { kind: 'timbrar' as const, id } })));
  return { eventos, reencolados: olvidadas.length, cancelaciones: await reenviarCancelaciones(deps, ahora) };
}

/**
 * A cancelacion_pendiente whose `cancelar` message is long overdue lost it (the request's, or a delayed
 * status check): a new one is sent, due now, so any late original stands down (src/jobs/cancelar-factura.ts).
 */
async function reenviarCancelaciones(deps: Deps, ahora: Date): Promise<number> {
  const { db } = deps;
  const limite = new Date(ahora.getTime() - PENDIENTE_OLVIDADA_MS).toISOString();
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
