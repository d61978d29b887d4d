import { asc, desc, eq, gte, lte, or, sql } from 'drizzle-orm';
import type { Emisor } from '../cfdi';
import { clientApplications, eventos, facturas, type FacturaStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import { isUuid } from '../lib/ids';
import { cursorCondition } from '../lib/pagination';
import { tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import type { Factura } from './estado';

// The read side every kind of comprobante shares (facturas I, notas de crédito E, complementos de pago P):
// the issuer of a tenant, one comprobante, a page of them, their history and where their files live.
// Used by the API, the jobs and the admin panel alike.

export type TipoComprobante = Factura['tipo'];
export type Aplicacion = typeof clientApplications.$inferSelect;
type DbDeps = Pick<Deps, 'db' | 'd1'>;

export async function cargarAplicacion(deps: DbDeps, t: Pick<Tenant, 'applicationId'>): Promise<Aplicacion> {
  const app = await deps.db.select().from(clientApplications).where(eq(clientApplications.id, t.applicationId)).get();
  if (!app) throw DomainError.notFound('La aplicación');
  return app;
}

export const emisorDe = (app: Aplicacion): Emisor => ({
  rfc: app.rfc,
  nombre: app.razon_social,
  regimenFiscal: app.regimen_fiscal,
  lugarExpedicion: app.lugar_expedicion,
});

/** Our id or the SAT's folio fiscal (any case), within the tenant. */
export async function cargarComprobante(deps: DbDeps, t: Tenant, idOrUuid: string, tipo?: TipoComprobante): Promise<Factura> {
  if (!isUuid(idOrUuid)) throw DomainError.notFound('El comprobante');
  const row = await tenantDb(deps, t)
    .db.select()
    .from(facturas)
    .where(
      tenantWhere(
        facturas,
        t,
        or(eq(facturas.id, idOrUuid.toLowerCase()), eq(facturas.uuid, idOrUuid.toUpperCase())),
        tipo ? eq(facturas.tipo, tipo) : undefined,
      ),
    )
    .get();
  if (!row) throw DomainError.notFound('El comprobante');
  return row;
}

export async function historial(deps: DbDeps, t: Tenant, facturaId: string) {
  const rows = await tenantDb(deps, t)
    .db.select()
    .from(eventos)
    .where(tenantWhere(eventos, t, eq(eventos.factura_id, facturaId)))
    .orderBy(asc(eventos.id));
  return rows.map((e) => ({ id: e.id, type: e.type, status_anterior: e.status_anterior, status_nuevo: e.status_nuevo, created_at: e.created_at }));
}

/** R2 key of a stored file: application/mode/year/month/name.ext */
export function claveArchivo(f: Pick<Factura, 'client_application_id' | 'mode' | 'fecha'>, nombre: string, ext: string) {
  return `${f.client_application_id}/${f.mode}/${f.fecha.slice(0, 4)}/${f.fecha.slice(5, 7)}/${nombre}.${ext}`;
}

/** The validated request a comprobante is built from: in its row, or in R2 when it was large. */
export async function datosDe(deps: Pick<Deps, 'bucket'>, f: Factura): Promise<Record<string, unknown>> {
  if (!f.datos_key) return f.datos;
  const obj = await deps.bucket.get(f.datos_key);
  if (!obj) throw new Error(`faltan en R2 los datos del comprobante ${f.id} (${f.datos_key})`);
  return obj.json();
}

export interface FiltrosComprobantes {
  status?: FacturaStatus;
  tipo?: TipoComprobante;
  receptorRfc?: string;
  /** AAAA-MM-DD, inclusive, on the comprobante's Fecha. */
  desde?: string;
  hasta?: string;
  /** Substring of the receptor's name, the folio or the UUID. */
  texto?: string;
}

const escaparLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** One page (limit + 1 rows, newest first) of the tenant's comprobantes: the API's list and the admin's. */
export function listarComprobantes(deps: DbDeps, t: Tenant, f: FiltrosComprobantes, pagina: { limit: number; cursor?: string }) {
  const texto = f.texto ? `%${escaparLike(f.texto)}%` : undefined;
  return tenantDb(deps, t)
    .db.select()
    .from(facturas)
    .where(
      tenantWhere(
        facturas,
        t,
        cursorCondition(facturas.id, pagina.cursor),
        f.status ? eq(facturas.status, f.status) : undefined,
        f.tipo ? eq(facturas.tipo, f.tipo) : undefined,
        f.receptorRfc ? eq(facturas.receptor_rfc, f.receptorRfc.toUpperCase()) : undefined,
        f.desde ? gte(facturas.fecha, `${f.desde}T00:00:00`) : undefined,
        f.hasta ? lte(facturas.fecha, `${f.hasta}T23:59:59`) : undefined,
        texto
          ? or(sql`${facturas.receptor_nombre} LIKE ${texto} ESCAPE '\\'`, sql`${facturas.folio} LIKE ${texto} ESCAPE '\\'`, sql`${facturas.uuid} LIKE ${texto.toUpperCase()} ESCAPE '\\'`)
          : undefined,
      ),
    )
    .orderBy(desc(facturas.id))
    .limit(pagina.limit + 1)
    .all();
}
