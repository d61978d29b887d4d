import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { constraintViolation } from '../db/constraints';
import { idempotencyKeys } from '../db/schema';
import { decryptSecretText, encryptSecret, sha256Hex } from './crypto';
import { DomainError } from './errors';
import { HOUR } from './time';
import { tenantDb, type Tenant } from './tenancy';

// Idempotency-Key for creating operations, whoever calls them (API, admin panel, batch): same key + same
// operation and input → the first result again; same key + anything else → conflict. Kept 24 h per
// application and mode.
//
// The key is written by the very D1 batch that makes the change, together with the answer (`Recibo`):
// there is no "claimed, in progress" row a crash could strand, and no change without its answer. Two
// requests with one key may both do the checks; only one batch commits (the key is the table's primary
// key), and the other answers what the winner stored. A refused operation stored nothing, so retrying it
// with the same key is a fresh try.

const TTL_MS = 24 * HOUR;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyKey {
  /** The client's Idempotency-Key; without one the operation simply runs. */
  key: string | undefined;
  /** What is being done, e.g. `facturas.crear`: the same key for another operation is a conflict. */
  operation: string;
  input: unknown;
  /** The answer carries a secret (a webhook's signing secret): stored encrypted with the master key. */
  secret?: boolean;
}

export interface Idempotent<T> {
  value: T;
  /** True when this is the stored result of an earlier call with the same key. */
  replayed: boolean;
}

/**
 * The statements that store `value` as the key's answer, for the batch that makes the change (none when
 * the call has no key). `onlyIf` is a SQL condition the change itself makes true (e.g. a guarded UPDATE
 * took effect), so a batch whose guard matched nothing stores no answer either.
 */
export type Recibo<T> = (value: T, onlyIf?: { where: string; params: unknown[] }) => Promise<D1PreparedStatement[]>;

type IdempotencyDeps = { db: Db; d1: D1Database; clock: () => Date; masterKey: string };

export async function withIdempotency<T>(
  deps: IdempotencyDeps,
  t: Tenant,
  idem: IdempotencyKey,
  run: (recibo: Recibo<T>) => Promise<T>,
): Promise<Idempotent<T>> {
  const key = idem.key;
  if (key === undefined) return { value: await run(async () => []), replayed: false };
  if (!KEY_RE.test(key)) {
    throw DomainError.validation([{ path: 'Idempotency-Key', message: 'De 1 a 255 caracteres ASCII visibles.' }]);
  }
  const { db, d1 } = tenantDb(deps, t);
  const where = and(eq(idempotencyKeys.client_application_id, t.applicationId), eq(idempotencyKeys.mode, t.mode), eq(idempotencyKeys.key, key));
  const hash = await sha256Hex(`${idem.operation}\n${JSON.stringify(idem.input)}`);

  /** The answer stored under this key, if any (an expired one is removed); not a replay when it is `ours`. */
  const prior = async (ours?: string): Promise<Idempotent<T> | null> => {
    const row = await db.select().from(idempotencyKeys).where(where).get();
    if (!row) return null;
    // Expired, or a claim with no answer left by the mechanism before this one: gone, as if never made.
    if (row.expires_at <= deps.clock().toISOString() || row.response_body === null) {
      await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.expires_at, row.expires_at)));
      return null;
    }
    if (row.request_hash !== hash) {
      throw new DomainError('idempotency_key_reused', 'conflict', 'Esta Idempotency-Key ya se usó con otra solicitud.');
    }
    const body = idem.secret ? await decryptSecretText(deps.masterKey, row.response_body) : row.response_body;
    return { value: JSON.parse(body) as T, replayed: row.response_body !== ours };
  };

  const before = await prior();
  if (before) return before;

  let ours: string | undefined;
  const recibo: Recibo<T> = async (value, onlyIf) => {
    const json = JSON.stringify(value);
    ours = idem.secret ? await encryptSecret(deps.masterKey, json) : json;
    const expires = new Date(deps.clock().getTime() + TTL_MS).toISOString();
    const values = [t.applicationId, t.mode, key, hash, 200, ours, expires];
    const sql = 'INSERT INTO hexafac_idempotency_keys (client_application_id, mode, key, request_hash, response_status, response_body, expires_at)';
    return [
      onlyIf
        ? d1.prepare(`${sql} SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${onlyIf.where}`).bind(...values, ...onlyIf.params)
        : d1.prepare(`${sql} VALUES (?, ?, ?, ?, ?, ?, ?)`).bind(...values),
    ];
  };

  let value: T;
  try {
    value = await run(recibo);
  } catch (err) {
    // Either the batch did commit (D1 failed after it: this call's own answer is there) or a request with the
    // same key committed first (its answer is the answer): in both cases what is stored is what happened.
    const stored = await prior(ours);
    if (stored) return stored;
    if (constraintViolation(err)?.table === 'hexafac_idempotency_keys') {
      throw new DomainError('idempotency_request_in_progress', 'conflict', 'Otra solicitud con esta Idempotency-Key está terminando; reintenta.', [], {
        'Retry-After': '1',
      });
    }
    throw err;
  }
  // An operation that changed nothing never asked for its receipt: keep its answer now.
  if (ours === undefined) {
    try {
      await d1.batch(await recibo(value));
    } catch (err) {
      if (constraintViolation(err)?.table !== 'hexafac_idempotency_keys') throw err;
    }
  }
  return { value, replayed: false };
}
