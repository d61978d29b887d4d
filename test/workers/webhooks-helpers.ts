import { env } from 'cloudflare:workers';
import { getDb } from '../../src/db/client';
import { eventos, type Mode } from '../../src/db/schema';
import { depsDe } from '../../src/deps';
import { PLATFORM_SCOPES } from '../../src/lib/auth-plataforma';
import { uuidv7 } from '../../src/lib/ids';
import { crearPlataforma, crearPlatformKey } from '../../src/services/plataformas';
import { api, createTenant, json } from '../helpers';

// Webhook tests talk to a real receiver: the Node-side TEST_RECEIVER that gets every outbound fetch of the Worker.

export interface Recibida {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered. */
  status: number;
}

export interface Respuesta {
  status: number;
  body?: string;
  delay_ms?: number;
}

/** A public-looking host of its own per test, so receivers never mix. */
export const hostUnico = () => `r${uuidv7().replace(/-/g, '').slice(-16)}.example.com`;

export async function guion(host: string, script: { guion?: Respuesta[]; siempre?: Respuesta }) {
  await env.TEST_RECEIVER.fetch(`http://receptor/guion/${host}`, { method: 'PUT', body: JSON.stringify(script) });
}

export async function recibidas(host: string): Promise<Recibida[]> {
  return (await env.TEST_RECEIVER.fetch(`http://receptor/recibidas/${host}`)).json();
}

/** Polls `leer` until `listo` holds (deliveries run on the endpoint's own alarm). */
export async function esperar<T>(leer: () => Promise<T>, listo: (v: T) => boolean, ms = 5000): Promise<T> {
  const fin = Date.now() + ms;
  for (;;) {
    const v = await leer();
    if (listo(v)) return v;
    if (Date.now() > fin) throw new Error(`timed out waiting; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A tenant with one webhook to a fresh receiver host. */
export async function tenantConWebhook(opts: { mode?: Mode; events?: string[] } = {}) {
  const { app, token } = await createTenant({ mode: opts.mode ?? 'test' });
  const host = hostUnico();
  const res = await api('POST', '/webhooks', { token, body: { url: `https://${host}/hook`, events: opts.events ?? ['*'] } });
  if (res.status !== 201) throw new Error(`webhook not created: ${res.status} ${await res.text()}`);
  const webhook = await json(res);
  return { app, token, host, webhook, secret: webhook.secret as string, tenant: { applicationId: app.id, mode: opts.mode ?? ('test' as Mode) } };
}

/** Records an event as the pipeline does (the row is committed before dispatch). */
export async function registrarEvento(
  tenant: { applicationId: string; mode: Mode },
  type = 'factura.timbrada',
  data: Record<string, unknown> = { id: uuidv7(), status: 'timbrada' },
  facturaId: string | null = null,
) {
  const row = {
    id: uuidv7(),
    client_application_id: tenant.applicationId,
    mode: tenant.mode,
    factura_id: facturaId,
    type,
    status_anterior: 'pendiente',
    status_nuevo: 'timbrada',
    data,
  };
  return getDb(env).insert(eventos).values(row).returning().get();
}

export const entregasDe = async (token: string, webhookId: string) =>
  (await json(await api('GET', `/webhooks/${webhookId}/entregas?limit=100`, { token }))).data as any[];

const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/**
 * An independent Standard Webhooks verifier, written from the specification (not the project's signer):
 * key = base64-decoded bytes after `whsec_`; signed content `${webhook-id}.${webhook-timestamp}.${body}`;
 * HMAC-SHA256; `webhook-signature` holds space-separated `v1,<base64>` entries, any of which may match;
 * the timestamp must be within 5 minutes of now.
 */
export async function verificaStandardWebhooks(
  secret: string,
  headers: Record<string, string>,
  body: string,
  ahoraS = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const firmas = headers['webhook-signature'];
  if (!id || !ts || !firmas || !/^\d+$/.test(ts)) return false;
  if (Math.abs(ahoraS - Number(ts)) > 5 * 60) return false;
  const key = await crypto.subtle.importKey('raw', fromB64(secret.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const contenido = new TextEncoder().encode(`${id}.${ts}.${body}`);
  for (const entrada of firmas.split(' ')) {
    const [version, firma] = entrada.split(',');
    if (version !== 'v1' || !firma) continue;
    if (await crypto.subtle.verify('HMAC', key, fromB64(firma), contenido)) return true;
  }
  return false;
}

/** Waits until the endpoint's log holds `n` attempts in all (its alarm is set by then, unlike when the receiver first sees a request). */
export const esperarIntentos = (token: string, webhookId: string, n = 1) =>
  esperar(
    () => entregasDe(token, webhookId),
    (l) => l.reduce((a, e) => a + e.intentos.length, 0) >= n,
  );

/** A platform with a key (platform scopes, all unless told otherwise), minted as the admin panel does. */
export async function plataformaConKey(scopes: readonly string[] = PLATFORM_SCOPES) {
  const deps = depsDe(env);
  const plataforma = await crearPlataforma(deps, { name: `Plataforma ${uuidv7().slice(-6)}` });
  const { token } = await crearPlatformKey(deps, plataforma.id, { name: 'test key', scopes });
  return { platformId: plataforma.id, token };
}

/** A platform with one webhook to a fresh receiver host. */
export async function plataformaConWebhook(events: string[] = ['*']) {
  const { platformId, token } = await plataformaConKey();
  const host = hostUnico();
  const res = await api('POST', '/plataforma/webhooks', { token, body: { url: `https://${host}/hook`, events } });
  if (res.status !== 201) throw new Error(`platform webhook not created: ${res.status} ${await res.text()}`);
  const webhook = await json(res);
  return { platformId, token, host, webhook, secret: webhook.secret as string };
}
