import { fromBase64, randomBytes, toBase64 } from '../lib/crypto';

// Standard Webhooks (https://www.standardwebhooks.com): HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}`,
// keyed with the bytes the `whsec_` secret encodes, sent as `webhook-signature: v1,<base64>` (several, space-separated).

const PREFIJO = 'whsec_';
const BYTES_SECRETO = 32;

/** `whsec_` + base64 of 32 random bytes; shown to the client once. */
export function generarSecreto(): string {
  return PREFIJO + toBase64(randomBytes(BYTES_SECRETO));
}

function llave(secreto: string): Promise<CryptoKey> {
  if (!secreto.startsWith(PREFIJO)) throw new Error('webhook secret without whsec_ prefix');
  return crypto.subtle.importKey('raw', fromBase64(secreto.slice(PREFIJO.length)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

const enc = new TextEncoder();

/** The `webhook-signature` value: one `v1,<sig>` per secret (two during a rotation), space-separated. */
export async function firmar(secretos: string[], id: string, timestamp: number, body: string): Promise<string> {
  const contenido = enc.encode(`${id}.${timestamp}.${body}`);
  const firmas = await Promise.all(
    secretos.map(async (s) => `v1,${toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', await llave(s), contenido)))}`),
  );
  return firmas.join(' ');
}

/** The three Standard Webhooks headers plus the content type, for one attempt at `ahora`. */
export async function encabezadosFirmados(secretos: string[], id: string, body: string, ahora = Date.now()): Promise<Record<string, string>> {
  const timestamp = Math.floor(ahora / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'HexaFac-Webhooks/1.0',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await firmar(secretos, id, timestamp, body),
  };
}
