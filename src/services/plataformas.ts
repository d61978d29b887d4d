import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { statementOf } from '../db/client';
import { apiKeys, clientApplications, folios, MODES, PLANES, platformKeys, platforms, type Mode, type Plan } from '../db/schema';
import type { Deps } from '../deps';
import { PLATFORM_SCOPES } from '../lib/auth-plataforma';
import { DomainError } from '../lib/errors';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { uuidv7 } from '../lib/ids';
import { cursorCondition, toPage } from '../lib/pagination';
import { idempotenciaDePlataforma, tenantDb, type Tenant } from '../lib/tenancy';
import { listarApiKeys, nuevaApiKey, nuevoToken, revocarApiKey, validarDatosKey, type ApiKey, type DatosApiKey, type DatosKey } from './api-keys';
import { actualizarAplicacion, nuevaAplicacion, problemaDeSerie, reactivarAplicacion, suspenderAplicacion, type DatosAplicacion } from './aplicaciones';
import type { Aplicacion } from './comprobantes';
import { guardarCsd, type ArchivosCsd } from './csd';

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

// A platform's own operations are made idempotent in the same table as an application's, under the platform's
// id (a UUIDv7 like an application's, so the two never meet) and one fixed mode.
type PlatformDeps = Pick<Deps, 'db' | 'd1' | 'clock' | 'masterKey'>;

/** A new application owned by the platform; with an Idempotency-Key, the same application again on a replay. */
export async function crearAplicacionDePlataforma(
  deps: PlatformDeps,
  platformId: string,
  d: DatosAplicacion,
  opts: { idempotencyKey?: string } = {},
): Promise<Idempotent<Aplicacion>> {
  const idem = { key: opts.idempotencyKey, operation: 'plataforma.aplicaciones.crear', input: d };
  const r = await withIdempotency<{ id: string }>(deps, idempotenciaDePlataforma(platformId), idem, async (recibo) => {
    // the platform's plan governs its issuers' keys too: it is the platform that sends their traffic
    const { plan } = await cargarPlataforma(deps, platformId);
    const fila = { ...nuevaAplicacion(d, deps.clock()), platform_id: platformId, plan };
    await deps.d1.batch([statementOf(deps.d1, deps.db.insert(clientApplications).values(fila)), ...(await recibo({ id: fila.id }))]);
    return { id: fila.id };
  });
  return { value: await aplicacionDePlataforma(deps, platformId, r.value.id), replayed: r.replayed };
}

/** The platform's applications, newest first, by pages; `status` filters. */
export async function listarAplicacionesDePlataforma(
  deps: Pick<Deps, 'db'>,
  platformId: string,
  q: { limit: number; cursor?: string; status?: Aplicacion['status'] },
) {
  const filas = await deps.db
    .select()
    .from(clientApplications)
    .where(dePlataforma(platformId, cursorCondition(clientApplications.id, q.cursor), q.status ? eq(clientApplications.status, q.status) : undefined))
    .orderBy(desc(clientApplications.id))
    .limit(q.limit + 1)
    .all();
  return toPage(filas, q.limit, (a) => a);
}

/** PATCH: only the given fields change, the resulting issuer is validated whole (the RFC stays once a CSD is loaded). */
export async function actualizarAplicacionDePlataforma(deps: PlatformDeps, platformId: string, id: string, cambios: Partial<DatosAplicacion>): Promise<Aplicacion> {
  const actual = await aplicacionDePlataforma(deps, platformId, id);
  const { name, description, rfc, razon_social, regimen_fiscal, lugar_expedicion } = actual;
  const dados = Object.fromEntries(Object.entries(cambios).filter(([, v]) => v !== undefined));
  return actualizarAplicacion(deps, id, { name, description, rfc, razon_social, regimen_fiscal, lugar_expedicion, pacs: actual.pacs?.join(',') ?? null, ...dados });
}

export async function suspenderAplicacionDePlataforma(deps: PlatformDeps, platformId: string, id: string): Promise<Aplicacion> {
  await aplicacionDePlataforma(deps, platformId, id);
  return suspenderAplicacion(deps, id);
}

export async function reactivarAplicacionDePlataforma(deps: PlatformDeps, platformId: string, id: string): Promise<Aplicacion> {
  await aplicacionDePlataforma(deps, platformId, id);
  return reactivarAplicacion(deps, id);
}

/** The CSD upload of the admin panel (every check of src/services/csd.ts), for one of the platform's applications. */
export async function guardarCsdDePlataforma(deps: PlatformDeps, platformId: string, id: string, archivos: ArchivosCsd): Promise<Aplicacion> {
  await aplicacionDePlataforma(deps, platformId, id);
  return guardarCsd(deps, id, archivos);
}

