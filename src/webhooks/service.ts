import { count, desc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { getDb } from '../db/client';
import { webhookConfigurations } from '../db/schema';
import type { Env } from '../env';
import { encryptSecret } from '../lib/crypto';
import { DomainError, zodDetails } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { cursorCondition, toPage } from '../lib/pagination';
import { findOwned, tenantColumns, tenantWhere, type Tenant } from '../lib/tenancy';
import { endpointStub, entregas, type EntregaView } from './delivery';
import { cuerpoEvento, EVENTO_PRUEBA } from './events';
import { WebhookActualizarSchema, WebhookCrearSchema, type WebhookSchema } from './schemas';
import { generarSecreto } from './signature';
import { exigirUrlPermitida, localPermitido } from './url-policy';

// Webhook configurations for the API routes and the admin panel: no Hono here; client mistakes are DomainErrors.

export type WebhookView = z.infer<typeof WebhookSchema>;
export type { EntregaView };

type Config = typeof webhookConfigurations.$inferSelect;

export const MAX_WEBHOOKS = 10;
export const GRACIA_ROTACION_MS = 24 * 3600_000;
const QUE = 'El webhook';

function vista(c: Config): WebhookView {
  return {
    id: c.id,
    url: c.url,
    events: c.events,
    description: c.description,
    active: c.active,
    mode: c.mode,
    secreto_anterior_vigente_hasta:
      c.secret_anterior_expira && c.secret_anterior_expira > new Date().toISOString() ? c.secret_anterior_expira : null,
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

const vivo = (env: Env, t: Tenant, id: string) =>
  findOwned(getDb(env), webhookConfigurations, t, id, QUE, isNull(webhookConfigurations.deleted_at));

export async function crearWebhook(
  env: Env,
  tenant: Tenant,
  input: { url: string; events: string[]; description?: string },
): Promise<{ webhook: WebhookView; secret: string }> {
  const datos = validar(WebhookCrearSchema, input);
  const url = exigirUrlPermitida(datos.url, tenant.mode, localPermitido(env));
  const db = getDb(env);
  const [{ n }] = await db
    .select({ n: count() })
    .from(webhookConfigurations)
    .where(tenantWhere(webhookConfigurations, tenant, isNull(webhookConfigurations.deleted_at)));
  if (n >= MAX_WEBHOOKS) {
    throw new DomainError('limite_webhooks', 'conflict', `Se admiten hasta ${MAX_WEBHOOKS} webhooks por aplicación y modo.`);
  }
  const secret = generarSecreto();
  const fila = await db
    .insert(webhookConfigurations)
    .values({
      id: uuidv7(),
      ...tenantColumns(tenant),
      url,
      events: normalizarEventos(datos.events),
      description: datos.description || null,
      secret_cifrado: await encryptSecret(env.MASTER_KEY, secret),
    })
    .returning()
    .get();
  return { webhook: vista(fila), secret };
}

export async function listarWebhooks(
  env: Env,
  tenant: Tenant,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ data: WebhookView[]; next_cursor: string | null }> {
  const filas = await getDb(env)
    .select()
    .from(webhookConfigurations)
    .where(
      tenantWhere(webhookConfigurations, tenant, isNull(webhookConfigurations.deleted_at), cursorCondition(webhookConfigurations.id, cursor)),
    )
    .orderBy(desc(webhookConfigurations.id))
    .limit(limit + 1)
    .all();
  return toPage(filas, limit, vista);
}

export async function obtenerWebhook(env: Env, tenant: Tenant, id: string): Promise<WebhookView> {
  return vista(await vivo(env, tenant, id));
}

export async function actualizarWebhook(
  env: Env,
  tenant: Tenant,
  id: string,
  patch: { url?: string; events?: string[]; description?: string | null; active?: boolean },
): Promise<WebhookView> {
  const datos = validar(WebhookActualizarSchema, patch);
  const actual = await vivo(env, tenant, id);
  const cambios: Partial<Config> = { updated_at: new Date().toISOString() };
  if (datos.url !== undefined) cambios.url = exigirUrlPermitida(datos.url, tenant.mode, localPermitido(env));
  if (datos.events !== undefined) cambios.events = normalizarEventos(datos.events);
  if (datos.description !== undefined) cambios.description = datos.description || null;
  if (datos.active !== undefined) cambios.active = datos.active;
  const fila = await getDb(env)
    .update(webhookConfigurations)
    .set(cambios)
    .where(tenantWhere(webhookConfigurations, tenant, eq(webhookConfigurations.id, id), isNull(webhookConfigurations.deleted_at)))
    .returning()
    .get();
  if (!fila) throw DomainError.notFound(QUE);
  // Deliveries paused while it was off resume now.
  if (!actual.active && fila.active) await endpointStub(env, id).reanudar();
  return vista(fila);
}

export async function eliminarWebhook(env: Env, tenant: Tenant, id: string): Promise<void> {
  await vivo(env, tenant, id);
  const ahora = new Date().toISOString();
  await getDb(env)
    .update(webhookConfigurations)
    .set({ deleted_at: ahora, active: false, updated_at: ahora })
    .where(tenantWhere(webhookConfigurations, tenant, eq(webhookConfigurations.id, id)))
    .run();
  await endpointStub(env, id).descartar();
}

/** A new secret; the current one keeps signing (second `v1,` entry) for 24 h so receivers can switch without losing events. */
export async function rotarSecreto(env: Env, tenant: Tenant, id: string): Promise<{ webhook: WebhookView; secret: string }> {
  const actual = await vivo(env, tenant, id);
  const secret = generarSecreto();
  const ahora = Date.now();
  const fila = await getDb(env)
    .update(webhookConfigurations)
    .set({
      secret_cifrado: await encryptSecret(env.MASTER_KEY, secret),
      secret_anterior_cifrado: actual.secret_cifrado,
      secret_anterior_expira: new Date(ahora + GRACIA_ROTACION_MS).toISOString(),
      updated_at: new Date(ahora).toISOString(),
    })
    .where(tenantWhere(webhookConfigurations, tenant, eq(webhookConfigurations.id, id)))
    .returning()
    .get();
  return { webhook: vista(fila!), secret };
}

export async function listarEntregas(
  env: Env,
  tenant: Tenant,
  id: string,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ data: EntregaView[]; next_cursor: string | null }> {
  await vivo(env, tenant, id);
  // A malformed cursor is the client's 422 here, before it reaches the endpoint's object.
  cursorCondition(entregas.id, cursor);
  return endpointStub(env, id).listar({ limit, cursor });
}

async function activo(env: Env, tenant: Tenant, id: string): Promise<Config> {
  const config = await vivo(env, tenant, id);
  if (!config.active) throw new DomainError('webhook_inactivo', 'conflict', 'El webhook está desactivado; actívalo para enviarle eventos.');
  return config;
}

export async function reenviarEntrega(env: Env, tenant: Tenant, id: string, entregaId: string): Promise<EntregaView> {
  await activo(env, tenant, id);
  const r = await endpointStub(env, id).reenviar(entregaId);
  if ('entrega' in r) return r.entrega;
  if (r.error === 'pendiente') throw new DomainError('entrega_pendiente', 'conflict', 'La entrega aún está pendiente; se reintentará sola.');
  throw DomainError.notFound('La entrega');
}

/** A signed `webhook.prueba` event, queued like any other. */
export async function enviarPrueba(env: Env, tenant: Tenant, id: string): Promise<EntregaView> {
  await activo(env, tenant, id);
  const eventoId = uuidv7();
  const body = cuerpoEvento({
    id: eventoId,
    type: EVENTO_PRUEBA,
    created_at: new Date().toISOString(),
    mode: tenant.mode,
    data: { webhook_id: id, mensaje: 'Evento de prueba de HexaFac.' },
  });
  return endpointStub(env, id).encolar({ ...tenant, configId: id }, { evento_id: eventoId, type: EVENTO_PRUEBA, body, origen: 'prueba' });
}
