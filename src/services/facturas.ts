import { asc, desc, eq, gte, lte, or, sql } from 'drizzle-orm';
import { type Comprobante, type Emisor, type ValidationIssue } from '../cfdi';
import type { Db } from '../db/client';
import { clientApplications, eventos, facturas, type FacturaStatus } from '../db/schema';
import { API_BASE, type Env } from '../env';
import { DomainError } from '../lib/errors';
import { isUuid, uuidv7 } from '../lib/ids';
import { cursorCondition } from '../lib/pagination';
import { tenantWhere, type Tenant } from '../lib/tenancy';
import { PREFIJO_EVENTO, type Factura } from './estado';

// What facturas, notas de crédito and complementos de pago share: the issuer of a tenant, acceptance
// (validate → folio → row → queue) and the views the API answers with.

export type TipoComprobante = Factura['tipo'];
export const SERIE_POR_TIPO: Record<TipoComprobante, string> = { I: 'F', E: 'NC', P: 'CP' };
const RUTA_POR_TIPO: Record<TipoComprobante, string> = { I: 'facturas', E: 'notas-credito', P: 'complementos-pago' };

export async function cargarAplicacion(db: Db, t: Tenant) {
  const app = await db.select().from(clientApplications).where(eq(clientApplications.id, t.applicationId)).get();
  if (!app) throw DomainError.notFound('La aplicación');
  return app;
}

export const emisorDe = (app: typeof clientApplications.$inferSelect): Emisor => ({
  rfc: app.rfc,
  nombre: app.razon_social,
  regimenFiscal: app.regimen_fiscal,
  lugarExpedicion: app.lugar_expedicion,
});

/** Prefixes the core's issues with where the data sat in the request ("" for facturas, "datos." …). */
export const issuesToDetails = (issues: ValidationIssue[]) => issues.map(({ path, message, code }) => ({ path, message, ...(code ? { code } : {}) }));

export interface Aceptacion {
  tipo: TipoComprobante;
  /** The validated request as the job will rebuild it (serie, folio and fecha are fixed here). */
  datos: Record<string, unknown>;
  comprobante: Comprobante;
  clienteId?: string;
  /** More statements for the same batch, given the new row's id (e.g. the aplicaciones of a P or E). */
  extra?: (facturaId: string) => D1PreparedStatement[];
}

const MAX_SALTOS_FOLIO = 50;
const esFolioRepetido = (err: unknown) => /UNIQUE constraint failed: hexafac_facturas\.client_application_id/.test(String((err as Error).message));

/**
 * Stores a validated comprobante as `pendiente` with its folio (then enqueue it with encolarTimbrado).
 * The folio comes from the same D1 batch as the row, so a refused insert burns none, and a
 * redelivered job reuses the row's folio.
 */
