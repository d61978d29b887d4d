import { desc, eq } from 'drizzle-orm';
import { catalogs, FacturaEntradaSchema, validarRfc } from '../cfdi';
import { clientApplications, type SeriesAplicacion } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { PACS_LIVE } from '../pac';
import { cargarAplicacion, type Aplicacion } from './comprobantes';

// Client applications: the tenants, each one issuer (emisor) with its CSD, keys and webhooks. Created and
// edited by the operators (admin panel) and the test helpers; read on every request by src/lib/auth.ts.

export interface DatosAplicacion {
  name: string;
  description?: string | null;
  rfc: string;
  razon_social: string;
  regimen_fiscal: string;
  lugar_expedicion: string;
  /** Live mode's PACs in failover order, comma-separated ("sw-sapien, finkok"); empty: the deployment's order. */
  pacs?: string | null;
  /** The serie each kind takes when a request names none; absent: unchanged (a new application: none). */
  series?: SeriesAplicacion | null;
}

const TIPOS_CON_SERIE = ['I', 'E', 'P', 'N', 'T'] as const;
// A serie as the CFDI's Serie attribute allows it (the fiscal core's rule for a request's `serie`).
const SerieSchema = FacturaEntradaSchema.shape.serie.unwrap();

/** Why `serie` cannot be a CFDI's Serie, or null. */
export function problemaDeSerie(serie: unknown): string | null {
  const r = SerieSchema.safeParse(serie);
  return r.success ? null : `Serie inválida: ${r.error.issues.map((i) => i.message).join('; ')}`;
}

type DbDeps = Pick<Deps, 'db' | 'd1' | 'clock'>;

function normalizar(d: DatosAplicacion): Omit<DatosAplicacion, 'pacs'> & { description: string | null; pacs: string[] | null } {
  const pacs = (d.pacs ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  const series = d.series && Object.fromEntries(Object.entries(d.series).map(([tipo, serie]) => [tipo, typeof serie === 'string' ? serie.trim() : serie]));
  return {
    pacs: pacs.length ? pacs : null,
    ...(d.series === undefined ? {} : { series: series && Object.keys(series).length ? series : null }),
    name: d.name.trim(),
    description: d.description?.trim() || null,
    rfc: d.rfc.trim().toUpperCase(),
    // The SAT compares the name as registered: upper case; leaving out the régimen societario is the caller's job.
    razon_social: d.razon_social.trim().replace(/\s+/g, ' ').toUpperCase(),
    regimen_fiscal: d.regimen_fiscal.trim(),
    lugar_expedicion: d.lugar_expedicion.trim(),
  };
}

/** Every problem of the issuer's data, each on its field; `actual` is the application being edited. */
function problemas(v: ReturnType<typeof normalizar>, actual?: Aplicacion): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const en = (path: string, message: string, code?: string) => out.push(code ? { path, message, code } : { path, message });
  if (!v.name) en('name', 'Escribe un nombre para la aplicación.');
  else if (v.name.length > 100) en('name', 'Máximo 100 caracteres.');
  if ((v.description ?? '').length > 500) en('description', 'Máximo 500 caracteres.');
  const rfc = validarRfc(v.rfc);
  if (!rfc.valido) en('rfc', `RFC inválido: ${rfc.mensaje}`, `rfc_${rfc.regla}`);
  else if (rfc.generico) en('rfc', `RFC inválido: ${rfc.rfc} es un RFC genérico de receptor; el emisor factura con su propio RFC.`, 'rfc_generico');
  else if (actual?.csd_certificado && v.rfc !== actual.rfc) {
    en('rfc', `Ya hay un CSD de ${actual.rfc} cargado; el RFC del emisor no puede cambiar.`);
  }
  if (!v.razon_social) en('razon_social', 'Escribe la razón social tal como aparece en la Constancia de Situación Fiscal.');
  else if (v.razon_social.length > 254) en('razon_social', 'Máximo 254 caracteres.');
  const regimen = catalogs.regimenFiscal(v.regimen_fiscal);
  if (!regimen) en('regimen_fiscal', 'Elige un régimen fiscal del catálogo c_RegimenFiscal.');
  else if (rfc.valido && rfc.persona === 'moral' && !regimen.aplicaMoral) en('regimen_fiscal', `El régimen ${regimen.id} no aplica a personas morales.`);
  else if (rfc.valido && rfc.persona === 'fisica' && !regimen.aplicaFisica) en('regimen_fiscal', `El régimen ${regimen.id} no aplica a personas físicas.`);
  if (!/^\d{5}$/.test(v.lugar_expedicion)) en('lugar_expedicion', 'Código postal de 5 dígitos.');
  const desconocido = v.pacs?.find((p) => !(PACS_LIVE as readonly string[]).includes(p));
  if (desconocido) en('pacs', `PAC desconocido: ${desconocido}. Disponibles: ${PACS_LIVE.join(', ')}.`);
  else if (v.pacs && new Set(v.pacs).size !== v.pacs.length) en('pacs', 'Cada PAC una sola vez.');
  for (const [tipo, serie] of Object.entries(v.series ?? {})) {
    if (!(TIPOS_CON_SERIE as readonly string[]).includes(tipo)) en(`series.${tipo}`, 'Solo los tipos I, E, P, N y T llevan serie por omisión.');
    else {
      const problema = problemaDeSerie(serie);
      if (problema) en(`series.${tipo}`, problema);
    }
  }
  return out;
}

function validar(d: DatosAplicacion, actual?: Aplicacion) {
  const v = normalizar(d);
  const p = problemas(v, actual);
  if (p.length) throw DomainError.validation(p, 'Los datos del emisor no son válidos.');
  return v;
}

/** The row of a new application, validated; pure, so a caller may write it in a batch of its own. */
export function nuevaAplicacion(d: DatosAplicacion, ahora: Date): typeof clientApplications.$inferInsert {
  return { id: uuidv7(ahora.getTime()), ...validar(d), created_at: ahora.toISOString(), updated_at: ahora.toISOString() };
}

export async function crearAplicacion(deps: DbDeps, d: DatosAplicacion): Promise<Aplicacion> {
  return deps.db.insert(clientApplications).values(nuevaAplicacion(d, deps.clock())).returning().get();
}

/** Every application, newest first: the operators' list (a platform view, not a tenant's). */
export function listarAplicaciones(deps: Pick<Deps, 'db'>): Promise<Aplicacion[]> {
  return deps.db.select().from(clientApplications).orderBy(desc(clientApplications.id)).all();
}

async function cambiar(deps: DbDeps, id: string, cambios: Partial<Aplicacion>): Promise<Aplicacion> {
  const fila = await deps.db
    .update(clientApplications)
    .set({ ...cambios, updated_at: deps.clock().toISOString() })
    .where(eq(clientApplications.id, id))
    .returning()
    .get();
  if (!fila) throw DomainError.notFound('La aplicación');
  return fila;
}

/** The issuer's data; the RFC cannot change once a CSD (which names it) is loaded. */
export async function actualizarAplicacion(deps: DbDeps, id: string, d: DatosAplicacion): Promise<Aplicacion> {
  return cambiar(deps, id, validar(d, await cargarAplicacion(deps, { applicationId: id })));
}

/** Its keys stop working at once (src/lib/auth.ts checks the status on every request). */
export const suspenderAplicacion = (deps: DbDeps, id: string) => cambiar(deps, id, { status: 'suspended' });

export const reactivarAplicacion = (deps: DbDeps, id: string) => cambiar(deps, id, { status: 'active' });
