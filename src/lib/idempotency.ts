import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { getDb } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import type { AppEnv } from './context';
import { sha256Hex } from './crypto';
import { DomainError } from './errors';
import { tenantOf } from './tenancy';

// Idempotency-Key for creating requests: same key + same body → the first response again; same key +
// another body → 409. Kept 24 h per application and mode. Only completed 2xx answers are kept: a
// refused request changed nothing, so retrying it with the same key is a fresh try.

const TTL_MS = 24 * 3600 * 1000;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export async function withIdempotency(c: Context<AppEnv>, body: unknown, run: () => Promise<Response>): Promise<Response> {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) return run();
  if (!KEY_RE.test(key)) {
    throw DomainError.validation([{ path: 'Idempotency-Key', message: 'De 1 a 255 caracteres ASCII visibles.' }]);
  }
  const t = tenantOf(c);
  const db = getDb(c.env);
  const where = and(
    eq(idempotencyKeys.client_application_id, t.applicationId),
    eq(idempotencyKeys.mode, t.mode),
    eq(idempotencyKeys.key, key),
  );
  const hash = await sha256Hex(`${c.req.method} ${c.req.path}\n${JSON.stringify(body)}`);
  const now = new Date();

  const claimed = await db
    .insert(idempotencyKeys)
    .values({ client_application_id: t.applicationId, mode: t.mode, key, request_hash: hash, expires_at: new Date(now.getTime() + TTL_MS).toISOString() })
    .onConflictDoNothing()
    .run();
  if (claimed.meta.changes === 0) {
    const prior = (await db.select().from(idempotencyKeys).where(where).get())!;
    if (prior.expires_at <= now.toISOString()) {
      await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.expires_at, prior.expires_at)));
      return withIdempotency(c, body, run);
    }
    if (prior.request_hash !== hash) {
      throw new DomainError('idempotency_key_reused', 'conflict', 'Esta Idempotency-Key ya se usó con otra solicitud.');
    }
    if (prior.response_status === null) {
      throw new DomainError('idempotency_request_in_progress', 'conflict', 'Una solicitud con esta Idempotency-Key aún está en curso; reintenta en unos segundos.', [], { 'Retry-After': '1' });
    }
    return new Response(prior.response_body, {
      status: prior.response_status,
      headers: { ...prior.response_headers, 'Idempotent-Replayed': 'true', 'X-Request-Id': c.get('requestId') },
    });
  }

  let res: Response;
  try {
    res = await run();
  } catch (err) {
    await db.delete(idempotencyKeys).where(where);
    throw err;
  }
  if (res.status >= 200 && res.status < 300) {
    const headers: Record<string, string> = { 'Content-Type': res.headers.get('Content-Type') ?? 'application/json' };
    const location = res.headers.get('Location');
    if (location) headers.Location = location;
    await db
      .update(idempotencyKeys)
      .set({ response_status: res.status, response_body: await res.clone().text(), response_headers: headers })
      .where(where);
  } else {
    await db.delete(idempotencyKeys).where(where);
  }
  return res;
}