export async function aceptarComprobante(env: Env, t: Tenant, a: Aceptacion): Promise<{ id: string }> {
  const id = uuidv7();
  const serie = a.comprobante.serie ?? SERIE_POR_TIPO[a.tipo];
  const folioDado = a.comprobante.folio;
  const c = a.comprobante;
  const d1 = env.DB;
  const folioSql = folioDado ? '?' : '(SELECT CAST(ultimo AS TEXT) FROM hexafac_folios WHERE client_application_id = ? AND mode = ? AND serie = ?)';
  const folioParams = folioDado ? [folioDado] : [t.applicationId, t.mode, serie];
  const statements = [
    ...(folioDado
      ? []
      : [
          d1
            .prepare(`INSERT INTO hexafac_folios (client_application_id, mode, serie, ultimo) VALUES (?, ?, ?, 1)
                      ON CONFLICT DO UPDATE SET ultimo = ultimo + 1`)
            .bind(t.applicationId, t.mode, serie),
        ]),
    d1
      .prepare(
        `INSERT INTO hexafac_facturas (id, client_application_id, mode, tipo, status, serie, folio, cliente_id, receptor_rfc, receptor_nombre,
           moneda, metodo_pago, subtotal, total, fecha, datos)
         VALUES (?, ?, ?, ?, 'pendiente', ?, ${folioSql}, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        id, t.applicationId, t.mode, a.tipo, serie, ...folioParams, a.clienteId ?? null, c.receptor.rfc, c.receptor.nombre,
        c.moneda, c.metodoPago ?? null, c.subTotal, c.total, c.fecha, JSON.stringify({ ...a.datos, serie, fecha: c.fecha }),
      ),
    // History starts with the creation; it is not a webhook event, so it needs no dispatch.
    d1
      .prepare(
        `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, despachado_at)
         VALUES (?, ?, ?, ?, ?, NULL, 'pendiente', '{}', ?)`,
      )
      .bind(uuidv7(), t.applicationId, t.mode, id, `${PREFIJO_EVENTO[a.tipo]}.creada`, new Date().toISOString()),
    ...(a.extra?.(id) ?? []),
  ];
  try {
    for (let saltos = 0; ; saltos++) {
      try {
        await d1.batch(statements);
        break;
      } catch (err) {
        if (folioDado || saltos >= MAX_SALTOS_FOLIO || !esFolioRepetido(err)) throw err;
        // An automatic folio met one a client chose by hand in the same serie: move the counter past it.
        await d1
          .prepare('INSERT INTO hexafac_folios (client_application_id, mode, serie, ultimo) VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET ultimo = ultimo + 1')
          .bind(t.applicationId, t.mode, serie)
          .run();
      }
    }
  } catch (err) {
    if (esFolioRepetido(err)) {
      const mensaje = folioDado
        ? `Ya existe un comprobante con serie ${serie} y folio ${folioDado}.`
        : `Los siguientes ${MAX_SALTOS_FOLIO} folios de la serie ${serie} ya se usaron a mano; indica el folio.`;
      throw new DomainError('folio_duplicado', 'conflict', mensaje, [{ path: 'folio', message: 'Serie y folio ya usados.' }]);
    }
    // A guarded application found the invoice's balance changed since it was read (src/services/saldos.ts).
    if (/constraint failed: hexafac_aplicaciones\./.test(String((err as Error).message))) {
      throw new DomainError('saldo_cambio', 'conflict', 'El saldo de una factura relacionada cambió mientras se procesaba la solicitud; vuelve a intentarlo.');
    }
    throw err;
  }
  return { id };
}

/**
 * Sends the stamping job of an accepted comprobante. The stored `pendiente` row is what was promised;
 * the message only makes it happen now, so the answer does not wait for it (waitUntil), and if the
 * queue fails the cron safety net (src/jobs/barrido.ts) re-sends it.
 */
export async function encolarTimbrado(env: Env, id: string): Promise<void> {
  try {
    await env.FACTURAS_QUEUE.send({ kind: 'timbrar', id });
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', message: 'no se pudo encolar el timbrado; lo reenviará el barrido', id, error: (err as Error).message }));
  }
}

/** Our id or the SAT's folio fiscal (any case), within the tenant. */
export async function cargarFactura(db: Db, t: Tenant, idOrUuid: string, tipo?: TipoComprobante): Promise<Factura> {
  if (!isUuid(idOrUuid)) throw DomainError.notFound('El comprobante');
  const row = await db
    .select()
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

export function facturaView(f: Factura) {
  const self = `${API_BASE}/${RUTA_POR_TIPO[f.tipo]}/${f.id}`;
  const files = f.xml_key ? { xml: `${API_BASE}/facturas/${f.id}/xml`, pdf: `${API_BASE}/facturas/${f.id}/pdf` } : {};
  return {
    id: f.id,
    tipo: f.tipo,
    status: f.status,
    mode: f.mode,
    serie: f.serie,
    folio: f.folio,
    uuid: f.uuid,
    fecha: f.fecha,
    fecha_timbrado: f.fecha_timbrado,
    no_certificado_sat: f.no_certificado_sat,
    receptor: { rfc: f.receptor_rfc, nombre: f.receptor_nombre },
    cliente_id: f.cliente_id,
    moneda: f.moneda,
    metodo_pago: f.metodo_pago,
    subtotal: f.subtotal,
    total: f.total,
    errores: f.errores ?? [],
    cancelacion: f.cancelacion_motivo
      ? { motivo: f.cancelacion_motivo, folio_sustitucion: f.cancelacion_folio_sustitucion, acuse: f.acuse_key ? `${API_BASE}/facturas/${f.id}/acuse` : null }
      : null,
    created_at: f.created_at,
    updated_at: f.updated_at,
    links: { self, ...files },
  };
}

export type FacturaView = ReturnType<typeof facturaView>;

export async function historial(db: Db, t: Tenant, facturaId: string) {
  const rows = await db
    .select()
    .from(eventos)
    .where(tenantWhere(eventos, t, eq(eventos.factura_id, facturaId)))
    .orderBy(asc(eventos.id));
  return rows.map((e) => ({ id: e.id, type: e.type, status_anterior: e.status_anterior, status_nuevo: e.status_nuevo, created_at: e.created_at }));
}

/** R2 key of a stored file: application/mode/year/month/uuid.ext */
export function claveArchivo(f: Pick<Factura, 'client_application_id' | 'mode' | 'fecha'>, uuid: string, ext: string) {
  return `${f.client_application_id}/${f.mode}/${f.fecha.slice(0, 4)}/${f.fecha.slice(5, 7)}/${uuid}.${ext}`;
}


export interface FiltrosFacturas {
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
export function listarFacturas(db: Db, t: Tenant, f: FiltrosFacturas, pagina: { limit: number; cursor?: string }) {
  const texto = f.texto ? `%${escaparLike(f.texto)}%` : undefined;
  return db
    .select()
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
