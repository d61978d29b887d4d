import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { getDb } from '../src/db/client';
import { apiKeys } from '../src/db/schema';
import { sha256Hex } from '../src/lib/crypto';
import { LIMITES, type Clase, type Tarifa } from '../src/lib/rate-limit';

// Tests of the rate limits drive a key's counter (src/lib/rate-limiter.ts) directly instead of sending its whole budget.

/** A bucket's clock never runs backwards: spent at a time this far ahead, it does not refill during a test. */
export const ADELANTE_MS = 10 * 60_000;

export async function idDeClave(token: string): Promise<string> {
  const [fila] = await getDb(env).select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.token_hash, await sha256Hex(token)));
  if (!fila) throw new Error('no such key');
  return fila.id;
}

export const contador = (quien: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(quien));

/** Leaves `quedan` requests in `quien`'s bucket of `clase` (a key id, or `ip:<ip>`), frozen until the test ends. */
export async function dejarCuota(quien: string, clase: Clase, quedan: number, tarifa: Tarifa = 'estandar'): Promise<void> {
  const politica = LIMITES[tarifa][clase];
  const { permitido } = await contador(quien).consumir(clase, politica, Date.now() + ADELANTE_MS, politica.q - quedan);
  if (!permitido) throw new Error(`the bucket of ${clase} had fewer than ${politica.q - quedan} requests left`);
}
