import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Db } from '../db/client';
import { depsDe } from '../deps';
import { apiKeys, clientApplications } from '../db/schema';
import type { AppEnv } from './context';
import { sha256Hex, timingSafeEqual } from './crypto';
import { DomainError } from './errors';
import { limitarTasa } from './rate-limit';

export const SCOPES = [
  'facturas:read',
  'facturas:write',
  'clientes:read',
  'clientes:write',
  'recibos:read',
  'recibos:write',
  'cancelaciones:write',
  'webhooks:read',
  'webhooks:write',
  'cfdi:verificar',
] as const;
export type Scope = (typeof SCOPES)[number];

/** hfx_<mode>_<43 base64url chars = 256 random bits>; minted by src/services/api-keys.ts. */
export const TOKEN_RE = /^hfx_(test|live)_[A-Za-z0-9_-]{43}$/;
const LAST_USED_PRECISION_MS = 60_000;

/** A statement drizzle builds once per database, not per request (every authenticated request runs one). */
export function oncePerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let s = built.get(db);
    if (!s) built.set(db, (s = build(db)));
    return s;
  };
}

const claveConAplicacion = oncePerDb((db) =>
  db
    .select({ key: apiKeys, app: clientApplications })
    .from(apiKeys)
    .innerJoin(clientApplications, eq(clientApplications.id, apiKeys.client_application_id))
    .where(eq(apiKeys.token_hash, sql.placeholder('hash')))
    .prepare(),
);

export const unauthorized = (code: string, message: string) =>
  new DomainError(code, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer realm="hexafac"' });

// What application and platform keys share (src/lib/auth-plataforma.ts is the other middleware).

/** The request's Bearer token when it has the shape `re`; otherwise a 401 with `malFormado(token)` as its message. */
export function bearerToken(header: string | undefined, re: RegExp, malFormado: (token: string | undefined) => string): string {
  if (!header) throw unauthorized('missing_api_key', 'Falta el encabezado Authorization: Bearer <API key>.');
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token || !re.test(token)) throw unauthorized('invalid_api_key', malFormado(token));
  return token;
}

/** A found key still in force: not revoked, not expired at `now` (ISO). */
export function comprobarVigencia(key: { revoked_at: string | null; expires_at: string | null }, now: string): void {
  if (key.revoked_at) throw unauthorized('api_key_revoked', 'La API key fue revocada.');
  if (key.expires_at && key.expires_at <= now) throw unauthorized('api_key_expired', 'La API key expiró.');
}

export function exigirScope(scopes: readonly string[], scope: string | undefined): void {
  if (scope && !scopes.includes(scope)) {
    throw new DomainError('insufficient_scope', 'forbidden', `La API key no tiene el scope requerido: ${scope}.`, [
      { path: 'scopes', message: `Falta ${scope}.` },
    ]);
  }
}

/** Bookkeeping must not delay the answer, and a busy key need not write on every request: minute precision. */
export function anotarUso(c: Context<AppEnv>, lastUsedAt: string | null, escribir: () => Promise<unknown>): void {
  if (!lastUsedAt || Date.parse(lastUsedAt) < Date.now() - LAST_USED_PRECISION_MS) c.executionCtx.waitUntil(escribir());
}

/**
 * Authenticates the Bearer API key and, when `scope` is given, requires it.
 * Sets `c.var.auth` = {keyId, applicationId, mode, scopes}.
 */
export const requireAuth = (scope?: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'), TOKEN_RE, (t) =>
      t?.startsWith('hfx_plat_')
        ? 'Una key de plataforma no opera comprobantes; usa la key de la aplicación (hfx_test_… o hfx_live_…).'
        : 'La API key tiene un formato inválido (se espera hfx_test_… o hfx_live_…).',
    );
    const hash = await sha256Hex(token);
    // Every authenticated route calls services: their dependencies are built here, once per request.
    c.set('deps', depsDe(c.env, c.executionCtx));
    const { db } = c.var.deps;
    const row = await claveConAplicacion(db).get({ hash });
    if (!row || !timingSafeEqual(row.key.token_hash, hash) || !token.startsWith(`hfx_${row.key.mode}_`)) {
      throw unauthorized('invalid_api_key', 'La API key no existe.');
    }
    const now = new Date().toISOString();
    comprobarVigencia(row.key, now);
    if (row.app.status !== 'active') {
      throw unauthorized('application_suspended', 'La aplicación cliente está suspendida.');
    }
    // Before the scope check: a key's refused requests are its traffic too, and its 403s carry the headers.
    await limitarTasa(c, { keyId: row.key.id, plan: row.app.plan });
    exigirScope(row.key.scopes, scope);
    c.set('auth', {
      keyId: row.key.id,
      applicationId: row.key.client_application_id,
      mode: row.key.mode,
      scopes: row.key.scopes,
    });
    // The issuer's row rides along with the key: routes need it and it saves a round trip.
    c.set('application', row.app);
    anotarUso(c, row.key.last_used_at, () =>
      db.update(apiKeys).set({ last_used_at: now }).where(and(eq(apiKeys.id, row.key.id), isNull(apiKeys.revoked_at))).run(),
    );
    await next();
  });
