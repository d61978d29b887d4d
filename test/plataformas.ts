import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { getDb } from '../src/db/client';
import { platformKeys } from '../src/db/schema';
import { depsDe } from '../src/deps';
import { PLATFORM_SCOPES, type PlatformScope } from '../src/lib/auth-plataforma';
import { crearPlataforma, crearPlatformKey, suspenderPlataforma } from '../src/services/plataformas';

// Platforms for Workers-pool tests: made and keyed through the service, as the admin panel does.

export interface OpcionesPlataforma {
  scopes?: readonly PlatformScope[];
  revocada?: boolean;
  expirada?: boolean;
  suspendida?: boolean;
}

/** A platform and one key of it (all platform scopes unless told otherwise). */
export async function createPlataforma(opts: OpcionesPlataforma = {}): Promise<{ platformId: string; token: string; keyId: string }> {
  const deps = depsDe(env);
  const p = await crearPlataforma(deps, { name: 'ERP de prueba' });
  const { token, platformKey } = await crearPlatformKey(deps, p.id, { name: 'k', scopes: opts.scopes?.length ? opts.scopes : PLATFORM_SCOPES });
  const cambio = { ...(opts.revocada ? { revoked_at: new Date().toISOString() } : {}), ...(opts.expirada ? { expires_at: new Date(Date.now() - 1000).toISOString() } : {}) };
  if (Object.keys(cambio).length) await getDb(env).update(platformKeys).set(cambio).where(eq(platformKeys.id, platformKey.id));
  if (opts.suspendida) await suspenderPlataforma(deps, p.id);
  return { platformId: p.id, token, keyId: platformKey.id };
}
