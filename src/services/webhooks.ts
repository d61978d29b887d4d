import { count, desc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { statementOf } from '../db/client';
import { webhookConfigurations } from '../db/schema';
import type { Deps } from '../deps';
import { encryptSecret } from '../lib/crypto';
import { DomainError, zodDetails } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { HOUR } from '../lib/time';
import { cursorCondition, toPage } from '../lib/pagination';
import { findOwned, tenantColumns, tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import { endpointStub, entregas, type EntregaView } from '../webhooks/delivery';
import { cuerpoEvento, EVENTO_PRUEBA } from '../webhooks/events';
import { WebhookActualizarSchema, WebhookCrearSchema, type WebhookSchema } from '../webhooks/schemas';
import { generarSecreto } from '../webhooks/signature';
import { exigirUrlPermitida } from '../webhooks/url-policy';

// Webhook configurations for the API routes and the admin panel: no Hono here; client mistakes are DomainErrors.

export type WebhookView = z.infer<typeof WebhookSchema>;
export type { EntregaView };

type Config = typeof webhookConfigurations.$inferSelect;

export const MAX_WEBHOOKS = 10;
export const GRACIA_ROTACION_MS = 24 * HOUR;
const QUE = 'El webhook';

function vista(c: Config, ahora: Date): WebhookView {
  return {
    id: c.id,
    url: c.url,
    events: c.events,
    description: c.description,
    active: c.active,
    mode: c.mode,
    secreto_anterior_vigente_hasta:
      c.secret_anterior_expira && c.secret_anterior_expira > ahora.toISOString() ? c.secret_anterior_expira : null,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

function validar<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw DomainError.validation(zodDetails(r.error));
  return r.data;
}

/** `*` covers everything; otherwise each type once, in the order given. */
const normalizarEventos = (events: string[]) => (events.includes('*') ? ['*'] : [...new Set(events)]);

const vivo = (deps: Deps, t: Tenant, id: string) =>
  findOwned(tenantDb(deps, t).db, webhookConfigurations, t, id, QUE, isNull(webhookConfigurations.deleted_at));

export function crearWebhook(
  deps: Deps,
  tenant: Tenant,
  input: { url: string; events: string[]; description?: string },
  opts: { idempotencyKey?: string } = {},
): Promise<Idempotent<{ webhook: WebhookView; secret: string }>> {
  // The answer holds the signing secret, so the key keeps it encrypted, as the configuration does.
  const idem = { key: opts.idempotencyKey, operation: 'webhooks.crear', input, secret: true };
  return withIdempotency(deps, tenant, idem, async (recibo) => {
    const datos = validar(WebhookCrearSchema, input);
    const url = exigirUrlPermitida(datos.url, tenant.mode, deps.allowLocalWebhooks);
    const { db, d1 } = tenantDb(deps, tenant);
    const [{ n }] = await db
      .select({ n: count() })
      .from(webhookConfigurations)
      .where(tenantWhere(webhookConfigurations, tenant, isNull(webhookConfigurations.deleted_at)));
    if (n >= MAX_WEBHOOKS) {
      throw new DomainError('limite_webhooks', 'conflict', `Se admiten hasta ${MAX_WEBHOOKS} webhooks por aplicación y modo.`);
    }
    const secret = generarSecreto();
    const ahora = deps.clock();
    const fila: Config = {
      id: uuidv7(),
      ...tenantColumns(tenant),
      url,
      events: normalizarEventos(datos.events),
      description: datos.description || null,
      secret_cifrado: await encryptSecret(deps.masterKey, secret),
      secret_anterior_cifrado: null,
      secret_anterior_expira: null,
      active: true,
      deleted_at: null,
      created_at: ahora.toISOString(),
      updated_at: ahora.toISOString(),
    };
    const creado = { webhook: vista(fila, ahora), secret };
    // The configuration and the key's answer in one batch: a crash keeps both or neither.
    await d1.batch([statementOf(d1, db.insert(webhookConfigurations).values(fila)), ...(await recibo(creado))]);
    return creado;
  });
}

export async function listarWebhooks(
  deps: Deps,
  tenant: Tenant,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ data: WebhookView[]; next_cursor: string | null }> {
  const filas = await tenantDb(deps, tenant).db
    .select()
    .from(webhookConfigurations)
    .where(
      tenantWhere(webhookConfigurations, tenant, isNull(webhookConfigurations.deleted_at), cursorCondition(webhookConfigurations.id, cursor)),
    )
    .orderBy(desc(webhookConfigurations.id))
    .limit(limit + 1)
    .all();
  const ahora = deps.clock();
  return toPage(filas, limit, (f) => vista(f, ahora));
}

export async function obtenerWebhook(deps: Deps, tenant: Tenant, id: string): Promise<WebhookView> {
  return vista(await vivo(deps, tenant, id), deps.clock());
}

export async function actualizarWebhook(
  deps: Deps,
  tenant: Tenant,
  id: string,
  patch: { url?: string; events?: string[]; description?: string | null; active?: boolean },
): Promise<WebhookView> {
  const datos = validar(WebhookActualizarSchema, patch);
  const actual = await vivo(deps, tenant, id);
  const cambios: Partial<Config> = { updated_at: deps.clock().toISOString() };
  if (datos.url !== undefined) cambios.url = exigirUrlPermitida(datos.url, tenant.mode, deps.allowLocalWebhooks);
  if (datos.events !== undefined) cambios.events = normalizarEventos(datos.events);
  if (datos.description !== undefined) cambios.description = datos.description || null;
  if (datos.active !== undefined) cambios.active = datos.active;
  const fila = await tenantDb(deps, tenant).db
    .update(webhookConfigurations)
    .set(cambios)
    .where(tenantWhere(webhookConfigurations, tenant, eq(webhookConfigurations.id, id), isNull(webhookConfigurations.deleted_at)))
    .returning()
    .get();
  if (!fila) throw DomainError.notFound(QUE);
  // Deliveries paused while it was off resume now.
  if (!actual.active && fila.active) await endpointStub(deps.webhookEndpoints, id).reanudar();
  return vista(fila, deps.clock());
}

export async function eliminarWebhook(deps: Deps, tenant: Tenant, id: string): Promise<void> {
  await vivo(deps, tenant, id);
  const ahora = deps.clock().toISOString();
  await tenantDb(deps, tenant).db
    .update(webhookConfigurations)
    .set({ deleted_at: ahora, active: false, updated_at: ahora })
    .where(tenantWhere(webhookConfigurations, tenant, eq(webhookConfigurations.id, id)))
    .run();
  await endpointStub(deps.webhookEndpoints, id).descartar();
}

/** A new secret; the current one keeps signing (second `v1,` entry) for 24 h so receivers can switch without losing events. */
export async function rotarSecreto(deps: Deps, tenant: Tenant, id: string): Promise<{ webhook: WebhookView; secret: string }> {
  const actual = await vivo(deps, tenant, id);
  const secret = generarSecreto();
  const ahora = deps.clock().getTime();
  const fila = await tenantDb(deps, tenant).db
    .update(webhookConfigurations)
    .set({
      secret_cifrado: await encryptSecret(deps.masterKey, secret),
      secret_anterior_cifrado: actual.secret_cifrado,
      secret_anterior_expira: new Date(ahora + GRACIA_ROTACION_MS).toISOString(),
      updated_at: new Date(ahora).toISOString(),
    })
    .where(tenantWhere(webhookConfigurations, tenant, eq(webhookConfigurations.id, id)))
    .returning()
    .get();
  return { webhook: vista(fila!, deps.clock()), secret };
}

export async function listarEntregas(
  deps: Deps,
  tenant: Tenant,
  id: string,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ data: EntregaView[]; next_cursor: string | null }> {
  await vivo(deps, tenant, id);
  // A malformed cursor is the client's 422 here, before it reaches the endpoint's object.
  cursorCondition(entregas.id, cursor);
  return endpointStub(deps.webhookEndpoints, id).listar({ limit, cursor });
}

async function activo(deps: Deps, tenant: Tenant, id: string): Promise<Config> {
  const config = await vivo(deps, tenant, id);
  if (!config.active) throw new DomainError('webhook_inactivo', 'conflict', 'El webhook está desactivado; actívalo para enviarle eventos.');
  return config;
}

export async function reenviarEntrega(deps: Deps, tenant: Tenant, id: string, entregaId: string): Promise<EntregaView> {
  await activo(deps, tenant, id);
  const r = await endpointStub(deps.webhookEndpoints, id).reenviar(entregaId);
  if ('entrega' in r) return r.entrega;
  if (r.error === 'pendiente') throw new DomainError('entrega_pendiente', 'conflict', 'La entrega aún está pendiente; se reintentará sola.');
  throw DomainError.notFound('La entrega');
}

/** A signed `webhook.prueba` event, queued like any other. */
export async function enviarPrueba(deps: Deps, tenant: Tenant, id: string): Promise<EntregaView> {
  await activo(deps, tenant, id);
  const eventoId = uuidv7();
  const body = cuerpoEvento({
    id: eventoId,
    type: EVENTO_PRUEBA,
    created_at: deps.clock().toISOString(),
    mode: tenant.mode,
    data: { webhook_id: id, mensaje: 'Evento de prueba de HexaFac.' },
  });
  return endpointStub(deps.webhookEndpoints, id).encolar({ ...tenant, configId: id }, { evento_id: eventoId, type: EVENTO_PRUEBA, body, origen: 'prueba' });
}
