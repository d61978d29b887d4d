import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { clientApplications, PLANES, platformKeys, platforms, type Plan } from '../db/schema';
import type { Deps } from '../deps';
import { PLATFORM_SCOPES } from '../lib/auth-plataforma';
import { DomainError } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { nuevoToken, validarDatosKey, type DatosKey } from './api-keys';
import type { Aplicacion } from './comprobantes';

// Platforms (an ERP, a marketplace, a POS vendor): created by the operators in the admin panel, each with its
// own hfx_plat_ keys (shown once, only their SHA-256 kept, like an application's); with them a platform manages
// the applications it owns by API. The lookup of a key on each request is src/lib/auth-plataforma.ts.

export type Plataforma = typeof platforms.$inferSelect;
export type PlatformKey = typeof platformKeys.$inferSelect;

type DbDeps = Pick<Deps, 'db' | 'd1' | 'clock'>;

export interface DatosPlataforma {
  name: string;
  plan?: string | null;
}

export async function crearPlataforma(deps: DbDeps, d: DatosPlataforma): Promise<Plataforma> {
  const name = d.name.trim();
  const plan = d.plan?.trim() || 'plataforma';
  const problemas = [];
  if (!name) problemas.push({ path: 'name', message: 'Escribe un nombre para la plataforma.' });
  else if (name.length > 100) problemas.push({ path: 'name', message: 'Máximo 100 caracteres.' });
  if (!(PLANES as readonly string[]).includes(plan)) problemas.push({ path: 'plan', message: `Plan desconocido. Disponibles: ${PLANES.join(', ')}.` });
  if (problemas.length) throw DomainError.validation(problemas, 'Los datos de la plataforma no son válidos.');
  const ahora = deps.clock().toISOString();
  return deps.db
    .insert(platforms)
    .values({ id: uuidv7(deps.clock().getTime()), name, plan: plan as Plan, created_at: ahora, updated_at: ahora })
    .returning()
    .get();
}

/** Every platform, newest first: the operators' list. */
export function listarPlataformas(deps: Pick<Deps, 'db'>): Promise<Plataforma[]> {
  return deps.db.select().from(platforms).orderBy(desc(platforms.id)).all();
}

export async function cargarPlataforma(deps: Pick<Deps, 'db'>, id: string): Promise<Plataforma> {
  const fila = await deps.db.select().from(platforms).where(eq(platforms.id, id)).get();
  if (!fila) throw DomainError.notFound('La plataforma');
  return fila;
}

async function cambiarEstado(deps: DbDeps, id: string, status: Plataforma['status']): Promise<Plataforma> {
  const fila = await deps.db.update(platforms).set({ status, updated_at: deps.clock().toISOString() }).where(eq(platforms.id, id)).returning().get();
  if (!fila) throw DomainError.notFound('La plataforma');
  return fila;
}

/** Its keys stop working at once (src/lib/auth-plataforma.ts checks the status on every request); its applications keep theirs. */
export const suspenderPlataforma = (deps: DbDeps, id: string) => cambiarEstado(deps, id, 'suspended');

export const reactivarPlataforma = (deps: DbDeps, id: string) => cambiarEstado(deps, id, 'active');

/** Mints a key for an existing platform; the token is in this answer only. */
export async function crearPlatformKey(deps: DbDeps, platformId: string, d: DatosKey): Promise<{ token: string; platformKey: PlatformKey }> {
  await cargarPlataforma(deps, platformId);
  const ahora = deps.clock();
  const { name, scopes, expiresAt } = validarDatosKey(d, PLATFORM_SCOPES, ahora, { conModo: false, mensaje: 'La key de plataforma tiene datos inválidos.' });
  const { token, ...guardado } = await nuevoToken('hfx_plat_');
  const platformKey = await deps.db
    .insert(platformKeys)
    .values({ id: uuidv7(ahora.getTime()), platform_id: platformId, name, ...guardado, scopes, expires_at: expiresAt, created_at: ahora.toISOString() })
    .returning()
    .get();
  return { token, platformKey };
}

/** A platform's keys, newest first (revoked and expired ones too: the panel shows their state). */
export function listarPlatformKeys(deps: Pick<Deps, 'db'>, platformId: string): Promise<PlatformKey[]> {
  return deps.db.select().from(platformKeys).where(eq(platformKeys.platform_id, platformId)).orderBy(desc(platformKeys.id)).all();
}

/** Revokes one of the platform's keys; another platform's, an unknown or an already revoked key is not_found. */
export async function revocarPlatformKey(deps: DbDeps, platformId: string, keyId: string): Promise<void> {
  const hecho = await deps.db
    .update(platformKeys)
    .set({ revoked_at: deps.clock().toISOString() })
    .where(and(eq(platformKeys.id, keyId), eq(platformKeys.platform_id, platformId), isNull(platformKeys.revoked_at)))
    .returning({ id: platformKeys.id });
  if (!hecho.length) throw new DomainError('not_found', 'not_found', 'La key de plataforma no existe o ya estaba revocada.');
}

// The one place a platform's applications are scoped (as src/lib/tenancy.ts scopes a tenant's rows): every
// read and write of an application on a platform's behalf goes through here; another platform's is a 404.

/** WHERE platform_id = ? AND …extra, over the applications. */
export const dePlataforma = (platformId: string, ...extra: (SQL | undefined)[]): SQL =>
  and(eq(clientApplications.platform_id, platformId), ...extra)!;

/** The application if the platform owns it; another platform's, the operators' own or a malformed id: not_found. */
export async function aplicacionDePlataforma(deps: Pick<Deps, 'db'>, platformId: string, applicationId: string): Promise<Aplicacion> {
  const app = await deps.db.select().from(clientApplications).where(dePlataforma(platformId, eq(clientApplications.id, applicationId))).get();
  if (!app) throw DomainError.notFound('La aplicación');
  return app;
}
