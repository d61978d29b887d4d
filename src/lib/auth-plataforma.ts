import { and, eq, isNull, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { platformKeys, platforms } from '../db/schema';
import { depsDe } from '../deps';
import { anotarUso, bearerToken, comprobarVigencia, exigirScope, oncePerDb, unauthorized } from './auth';
import type { AppEnv } from './context';
import { sha256Hex, timingSafeEqual } from './crypto';
import { limitarTasa } from './rate-limit';

// Platform keys (hfx_plat_…): a platform (an ERP, a POS vendor) manages its issuers' applications by API.
// They never operate comprobantes (src/lib/auth.ts refuses them) and application keys never reach here.

export const PLATFORM_SCOPES = ['aplicaciones:read', 'aplicaciones:write', 'webhooks:read', 'webhooks:write'] as const;
export type PlatformScope = (typeof PLATFORM_SCOPES)[number];

/** hfx_plat_<43 base64url chars = 256 random bits>; minted by src/services/plataformas.ts. */
export const PLATFORM_TOKEN_RE = /^hfx_plat_[A-Za-z0-9_-]{43}$/;

const claveConPlataforma = oncePerDb((db) =>
  db
    .select({ key: platformKeys, platform: platforms })
    .from(platformKeys)
    .innerJoin(platforms, eq(platforms.id, platformKeys.platform_id))
    .where(eq(platformKeys.token_hash, sql.placeholder('hash')))
    .prepare(),
);

/**
 * Authenticates the Bearer platform key and, when `scope` is given, requires it.
 * Sets `c.var.plataforma` = {platformId, keyId, scopes, plan}.
 */
export const requirePlatformAuth = (scope?: PlatformScope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'), PLATFORM_TOKEN_RE, (t) =>
      /^hfx_(test|live)_/.test(t ?? '')
        ? 'Esta ruta requiere una key de plataforma (hfx_plat_…); la key de una aplicación no administra aplicaciones.'
        : 'La key de plataforma tiene un formato inválido (se espera hfx_plat_…).',
    );
    const hash = await sha256Hex(token);
    c.set('deps', depsDe(c.env, c.executionCtx));
    const { db } = c.var.deps;
    const row = await claveConPlataforma(db).get({ hash });
    if (!row || !timingSafeEqual(row.key.token_hash, hash)) throw unauthorized('invalid_api_key', 'La key de plataforma no existe.');
    const now = new Date().toISOString();
    comprobarVigencia(row.key, now);
    if (row.platform.status !== 'active') throw unauthorized('platform_suspended', 'La plataforma está suspendida.');
    // Before the scope check, as in requireAuth: a key's refused requests are its traffic too.
    await limitarTasa(c, { keyId: row.key.id, plan: row.platform.plan });
    exigirScope(row.key.scopes, scope);
    c.set('plataforma', { platformId: row.platform.id, keyId: row.key.id, scopes: row.key.scopes, plan: row.platform.plan });
    anotarUso(c, row.key.last_used_at, () =>
      db.update(platformKeys).set({ last_used_at: now }).where(and(eq(platformKeys.id, row.key.id), isNull(platformKeys.revoked_at))).run(),
    );
    await next();
  });
