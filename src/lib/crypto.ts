// Hashing, random tokens and AES-GCM for secrets stored at rest, all on Web Crypto.
import { fromBase64, toBase64 } from '../cfdi';

// Base64 is the fiscal core's (certificates and sellos need it there); re-exported for the rest of the app.
export { fromBase64, toBase64 };

const enc = new TextEncoder();

export const toBase64Url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export async function sha256Hex(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', typeof data === 'string' ? enc.encode(data) : data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** Constant-time comparison of two strings of equal length. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function masterKey(masterKeyB64: string): Promise<CryptoKey> {
  let key = keyCache.get(masterKeyB64);
  if (!key) {
    const raw = fromBase64(masterKeyB64);
    if (raw.length !== 32) throw new Error('MASTER_KEY must be base64 of 32 bytes');
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    keyCache.set(masterKeyB64, key);
  }
  return key;
}

/** AES-256-GCM with a random 96-bit IV; output `v1.<base64(iv ‖ ciphertext+tag)>`. */
export async function encryptSecret(masterKeyB64: string, plain: Uint8Array<ArrayBuffer> | string): Promise<string> {
  const iv = randomBytes(12);
  const data = typeof plain === 'string' ? enc.encode(plain) : plain;
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await masterKey(masterKeyB64), data));
  const out = new Uint8Array(iv.length + ct.length);
  out.set(iv);
  out.set(ct, iv.length);
  return `v1.${toBase64(out)}`;
}

export async function decryptSecret(masterKeyB64: string, sealed: string): Promise<Uint8Array<ArrayBuffer>> {
  if (!sealed.startsWith('v1.')) throw new Error('unknown secret format');
  const raw = fromBase64(sealed.slice(3));
  const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: raw.subarray(0, 12) }, await masterKey(masterKeyB64), raw.subarray(12));
  return new Uint8Array(pt);
}

export async function decryptSecretText(masterKeyB64: string, sealed: string): Promise<string> {
  return new TextDecoder().decode(await decryptSecret(masterKeyB64, sealed));
}
