import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { sha256Hex } from './crypto';
import { DomainError } from './errors';
import { HOUR } from './time';
import { tenantDb, type Tenant } from './tenancy';

// Idempotency-Key for creating operations, whoever calls them (API, admin panel, batch): same key + same
// operation and input → the first result again; same key + anything else → conflict. Kept 24 h per
// application and mode. Only completed results are kept: a refused operation changed nothing, so
// retrying it with the same key is a fresh try.

const TTL_MS = 24 * HOUR;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyKey {
  key: string;
  /** What is being done, e.g. `facturas.crear`: the same key for another operation is a conflict. */
  operation: string;
  input: unknown;
}

export interface Idempotent<T> {
  value: T;
  /** True when this is the stored result of an earlier call with the same key. */
  replayed: boolean;
}

export async function withIdempotency<T>(
  deps: { db: Db; d1: D1Database; clock: () => Date },
  t: Tenant,
  idem: IdempotencyKey | undefined,
  run: () => Promise<T>,
): Promise<Idempotent<T>> {
  if (!idem) return { value: await run(), replayed: false };
  if (!KEY_RE.test(idem.key)) {
    throw DomainError.validation([{ path: 'Idempotency-Key', message: 'De 1 a 255 caracteres ASCII visibles.' }]);
  }
  const { db } = tenantDb(deps, t);
  const where = and(eq(idempotencyKeys.client_application_id, t.applicationId), eq(idempotencyKeys.mode, t.mode), eq(idempotencyKeys.key, idem.key));
  const hash = await sha256Hex(`${idem.operation}\n${JSON.stringify(idem.input)}`);
  const now = deps.clock();

  const claimed = await db
    .insert(idempotencyKeys)
    .values({ client_application_id: t.applicationId, mode: t.mode, key: idem.key, request_hash: hash, expires_at: new Date(now.getTime() + TTL_MS).toISOString() })
    .onConflictDoNothing()
    .run();
  if (claimed.meta.changes === 0) {
    const prior = (await db.select().from(idempotencyKeys).where(where).get())!;
    if (prior.expires_at <= now.toISOString()) {
      await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.expires_at, prior.expires_at)));
      return withIdempotency(deps, t, idem, run);
    }
    if (prior.request_hash !== hash) {
      throw new DomainError('idempotency_key_reused', 'conflict', 'Esta Idempotency-Key ya se usó con otra solicitud.');
    }
    if (prior.response_body === null) {
      throw new DomainError(
        'idempotency_request_in_progress',
        'conflict',
        'Una solicitud con esta Idempotency-Key aún está en curso; reintenta en unos segundos.',
        [],
        { 'Retry-After': '1' },
      );
    }
    return { value: JSON.parse(prior.response_body) as T, replayed: true };
  }

  let value: T;
  try {
    value = await run();
  } catch (err) {
    await db.delete(idempotencyKeys).where(where);
    throw err;
  }
  await db.update(idempotencyKeys).set({ response_status: 200, response_body: JSON.stringify(value) }).where(where);
  return { value, replayed: false };
}
