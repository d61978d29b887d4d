import { and, eq, isNull, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { Db } from '../db/client';
import { depsDe } from '../deps';
import { apiKeys, clientApplications } from '../db/schema';
import type { AppEnv } from './context';
import { sha256Hex, timingSafeEqual } from './crypto';
import { DomainError } from './errors';

export const SCOPES = [
  'facturas:read',
  'facturas:write',
  'clientes:read',
  'clientes:write',
  'cancelaciones:write',
  'webhooks:read',
  'webhooks:write',
  'cfdi:verificar',
] as const;
export type Scope = (typeof SCOPES)[number];

/** hfx_<mode>_<43 base64url chars = 256 random bits>; minted by src/services/api-keys.ts. */
export const TOKEN_RE = /^hfx_(test|live)_[A-Za-z0-9_-]{43}$/;
const LAST_USED_PRECISION_MS = 60_000;

// Every authenticated request looks its key up: drizzle builds this SQL once per database, not per request.
const consultarClave = (db: Db) =>
  db
    .select({ key: apiKeys, app: clientApplications })
    .from(apiKeys)
    .innerJoin(clientApplications, eq(clientApplications.id, apiKeys.client_application_id))
    .where(eq(apiKeys.token_hash, sql.placeholder('hash')))
    .prepare();
const consultasClave = new WeakMap<Db, ReturnType<typeof consultarClave>>();

function claveConAplicacion(db: Db, hash: string) {
  let consulta = consultasClave.get(db);
  if (!consulta) consultasClave.set(db, (consulta = consultarClave(db)));
  return consulta.get({ hash });
}

const unauthorized = (code: string, message: string) =>
  new DomainError(code, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer realm="hexafac"' });

/**
 * Authenticates the Bearer API key and, when `scope` is given, requires it.
 * Sets `c.var.auth` = {keyId, applicationId, mode, scopes}.
 */
export const requireAuth = (scope?: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('Authorization');
    if (!header) throw unauthorized('missing_api_key', 'Falta el encabezado Authorization: Bearer <API key>.');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1];
    if (!token || !TOKEN_RE.test(token)) {
      throw unauthorized('invalid_api_key', 'La API key tiene un formato inválido (se espera hfx_test_… o hfx_live_…).');
    }
    const hash = await sha256Hex(token);
    // Every authenticated route calls services: their dependencies are built here, once per request.
    c.set('deps', depsDe(c.env, c.executionCtx));
    const { db } = c.var.deps;
    const row = await claveConAplicacion(db, hash);
    if (!row || !timingSafeEqual(row.key.token_hash, hash) || !token.startsWith(`hfx_${row.key.mode}_`)) {
      throw unauthorized('invalid_api_key', 'La API key no existe.');
    }
    const now = new Date().toISOString();
    if (row.key.revoked_at) throw unauthorized('api_key_revoked', 'La API key fue revocada.');
    if (row.key.expires_at && row.key.expires_at <= now) throw unauthorized('api_key_expired', 'La API key expiró.');
    if (row.app.status !== 'active') {
      throw unauthorized('application_suspended', 'La aplicación cliente está suspendida.');
    }
    if (scope && !row.key.scopes.includes(scope)) {
      throw new DomainError('insufficient_scope', 'forbidden', `La API key no tiene el scope requerido: ${scope}.`, [
        { path: 'scopes', message: `Falta ${scope}.` },
      ]);
    }
    c.set('auth', {
      keyId: row.key.id,
      applicationId: row.key.client_application_id,
      mode: row.key.mode,
      scopes: row.key.scopes,
    });
    // The issuer's row rides along with the key: routes need it and it saves a round trip.
    c.set('application', row.app);
    // Bookkeeping must not delay the answer, and a busy key need not write on every request: minute precision.
    if (!row.key.last_used_at || Date.parse(row.key.last_used_at) < Date.now() - LAST_USED_PRECISION_MS) {
      c.executionCtx.waitUntil(
        db.update(apiKeys).set({ last_used_at: now }).where(and(eq(apiKeys.id, row.key.id), isNull(apiKeys.revoked_at))).run(),
      );
    }
    await next();
  });