/** Mints a key of the platform's application; with an Idempotency-Key, the same key (and token) again on a replay. */
export async function crearApiKeyDePlataforma(
  deps: PlatformDeps,
  platformId: string,
  applicationId: string,
  d: DatosApiKey,
  opts: { idempotencyKey?: string } = {},
): Promise<Idempotent<{ token: string; apiKey: ApiKey }>> {
  await aplicacionDePlataforma(deps, platformId, applicationId);
  const idem = { key: opts.idempotencyKey, operation: 'plataforma.api_keys.crear', input: { applicationId, ...d }, secret: true };
  const r = await withIdempotency<{ token: string; id: string }>(deps, idempotenciaDePlataforma(platformId), idem, async (recibo) => {
    const { token, fila } = await nuevaApiKey(applicationId, d, deps.clock());
    await deps.d1.batch([statementOf(deps.d1, deps.db.insert(apiKeys).values(fila)), ...(await recibo({ token, id: fila.id }))]);
    return { token, id: fila.id };
  });
  const apiKey = (await listarApiKeysDePlataforma(deps, platformId, applicationId)).find((k) => k.id === r.value.id);
  if (!apiKey) throw DomainError.notFound('La API key');
  return { value: { token: r.value.token, apiKey }, replayed: r.replayed };
}

export async function listarApiKeysDePlataforma(deps: PlatformDeps, platformId: string, applicationId: string): Promise<ApiKey[]> {
  await aplicacionDePlataforma(deps, platformId, applicationId);
  return listarApiKeys(deps, applicationId);
}

export async function revocarApiKeyDePlataforma(deps: PlatformDeps, platformId: string, applicationId: string, keyId: string): Promise<void> {
  await aplicacionDePlataforma(deps, platformId, applicationId);
  await revocarApiKey(deps, applicationId, keyId);
}

/**
 * Moves a serie's folio counter (hexafac_folios) so that the next comprobante of that serie takes `siguiente`,
 * in one mode or, without one, in both. It only moves forward: a folio already given cannot be given again,
 * so a `siguiente` at or below one already used is a 409 and nothing changes.
 */
export async function fijarSiguienteFolio(
  deps: PlatformDeps,
  platformId: string,
  applicationId: string,
  serie: string,
  d: { siguiente: number; mode?: Mode },
): Promise<{ serie: string; siguiente: Partial<Record<Mode, number>> }> {
  await aplicacionDePlataforma(deps, platformId, applicationId);
  const problema = problemaDeSerie(serie);
  if (problema) throw DomainError.validation([{ path: 'serie', message: problema }]);
  const modos = d.mode ? [d.mode] : MODES;
  const ultimo = d.siguiente - 1;
  const tenants = modos.map((mode) => ({ applicationId, mode }));
  const actuales = await Promise.all(tenants.map((t) => ultimoFolio(deps, t, serie)));
  if (actuales.some((a) => (a ?? 0) > ultimo)) throw folioRetrocede(serie, ultimo, modos, actuales);
  // The guard keeps the counter from going back if an emission took a folio since the read above.
  const hechos = await deps.d1.batch(
    tenants.map((t) =>
      tenantDb(deps, t)
        .d1.prepare(
          'INSERT INTO hexafac_folios (client_application_id, mode, serie, ultimo) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET ultimo = excluded.ultimo WHERE ultimo <= excluded.ultimo',
        )
        .bind(t.applicationId, t.mode, serie, ultimo),
    ),
  );
  if (hechos.some((h) => !h.meta.changes)) {
    throw folioRetrocede(serie, ultimo, modos, await Promise.all(tenants.map((t) => ultimoFolio(deps, t, serie))));
  }
  return { serie, siguiente: Object.fromEntries(modos.map((m) => [m, d.siguiente])) };
}

async function ultimoFolio(deps: Pick<Deps, 'db' | 'd1'>, t: Tenant, serie: string): Promise<number | undefined> {
  const fila = await tenantDb(deps, t)
    .db.select({ ultimo: folios.ultimo })
    .from(folios)
    .where(and(eq(folios.client_application_id, t.applicationId), eq(folios.mode, t.mode), eq(folios.serie, serie)))
    .get();
  return fila?.ultimo;
}

/** The 409, with a detail for each mode whose counter is already past `ultimo`. */
const folioRetrocede = (serie: string, ultimo: number, modos: readonly Mode[], actuales: (number | undefined)[]) =>
  new DomainError(
    'folio_retrocede',
    'conflict',
    `El contador de folios de la serie ${serie} solo avanza.`,
    modos.flatMap((m, i) =>
      (actuales[i] ?? 0) <= ultimo ? [] : [{ path: 'siguiente', message: `En ${m} ya se usó el folio ${actuales[i]}: el siguiente debe ser mayor que ${actuales[i]}.`, code: 'folio_retrocede' }],
    ),
  );
