import type Decimal from 'decimal.js';
import { eq, inArray, or } from 'drizzle-orm';
import { D1_MAX_PARAMETERS, inChunks } from '../lib/chunks';
import { alias } from 'drizzle-orm/sqlite-core';
import { dec, formatear, catalogs } from '../cfdi';
import type { Deps } from '../deps';
import { aplicaciones, facturas, type FacturaStatus } from '../db/schema';
import { uuidv7 } from '../lib/ids';
import { tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import { VIGENTES, type Factura } from './estado';

// Balances of invoices. What a complemento de pago (P) or a nota de crédito (E) takes from an invoice is
// an `aplicaciones` row written in the same D1 batch as the P or E itself. The balance is
//   saldo insoluto = Total − Σ pagos − Σ notas de crédito
// over the rows whose P or E still applies: pendiente (reserved while it is stamped), timbrada and the
// cancellation states. A P or E that ends rechazada or error has its rows deleted in the job's
// transition batch (liberarAplicaciones); a cancelada one is ignored here even before its rows go.
//
// Concurrency: a request reads the balance, decides, and writes its rows guarded by the state it read
// (the sorted ids of the invoice's active rows, and the invoice still vigente). D1 runs a batch as one
// transaction, so a second request that read the same state finds it changed and its whole batch
// (comprobante, folio, rows) is rolled back → 409 saldo_cambio; retried, it sees the new balance.

/** States of a P or E whose applications no longer count. */
export const ORIGEN_INACTIVO = ['rechazada', 'error', 'cancelada'] as const satisfies readonly FacturaStatus[];
/** States of an invoice that is a valid CFDI: it may be paid or credited. */
export const DOCUMENTO_VIGENTE = VIGENTES;

const enLista = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

export type TipoAplicacion = (typeof aplicaciones.$inferSelect)['tipo'];

export interface AplicacionConOrigen {
  fila: typeof aplicaciones.$inferSelect;
  origen: { status: FacturaStatus; uuid: string | null; tipo: Factura['tipo'] };
}

export interface Saldo {
  factura: Factura;
  /** Decimals of the invoice's currency (c_Moneda). */
  decimales: number;
  total: Decimal;
  pagado: Decimal;
  acreditado: Decimal;
  insoluto: Decimal;
  /** max(NumParcialidad) + 1 over the invoice's pagos rows: never collides with the unique index. */
  siguienteParcialidad: number;
  /** Sorted ids of the active rows, comma-joined (null: none): the state a write must still find. */
  huella: string | null;
  aplicaciones: AplicacionConOrigen[];
}

const origen = alias(facturas, 'origen');

/** The balance of each invoice (rows of the tenant, already loaded), by invoice id. */
type DbDeps = Pick<Deps, 'db' | 'd1'>;

export async function saldos(deps: DbDeps, t: Tenant, documentos: Factura[]): Promise<Map<string, Saldo>> {
  const { db } = tenantDb(deps, t);
  // two parameters are the tenant's
  const filas = await inChunks(
    documentos.map((f) => f.id),
    D1_MAX_PARAMETERS - 2,
    (ids) =>
      db
        .select({ fila: aplicaciones, origen: { status: origen.status, uuid: origen.uuid, tipo: origen.tipo } })
        .from(aplicaciones)
        .innerJoin(origen, eq(origen.id, aplicaciones.origen_id))
        .where(tenantWhere(aplicaciones, t, inArray(aplicaciones.documento_id, ids)))
        .orderBy(aplicaciones.id),
  );
  const resultado = new Map<string, Saldo>();
  for (const f of documentos) {
    const propias = filas.filter((a) => a.fila.documento_id === f.id);
    const activas = propias.filter((a) => !(ORIGEN_INACTIVO as readonly string[]).includes(a.origen.status));
    const suma = (tipo: TipoAplicacion) => activas.filter((a) => a.fila.tipo === tipo).reduce((s, a) => s.plus(dec(a.fila.importe)), dec(0));
    const total = dec(f.total);
    const pagado = suma('pago');
    const acreditado = suma('nota_credito');
    const huella = activas.map((a) => a.fila.id).sort();
    resultado.set(f.id, {
      factura: f,
      decimales: catalogs.decimalesMoneda(f.moneda) ?? 2,
      total,
      pagado,
      acreditado,
      insoluto: total.minus(pagado).minus(acreditado),
      siguienteParcialidad: Math.max(0, ...propias.filter((a) => a.fila.tipo === 'pago').map((a) => a.fila.num_parcialidad ?? 0)) + 1,
      huella: huella.length ? huella.join(',') : null,
      aplicaciones: propias,
    });
  }
  return resultado;
}

/**
 * Invoices (tipo I) of the tenant referenced by our id or by their folio fiscal (any case), keyed by
 * each reference as given. A reference that is not there (or is another tenant's) is simply absent.
 */
export async function buscarFacturas(deps: DbDeps, t: Tenant, referencias: string[]): Promise<Map<string, Factura>> {
  const refs = [...new Set(referencias)];
  const { db } = tenantDb(deps, t);
  // each reference is bound twice (id and uuid); three parameters are the tenant's and the tipo
  const rows = await inChunks(refs, Math.floor((D1_MAX_PARAMETERS - 3) / 2), (lote) =>
    db
      .select()
      .from(facturas)
      .where(
        tenantWhere(
          facturas,
          t,
          eq(facturas.tipo, 'I'),
          or(inArray(facturas.id, lote.map((r) => r.toLowerCase())), inArray(facturas.uuid, lote.map((r) => r.toUpperCase()))),
        ),
      ),
  );
  const porRef = new Map<string, Factura>();
  for (const r of refs) {
    const f = rows.find((x) => x.id === r.toLowerCase() || x.uuid === r.toUpperCase());
    if (f) porRef.set(r, f);
  }
  return porRef;
}

/** Why an invoice cannot take a payment or credit note from this receptor, or undefined if it can. */
export function impedimento(f: Factura | undefined, receptorRfc: string): string | undefined {
  if (!f) return 'No existe esa factura en esta aplicación y modo.';
  if (!(DOCUMENTO_VIGENTE as readonly string[]).includes(f.status)) return `La factura está ${f.status}: solo se aplican pagos y notas de crédito a facturas timbradas vigentes.`;
  if (f.receptor_rfc !== receptorRfc.toUpperCase()) return `La factura es de otro receptor (${f.receptor_rfc}).`;
  return undefined;
}

export interface NuevaAplicacion {
  documento: Saldo;
  tipo: TipoAplicacion;
  numParcialidad: number | null;
  impSaldoAnt: string;
  importe: string;
  impSaldoInsoluto: string;
}

/**
 * The guarded INSERT of one application of the P or E `origenId` (inserted earlier in the same batch).
 * Unless the invoice is still vigente and its active rows — other than this origen's own — are exactly
 * those the balance was computed from, imp_saldo_ant becomes NULL and the NOT NULL constraint aborts
 * the batch (aceptarComprobante answers 409 saldo_cambio).
 */
export function insertarAplicacion(d1: D1Database, t: Tenant, origenId: string, a: NuevaAplicacion): D1PreparedStatement {
  const doc = a.documento.factura.id;
  return d1
    .prepare(
      `INSERT INTO hexafac_aplicaciones
         (id, client_application_id, mode, origen_id, documento_id, tipo, num_parcialidad, imp_saldo_ant, importe, imp_saldo_insoluto)
       VALUES (?, ?, ?, ?, ?, ?, ?,
         CASE WHEN EXISTS (SELECT 1 FROM hexafac_facturas WHERE id = ? AND status IN (${enLista(DOCUMENTO_VIGENTE)}))
               AND (SELECT group_concat(a.id, ',' ORDER BY a.id) FROM hexafac_aplicaciones a JOIN hexafac_facturas o ON o.id = a.origen_id
                    WHERE a.documento_id = ? AND a.origen_id <> ? AND o.status NOT IN (${enLista(ORIGEN_INACTIVO)})) IS ?
              THEN ? END,
         ?, ?)`,
    )
    .bind(uuidv7(), t.applicationId, t.mode, origenId, doc, a.tipo, a.numParcialidad, doc, doc, origenId, a.documento.huella, a.impSaldoAnt, a.importe, a.impSaldoInsoluto);
}

/**
 * Releases what the P or E `origenId` applied, for the batch of its transition: only once its status
 * is one that no longer applies (so a lost race against a stamp releases nothing).
 */
export function liberarAplicaciones(d1: D1Database, origenId: string): D1PreparedStatement {
  return d1
    .prepare(
      `DELETE FROM hexafac_aplicaciones WHERE origen_id = ?
         AND (SELECT status FROM hexafac_facturas WHERE id = ?) IN (${enLista(ORIGEN_INACTIVO)})`,
    )
    .bind(origenId, origenId);
}

/** GET view of a PPD invoice's balance, its payments and its credit notes. */
export function saldoView(s: Saldo) {
  const fmt = (d: Decimal) => formatear(d, s.decimales);
  const de = (tipo: TipoAplicacion) => s.aplicaciones.filter((a) => a.fila.tipo === tipo);
  return {
    total: fmt(s.total),
    pagado: fmt(s.pagado),
    acreditado: fmt(s.acreditado),
    saldo_insoluto: fmt(s.insoluto),
    pagos: de('pago').map(({ fila, origen: o }) => ({
      complemento_id: fila.origen_id,
      uuid: o.uuid,
      num_parcialidad: fila.num_parcialidad!,
      imp_saldo_ant: fila.imp_saldo_ant,
      imp_pagado: fila.importe,
      imp_saldo_insoluto: fila.imp_saldo_insoluto,
      status: o.status,
    })),
    notas_credito: de('nota_credito').map(({ fila, origen: o }) => ({
      nota_credito_id: fila.origen_id,
      uuid: o.uuid,
      imp_saldo_ant: fila.imp_saldo_ant,
      importe: fila.importe,
      imp_saldo_insoluto: fila.imp_saldo_insoluto,
      status: o.status,
    })),
  };
}

/** What a P or E applied, for its own GET view. */
async function aplicacionesDeOrigen(deps: DbDeps, t: Tenant, origenId: string) {
  const documento = alias(facturas, 'documento');
  const rows = await tenantDb(deps, t)
    .db.select({ fila: aplicaciones, uuid: documento.uuid })
    .from(aplicaciones)
    .innerJoin(documento, eq(documento.id, aplicaciones.documento_id))
    .where(tenantWhere(aplicaciones, t, eq(aplicaciones.origen_id, origenId)))
    .orderBy(aplicaciones.id);
  return rows.map(({ fila, uuid }) => ({
    factura_id: fila.documento_id,
    uuid: uuid!,
    num_parcialidad: fila.num_parcialidad,
    imp_saldo_ant: fila.imp_saldo_ant,
    importe: fila.importe,
    imp_saldo_insoluto: fila.imp_saldo_insoluto,
  }));
}

/** What each P of `origenIds` paid, summed by the paid invoices' currency (a P's own Total is 0). */
export async function pagadoPorComplemento(deps: DbDeps, t: Tenant, origenIds: string[]): Promise<Map<string, { moneda: string; importe: string }[]>> {
  const documento = alias(facturas, 'documento');
  const { db } = tenantDb(deps, t);
  // three parameters are the tenant's and the tipo
  const rows = await inChunks(origenIds, D1_MAX_PARAMETERS - 3, (ids) =>
    db
      .select({ origen_id: aplicaciones.origen_id, importe: aplicaciones.importe, moneda: documento.moneda })
      .from(aplicaciones)
      .innerJoin(documento, eq(documento.id, aplicaciones.documento_id))
      .where(tenantWhere(aplicaciones, t, eq(aplicaciones.tipo, 'pago'), inArray(aplicaciones.origen_id, ids))),
  );
  const sumas = new Map<string, Map<string, Decimal>>();
  for (const r of rows) {
    const porMoneda = sumas.get(r.origen_id) ?? new Map<string, Decimal>();
    porMoneda.set(r.moneda, (porMoneda.get(r.moneda) ?? dec(0)).plus(dec(r.importe)));
    sumas.set(r.origen_id, porMoneda);
  }
  return new Map(
    [...sumas].map(([id, porMoneda]) => [id, [...porMoneda].map(([moneda, d]) => ({ moneda, importe: formatear(d, catalogs.decimalesMoneda(moneda) ?? 2) }))]),
  );
}

/** The balance part of a comprobante's detail: `saldo` for a PPD invoice, `aplicaciones` for a P or E. */
export async function relacionesDe(deps: DbDeps, t: Tenant, f: Factura) {
  if (f.tipo === 'I') {
    if (f.metodo_pago !== 'PPD') return {};
    return { saldo: saldoView((await saldos(deps, t, [f])).get(f.id)!) };
  }
  return { aplicaciones: await aplicacionesDeOrigen(deps, t, f.id) };
}
