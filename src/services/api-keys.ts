import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../db/schema';
import type { Deps } from '../deps';
import { randomBytes, sha256Hex, toBase64Url } from '../lib/crypto';
import { SCOPES, type Scope } from '../lib/auth';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { MODES, type Mode } from '../lib/mode';
import { cargarAplicacion } from './comprobantes';

// API keys: the one place a key is minted (admin panel, `npm run keys`, the test helpers). The token is
// shown once and only its SHA-256 is kept; the lookup on each request is src/lib/auth.ts.

export { SCOPES, type Scope };

/** The start of the token shown in listings, enough to tell keys apart. */
const PREFIX_LENGTH = 14;

export type ApiKey = typeof apiKeys.$inferSelect;

export interface DatosApiKey extends DatosKey {
  mode: string;
}

const DIA_RE = /^\d{4}-\d{2}-\d{2}$/;

function expiracion(valor: string, ahora: Date): { expiresAt: string } | { problema: string } {
  const dia = DIA_RE.test(valor);
  const cuando = new Date(dia ? `${valor}T23:59:59.999Z` : valor);
  // Date rolls 2026-02-30 over to March: a day must come back as itself.
  if (Number.isNaN(cuando.getTime()) || (dia ? cuando.toISOString().slice(0, 10) !== valor : !valor.includes('T'))) {
    return { problema: 'Fecha inválida (AAAA-MM-DD).' };
  }
  if (cuando <= ahora) return { problema: 'La fecha de expiración debe ser futura.' };
  return { expiresAt: cuando.toISOString() };
}

/** What every kind of key is minted from (an application's also names its mode; a platform's has none). */
export interface DatosKey {
  name: string;
  scopes: readonly string[];
  /** AAAA-MM-DD (valid to the end of that UTC day) or an RFC 3339 instant; empty: it never expires. */
  expires?: string | null;
}

/**
 * A new key's name, scopes (of `catalogo`, kept in its order whatever order they came in) and expiry, validated;
 * `modo` is checked, after the name, for the keys that have one. Every problem on its field, in the form's order.
 */
export function validarDatosKey<S extends string>(
  d: DatosKey & { mode?: string },
  catalogo: readonly S[],
  ahora: Date,
  opts: { conModo: boolean; mensaje: string },
): { name: string; scopes: S[]; expiresAt: string | null } {
  const name = d.name.trim();
  const problemas: ErrorDetail[] = [];
  if (!name) problemas.push({ path: 'name', message: 'Escribe un nombre para la key.' });
  else if (name.length > 100) problemas.push({ path: 'name', message: 'Máximo 100 caracteres.' });
  if (opts.conModo && !(MODES as readonly string[]).includes(d.mode ?? '')) problemas.push({ path: 'mode', message: 'Elige el modo: pruebas o producción.' });
  if (!d.scopes.length) problemas.push({ path: 'scopes', message: 'Elige al menos un scope.' });
  else {
    const desconocidos = d.scopes.filter((s) => !(catalogo as readonly string[]).includes(s));
    if (desconocidos.length) problemas.push({ path: 'scopes', message: `Scope desconocido: ${desconocidos.join(', ')}.` });
  }
  let expiresAt: string | null = null;
  if (d.expires?.trim()) {
    const e = expiracion(d.expires.trim(), ahora);
    if ('problema' in e) problemas.push({ path: 'expires', message: e.problema });
    else expiresAt = e.expiresAt;
  }
  if (problemas.length) throw DomainError.validation(problemas, opts.mensaje);
  return { name, scopes: catalogo.filter((s) => d.scopes.includes(s)), expiresAt };
}

/** A fresh token `<inicio><43 base64url chars = 256 random bits>`, the start shown in listings and the hash kept. */
export async function nuevoToken(inicio: string): Promise<{ token: string; prefix: string; token_hash: string }> {
  const token = `${inicio}${toBase64Url(randomBytes(32))}`;
  return { token, prefix: token.slice(0, PREFIX_LENGTH), token_hash: await sha256Hex(token) };
}

/**
 * The row of a new key and its token, validated; pure (no database), so `npm run keys` writes the same
 * row as SQL.
 */
export async function nuevaApiKey(
  applicationId: string,
  d: DatosApiKey,
  ahora: Date,
): Promise<{ token: string; fila: typeof apiKeys.$inferInsert }> {
  const { name, scopes, expiresAt } = validarDatosKey(d, SCOPES, ahora, { conModo: true, mensaje: 'La API key tiene datos inválidos.' });
  const mode = d.mode as Mode;
  const { token, ...guardado } = await nuevoToken(`hfx_${mode}_`);
  return {
    token,
    fila: {
      id: uuidv7(ahora.getTime()),
      client_application_id: applicationId,
      name,
      mode,
      ...guardado,
      scopes,
      expires_at: expiresAt,
      created_at: ahora.toISOString(),
    },
  };
}

type DbDeps = Pick<Deps, 'db' | 'd1' | 'clock'>;

/** Mints a key for an existing application; the token is in this answer only. */
export async function crearApiKey(deps: DbDeps, applicationId: string, d: DatosApiKey): Promise<{ token: string; apiKey: ApiKey }> {
  await cargarAplicacion(deps, { applicationId });
  const { token, fila } = await nuevaApiKey(applicationId, d, deps.clock());
  const apiKey = await deps.db.insert(apiKeys).values(fila).returning().get();
  return { token, apiKey };
}

/** An application's keys, newest first (revoked and expired ones too: the panel shows their state). */
export function listarApiKeys(deps: Pick<Deps, 'db'>, applicationId: string): Promise<ApiKey[]> {
  return deps.db.select().from(apiKeys).where(eq(apiKeys.client_application_id, applicationId)).orderBy(desc(apiKeys.id)).all();
}

/** Revokes one of the application's keys; another application's, an unknown or an already revoked key is not_found. */
export async function revocarApiKey(deps: DbDeps, applicationId: string, keyId: string): Promise<void> {
  const hecho = await deps.db
    .update(apiKeys)
    .set({ revoked_at: deps.clock().toISOString() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.client_application_id, applicationId), isNull(apiKeys.revoked_at)))
    .returning({ id: apiKeys.id });
  if (!hecho.length) throw new DomainError('not_found', 'not_found', 'La API key no existe o ya estaba revocada.');
}
