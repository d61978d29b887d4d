import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { eventos, webhookConfigurations } from '../db/schema';
import type { Deps } from '../deps';
import { tenantDb, tenantOfRow, tenantWhere } from '../lib/tenancy';
import { endpointStub } from './delivery';

export const EVENT_TYPES = [
  'factura.timbrada',
  'factura.rechazada',
  'factura.error',
  'factura.cancelada',
  'factura.cancelacion_rechazada',
  'nota_credito.timbrada',
  'nota_credito.rechazada',
  'nota_credito.error',
  'nota_credito.cancelada',
  'nota_credito.cancelacion_rechazada',
  'complemento_pago.timbrada',
  'complemento_pago.rechazada',
  'complemento_pago.error',
  'complemento_pago.cancelada',
  'complemento_pago.cancelacion_rechazada',
  // a sustitución ended: the original is cancelled with motivo 01 and the replacement's UUID
  'factura.sustituida',
  // a supplier asked to cancel a CFDI addressed to this application's issuer: answer within 72 hours
  'cancelacion_recibida.pendiente',
  // the application's CSD ends in 30 or 7 days, or has ended (the cron; to the application and its platform)
  'aplicacion.csd_por_vencer',
  'aplicacion.csd_vencido',
  // every accepted item of a batch reached timbrada, rechazada or error
  'lote.completado',
  // an export's file is in R2, ready to download
  'exportacion.lista',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const esPublico = (type: string): type is EventType => (EVENT_TYPES as readonly string[]).includes(type);

/** What `POST /webhooks/{id}/prueba` sends; never a real event, so no configuration subscribes to it. */
export const EVENTO_PRUEBA = 'webhook.prueba';

/**
 * The delivery body every endpoint receives: `{id, type, timestamp, created, mode, data}`. `timestamp` is the
 * field Standard Webhooks recommends; `created` (the same instant) stays for receivers written before it.
 */
export function cuerpoEvento(e: { id: string; type: string; created_at: string; mode: string; data: unknown }): string {
  return JSON.stringify({ id: e.id, type: e.type, timestamp: e.created_at, created: e.created_at, mode: e.mode, data: e.data });
}

/**
 * Hands one recorded event (a row of hexafac_eventos, already committed by the caller in the same D1 batch as the status change)
 * to every active, non-deleted webhook configuration of the same application+mode subscribed to its type (or '*'):
 * each endpoint's Durable Object stores it durably before this resolves; then sets eventos.despachado_at.
 * Idempotent: calling it twice for the same event id never delivers twice (the DO dedupes by event id).
 */
export type DespachoDeps = Pick<Deps, 'db' | 'd1' | 'webhookEndpoints' | 'clock'>;

export async function despacharEvento(deps: DespachoDeps, eventoId: string): Promise<void> {
  // The id comes from our own job, not from a client: the event row itself names its tenant.
  const evento = await deps.db.select().from(eventos).where(eq(eventos.id, eventoId)).get();
  if (!evento || evento.despachado_at) return;
  const tenant = tenantOfRow(evento);
  const { db } = tenantDb(deps, tenant);
  const configs = await db
    .select({ id: webhookConfigurations.id, events: webhookConfigurations.events })
    .from(webhookConfigurations)
    .where(tenantWhere(webhookConfigurations, tenant, eq(webhookConfigurations.active, true), isNull(webhookConfigurations.deleted_at)))
    .all();
  // Only documented types leave the system: '*' never exposes intermediate states such as cancelacion_pendiente.
  const suscritos = esPublico(evento.type) ? configs.filter((c) => c.events.includes('*') || c.events.includes(evento.type)) : [];
  const body = cuerpoEvento(evento);
  // All endpoints at once: each one only stores here, so a slow receiver never holds the others back.
  await Promise.all(
    suscritos.map((c) => endpointStub(deps.webhookEndpoints, c.id).encolar({ ...tenant, configId: c.id }, { evento_id: evento.id, type: evento.type, body })),
  );
  await db
    .update(eventos)
    .set({ despachado_at: deps.clock().toISOString() })
    .where(and(eq(eventos.id, evento.id), isNull(eventos.despachado_at)))
    .run();
}

/** Re-dispatches every event of the tenant (or all) whose despachado_at is null (used by redelivered jobs / cron). */
export async function despacharPendientes(deps: DespachoDeps, filtro: { facturaId?: string; creadosAntesDe?: string; limite?: number } = {}): Promise<number> {
  const pendientes = await deps.db
    .select({ id: eventos.id })
    .from(eventos)
    .where(
      and(
        isNull(eventos.despachado_at),
        filtro.facturaId ? eq(eventos.factura_id, filtro.facturaId) : undefined,
        filtro.creadosAntesDe ? lt(eventos.created_at, filtro.creadosAntesDe) : undefined,
      ),
    )
    .orderBy(asc(eventos.id))
    .limit(filtro.limite ?? -1)
    .all();
  // In creation order, one by one, so each endpoint's queue receives them in order.
  for (const { id } of pendientes) await despacharEvento(deps, id);
  return pendientes.length;
}
