import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { clientApplications, eventos, MODES, platformWebhooks, webhookConfigurations, type Mode } from '../db/schema';
import type { Deps } from '../deps';
import { tenantDb, tenantOfRow } from '../lib/tenancy';
import { endpointStub, type Destino } from './delivery';
import { alcance, PREFIJO_EVENTOS_PLATAFORMA } from './dueno';

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
  'recibo_nomina.timbrado',
  'recibo_nomina.rechazado',
  'recibo_nomina.error',
  'recibo_nomina.cancelado',
  'recibo_nomina.cancelacion_rechazada',
  'traslado.timbrado',
  'traslado.rechazado',
  'traslado.error',
  'traslado.cancelado',
  'traslado.cancelacion_rechazada',
  // a sustitución ended: the original is cancelled with motivo 01 and the replacement's UUID
  'factura.sustituida',
  // a supplier asked to cancel a CFDI addressed to this application's issuer: answer within 72 hours
  'cancelacion_recibida.pendiente',
  // the application's CSD ends in 30 or 7 days, or has ended (the cron; to the application and its platform)
  'aplicacion.csd_por_vencer',
  'aplicacion.csd_vencido',
  // every accepted item of a batch reached timbrada, rechazada or error
  'lote.completado',
  // every recibo of a payroll (POST /nominas) reached timbrado, rechazado or error
  'nomina.completada',
  // an export's file is in R2, ready to download
  'exportacion.lista',
  // a recibo's own CFDI (from the autofactura portal or the API) is stamped
  'recibo.facturado',
  // a factura global of the recibos nobody invoiced is stamped
  'factura_global.timbrada',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a platform's endpoints may hear: the events about its applications. */
export const EVENTOS_PLATAFORMA = EVENT_TYPES.filter((t) => t.startsWith(PREFIJO_EVENTOS_PLATAFORMA));

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
 * to every active, non-deleted webhook configuration of the same application+mode subscribed to its type (or '*'), and an
 * event about the application itself (`aplicacion.*`) also to its platform's subscribed endpoints:
 * each endpoint's Durable Object stores it durably before this resolves; then sets eventos.despachado_at.
 * Idempotent: calling it twice for the same event id never delivers twice (the DO dedupes by event id).
 */
export type DespachoDeps = Pick<Deps, 'db' | 'd1' | 'webhookEndpoints' | 'clock'>;

const suscrito = (type: string) => (c: { events: string[] }) => c.events.includes('*') || c.events.includes(type);

/** The endpoints an event goes to, each with the mode its body states. */
async function destinosDe(deps: DespachoDeps, evento: typeof eventos.$inferSelect): Promise<{ destino: Destino; mode: Mode }[]> {
  const tenant = tenantOfRow(evento);
  const deAplicacion = evento.type.startsWith(PREFIJO_EVENTOS_PLATAFORMA);
  // The CSD seals in both modes (the sandbox's stamps are signed with it too) and ends for both: each of the
  // application's endpoints hears about it, in its own mode. Every other event stays in the mode it happened in.
  const modos = deAplicacion ? MODES : [tenant.mode];
  const porModo = await Promise.all(
    modos.map((mode) => {
      const t = { ...tenant, mode };
      const a = alcance(t);
      return tenantDb(deps, t)
        .db.select({ id: webhookConfigurations.id, events: webhookConfigurations.events })
        .from(webhookConfigurations)
        .where(a.donde(eq(webhookConfigurations.active, true), isNull(webhookConfigurations.deleted_at)))
        .all()
        .then((cs) => cs.filter(suscrito(evento.type)).map((c) => ({ destino: { ...t, configId: c.id }, mode })));
    }),
  );
  const destinos: { destino: Destino; mode: Mode }[] = porModo.flat();
  if (!deAplicacion) return destinos;
  const app = await deps.db.select({ platform_id: clientApplications.platform_id }).from(clientApplications).where(eq(clientApplications.id, tenant.applicationId)).get();
  if (!app?.platform_id) return destinos;
  const plataforma = { platformId: app.platform_id };
  const deLaPlataforma = await deps.db
    .select({ id: platformWebhooks.id, events: platformWebhooks.events })
    .from(platformWebhooks)
    .where(alcance(plataforma).donde(eq(platformWebhooks.active, true), isNull(platformWebhooks.deleted_at)))
    .all();
  return [...destinos, ...deLaPlataforma.filter(suscrito(evento.type)).map((c) => ({ destino: { ...plataforma, configId: c.id }, mode: evento.mode }))];
}

export async function despacharEvento(deps: DespachoDeps, eventoId: string): Promise<void> {
  // The id comes from our own job, not from a client: the event row itself names its tenant.
  const evento = await deps.db.select().from(eventos).where(eq(eventos.id, eventoId)).get();
  if (!evento || evento.despachado_at) return;
  // Only documented types leave the system: '*' never exposes intermediate states such as cancelacion_pendiente.
  const destinos = esPublico(evento.type) ? await destinosDe(deps, evento) : [];
  // All endpoints at once: each one only stores here, so a slow receiver never holds the others back.
  await Promise.all(
    destinos.map(({ destino, mode }) =>
      endpointStub(deps.webhookEndpoints, destino.configId).encolar(destino, { evento_id: evento.id, type: evento.type, body: cuerpoEvento({ ...evento, mode }) }),
    ),
  );
  await tenantDb(deps, tenantOfRow(evento))
    .db.update(eventos)
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
