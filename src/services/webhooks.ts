import { count, desc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { statementOf } from '../db/client';
import type { Deps } from '../deps';
import { encryptSecret } from '../lib/crypto';
import { DomainError, zodDetails } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { HOUR } from '../lib/time';
import { cursorCondition, toPage } from '../lib/pagination';
import { endpointStub, entregas, type EntregaView } from '../webhooks/delivery';
import { alcance, cargarConfig, comoConfig, duenoDb, esPlataforma, type ConfigWebhook, type Dueno, type Plataforma } from '../webhooks/dueno';
import { cuerpoEvento, EVENTO_PRUEBA } from '../webhooks/events';
import {
  WebhookActualizarSchema,
  WebhookCrearSchema,
  WebhookPlataformaActualizarSchema,
  WebhookPlataformaCrearSchema,
  type WebhookPlataformaSchema,
  type WebhookSchema,
} from '../webhooks/schemas';
import { generarSecreto } from '../webhooks/signature';
import { exigirUrlPermitida } from '../webhooks/url-policy';

// Webhook configurations for the API routes and the admin panel: no Hono here; client mistakes are DomainErrors.
// Each function serves either owner (src/webhooks/dueno.ts): an application in one mode, or a platform.

export type WebhookView = z.infer<typeof WebhookSchema>;
export type WebhookPlataformaView = z.infer<typeof WebhookPlataformaSchema>;
export type { Dueno, EntregaView };
/** An application's endpoint is in a mode; a platform's is not. */
type VistaDe<D extends Dueno> = D extends Plataforma ? WebhookPlataformaView : WebhookView;

export const MAX_WEBHOOKS = 10;
export const GRACIA_ROTACION_MS = 24 * HOUR;
const QUE = 'El webhook';

function vista<D extends Dueno>(dueno: D, c: ConfigWebhook, ahora: Date): VistaDe<D> {
  const v = {
    id: c.id,
    url: c.url,
    events: c.events,
    description: c.description,
    active: c.active,
    ...(esPlataforma(dueno) ? {} : { mode: c.mode }),
    secreto_anterior_vigente_hasta:
      c.secret_anterior_expira && c.secret_anterior_expira > ahora.toISOString() ? c.secret_anterior_expira : null,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
  return v as VistaDe<D>;
}

/** A platform may subscribe only to the events about its applications. */
const esquemas = (d: Dueno) =>
  esPlataforma(d)
    ? { crear: WebhookPlataformaCrearSchema, actualizar: WebhookPlataformaActualizarSchema }
    : { crear: WebhookCrearSchema, actualizar: WebhookActualizarSchema };

function validar<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw DomainError.validation(zodDetails(r.error));
  return r.data;
}

/** `*` covers everything; otherwise each type once, in the order given. */
const normalizarEventos = (events: string[]) => (events.includes('*') ? ['*'] : [...new Set(events)]);

async function vivo(deps: Deps, d: Dueno, id: string): Promise<ConfigWebhook> {
  const config = await cargarConfig(deps, d, id, isNull(alcance(d).tabla.deleted_at));
  if (!config) throw DomainError.notFound(QUE);
  return config;
}

export function crearWebhook<D extends Dueno>(
  deps: Deps,
  dueno: D,
  input: { url: string; events: string[]; description?: string },
  opts: { idempotencyKey?: string } = {},
): Promise<Idempotent<{ webhook: VistaDe<D>; secret: string }>> {
  const a = alcance(dueno);
  // The answer holds the signing secret, so the key keeps it encrypted, as the configuration does.
  const idem = { key: opts.idempotencyKey, operation: 'webhooks.crear', input, secret: true };
  return withIdempotency(deps, a.idempotencia, idem, async (recibo) => {
    const datos = validar(esquemas(dueno).crear, input);
    const url = exigirUrlPermitida(datos.url, a.mode, deps.allowLocalWebhooks);
    const { db, d1 } = duenoDb(deps, dueno);
    const [{ n }] = await db.select({ n: count() }).from(a.tabla).where(a.donde(isNull(a.tabla.deleted_at)));
    if (n >= MAX_WEBHOOKS) {
      const de = esPlataforma(dueno) ? 'por plataforma' : 'por aplicación y modo';
      throw new DomainError('limite_webhooks', 'conflict', `Se admiten hasta ${MAX_WEBHOOKS} webhooks ${de}.`);
    }
    const secret = generarSecreto();
    const ahora = deps.clock();
    const config: ConfigWebhook = {
      id: uuidv7(),
      mode: a.mode,
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
    const { mode: _, ...comun } = config;
    const creado = { webhook: vista(dueno, config, ahora), secret };
    // The configuration and the key's answer in one batch: a crash keeps both or neither.
    const insert = db.insert(a.tabla).values({ ...comun, ...a.columnas } as typeof a.tabla.$inferInsert);
    await d1.batch([statementOf(d1, insert), ...(await recibo(creado))]);
    return creado;
  });
}

export async function listarWebhooks<D extends Dueno>(
  deps: Deps,
  dueno: D,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ data: VistaDe<D>[]; next_cursor: string | null }> {
  const a = alcance(dueno);
  const filas = await duenoDb(deps, dueno)
    .db.select()
    .from(a.tabla)
    .where(a.donde(isNull(a.tabla.deleted_at), cursorCondition(a.tabla.id, cursor)))
    .orderBy(desc(a.tabla.id))
    .limit(limit + 1)
    .all();
  const ahora = deps.clock();
  return toPage(filas, limit, (f) => vista(dueno, comoConfig(a, f), ahora));
}

export async function obtenerWebhook<D extends Dueno>(deps: Deps, dueno: D, id: string): Promise<VistaDe<D>> {
  return vista(dueno, await vivo(deps, dueno, id), deps.clock());
}

export async function actualizarWebhook<D extends Dueno>(
  deps: Deps,
  dueno: D,
  id: string,
  patch: { url?: string; events?: string[]; description?: string | null; active?: boolean },
): Promise<VistaDe<D>> {
  const a = alcance(dueno);
  const datos = validar(esquemas(dueno).actualizar, patch);
  const actual = await vivo(deps, dueno, id);
  const cambios: Partial<ConfigWebhook> = { updated_at: deps.clock().toISOString() };
  if (datos.url !== undefined) cambios.url = exigirUrlPermitida(datos.url, a.mode, deps.allowLocalWebhooks);
  if (datos.events !== undefined) cambios.events = normalizarEventos(datos.events);
  if (datos.description !== undefined) cambios.description = datos.description || null;
  if (datos.active !== undefined) cambios.active = datos.active;
  const fila = await duenoDb(deps, dueno)
    .db.update(a.tabla)
    .set(cambios)
    .where(a.donde(eq(a.tabla.id, id), isNull(a.tabla.deleted_at)))
    .returning()
    .get();
  if (!fila) throw DomainError.notFound(QUE);
  // Deliveries paused while it was off resume now.
  if (!actual.active && fila.active) await endpointStub(deps.webhookEndpoints, id).reanudar();
  return vista(dueno, comoConfig(a, fila), deps.clock());
}

export async function eliminarWebhook(deps: Deps, dueno: Dueno, id: string): Promise<void> {
  const a = alcance(dueno);
  await vivo(deps, dueno, id);
  const ahora = deps.clock().toISOString();
  await duenoDb(deps, dueno)
    .db.update(a.tabla)
    .set({ deleted_at: ahora, active: false, updated_at: ahora })
    .where(a.donde(eq(a.tabla.id, id)))
    .run();
  await endpointStub(deps.webhookEndpoints, id).descartar();
}

/** A new secret; the current one keeps signing (second `v1,` entry) for 24 h so receivers can switch without losing events. */
export async function rotarSecreto<D extends Dueno>(deps: Deps, dueno: D, id: string): Promise<{ webhook: VistaDe<D>; secret: string }> {
  const a = alcance(dueno);
  const actual = await vivo(deps, dueno, id);
  const secret = generarSecreto();
  const ahora = deps.clock().getTime();
  const fila = await duenoDb(deps, dueno)
    .db.update(a.tabla)
    .set({
      secret_cifrado: await encryptSecret(deps.masterKey, secret),
      secret_anterior_cifrado: actual.secret_cifrado,
      secret_anterior_expira: new Date(ahora + GRACIA_ROTACION_MS).toISOString(),
      updated_at: new Date(ahora).toISOString(),
    })
    .where(a.donde(eq(a.tabla.id, id)))
    .returning()
    .get();
  return { webhook: vista(dueno, comoConfig(a, fila!), deps.clock()), secret };
}

export async function listarEntregas(
  deps: Deps,
  dueno: Dueno,
  id: string,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ data: EntregaView[]; next_cursor: string | null }> {
  await vivo(deps, dueno, id);
  // A malformed cursor is the client's 422 here, before it reaches the endpoint's object.
  cursorCondition(entregas.id, cursor);
  return endpointStub(deps.webhookEndpoints, id).listar({ limit, cursor });
}

async function activo(deps: Deps, dueno: Dueno, id: string): Promise<ConfigWebhook> {
  const config = await vivo(deps, dueno, id);
  if (!config.active) throw new DomainError('webhook_inactivo', 'conflict', 'El webhook está desactivado; actívalo para enviarle eventos.');
  return config;
}

export async function reenviarEntrega(deps: Deps, dueno: Dueno, id: string, entregaId: string): Promise<EntregaView> {
  await activo(deps, dueno, id);
  const r = await endpointStub(deps.webhookEndpoints, id).reenviar(entregaId);
  if ('entrega' in r) return r.entrega;
  if (r.error === 'pendiente') throw new DomainError('entrega_pendiente', 'conflict', 'La entrega aún está pendiente; se reintentará sola.');
  throw DomainError.notFound('La entrega');
}

/** A signed `webhook.prueba` event, queued like any other. */
export async function enviarPrueba(deps: Deps, dueno: Dueno, id: string): Promise<EntregaView> {
  const config = await activo(deps, dueno, id);
  const eventoId = uuidv7();
  const body = cuerpoEvento({
    id: eventoId,
    type: EVENTO_PRUEBA,
    created_at: deps.clock().toISOString(),
    mode: config.mode,
    data: { webhook_id: id, mensaje: 'Evento de prueba de HexaFac.' },
  });
  return endpointStub(deps.webhookEndpoints, id).encolar({ ...dueno, configId: id }, { evento_id: eventoId, type: EVENTO_PRUEBA, body, origen: 'prueba' });
}
