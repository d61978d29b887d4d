import { webCrypto } from './crypto.js';
import { WebhookVerificationError } from './errors.js';
import type { EventoWebhook } from './types.js';

// Standard Webhooks (https://www.standardwebhooks.com): the signature is HMAC-SHA256, keyed with the bytes that the
// `whsec_` secret encodes, over `${webhook-id}.${webhook-timestamp}.${raw body}`; `webhook-signature` carries one or
// more space-separated `v1,<base64>` (two while a secret rotates).

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Largest allowed distance between `webhook-timestamp` and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** For tests: the current time in ms. */
  now?: number;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v.join(' ') : v;
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Constant time for equal lengths: every byte is compared whatever the first difference. */
function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const enc = new TextEncoder();

/**
 * Checks a webhook delivery and returns its parsed JSON payload, an EventoWebhook to narrow by `type`; throws
 * WebhookVerificationError otherwise.
 * `rawBody` must be the body exactly as received (string or bytes), before any JSON parsing.
 */
export async function verifySignature<T = EventoWebhook>(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyOptions = {},
): Promise<T> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('missing_headers', 'Faltan los encabezados webhook-id, webhook-timestamp o webhook-signature.');
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp no es un número de segundos.');
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError('timestamp_out_of_tolerance', `webhook-timestamp está a más de ${tolerance} s de la hora actual.`);
  }

  let keyBytes: Uint8Array;
  try {
    keyBytes = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  } catch {
    throw new WebhookVerificationError('invalid_secret', 'El secreto no es whsec_<base64>.');
  }
  const body = typeof rawBody === 'string' ? enc.encode(rawBody) : rawBody;
  const prefix = enc.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);

  const { subtle } = await webCrypto();
  const key = await subtle.importKey('raw', keyBytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const expected = new Uint8Array(await subtle.sign('HMAC', key, content));

  let valid = false;
  for (const entry of signatures.split(' ')) {
    const [version, sig] = entry.split(',', 2);
    if (version !== 'v1' || !sig) continue;
    let given: Uint8Array;
    try {
      given = fromBase64(sig);
    } catch {
      continue;
    }
    // No early exit: every listed signature is compared.
    valid = timingSafeEqual(given, expected) || valid;
  }
  if (!valid) throw new WebhookVerificationError('invalid_signature', 'Ninguna firma v1 de webhook-signature corresponde al cuerpo.');
  return JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody)) as T;
}
