import { and, desc, eq, gte, inArray, lte } from 'drizzle-orm';
import { prepararNomina } from '../cfdi';
import { facturas, recibosNomina, type FacturaStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import { cursorCondition } from '../lib/pagination';
import { tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import { aceptar, type OpcionesAceptar, type Solicitud, type TipoEmision } from './emision';
import type { Factura } from './estado';

// Recibos de nómina (CFDI tipo N with Nómina 1.2): the fiscal core computes and checks everything; what the
// service adds is the recibo's row in hexafac_recibos_nomina (employee, period, totals, neto), written in the
// batch that stores the comprobante, so recibos are listed by CURP and period without reading their requests.
// The receptor is the employee, always inline: a cliente is someone HexaFac invoices, and it has no CURP,
// NSS, contract or salary, so `cliente_id` is refused for this kind.

type ReciboNominaFila = typeof recibosNomina.$inferSelect;

const sinCliente = () =>
  DomainError.validation([
    { path: 'cliente_id', code: 'HFX_CLIENTE_EN_NOMINA', message: 'Un recibo de nómina lleva los datos del trabajador en `receptor` (CURP, NSS, contrato…); `cliente_id` no aplica.' },
  ]);

export const RECIBO_NOMINA: TipoEmision = {
  tipo: 'N',
  operacion: 'recibos-nomina.crear',
  seriePorOmision: 'N',
  receptorDeCliente: () => {
    throw sinCliente();
  },
  async preparar(deps, t, datos, emisor) {
    const prep = prepararNomina(datos, emisor, { ahora: deps.clock() });
    if (!prep.ok) return prep;
    const n = prep.nomina;
    const { d1 } = tenantDb(deps, t);
    return {
      ok: true,
      comprobante: prep.comprobante,
      ...(prep.advertencias ? { advertencias: prep.advertencias } : {}),
      extra: (id: string) => [
        d1
          .prepare(
            `INSERT INTO hexafac_recibos_nomina (factura_id, client_application_id, mode, curp, num_empleado, tipo_nomina, fecha_pago,
               fecha_inicial_pago, fecha_final_pago, total_percepciones, total_deducciones, total_otros_pagos, neto)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .bind(
            id, t.applicationId, t.mode, n.receptor.curp, n.receptor.numEmpleado, n.tipoNomina, n.fechaPago, n.fechaInicialPago, n.fechaFinalPago,
            n.totalPercepciones ?? '0.00', n.totalDeducciones ?? '0.00', n.totalOtrosPagos ?? '0.00', prep.comprobante.total,
          ),
      ],
    };
  },
};

export const aceptarReciboNomina = (deps: Deps, t: Tenant, solicitud: Solicitud, opts?: OpcionesAceptar) => aceptar(deps, t, RECIBO_NOMINA, solicitud, opts);

// keyed by factura_id (no `id`, so not a TenantTable): its own tenant columns lead the CURP and period indexes
const delTenant = (t: Tenant) => and(eq(recibosNomina.client_application_id, t.applicationId), eq(recibosNomina.mode, t.mode));

export interface FiltrosRecibosNomina {
  status?: FacturaStatus;
  /** RFC or CURP of the employee (exact, any case). */
  rfc?: string;
  curp?: string;
  numEmpleado?: string;
  tipoNomina?: 'O' | 'E';
  /** The exact period of a payroll (a quincena: 2026-11-01 … 2026-11-15). */
  fechaInicialPago?: string;
  fechaFinalPago?: string;
  /** AAAA-MM-DD, inclusive: recibos whose whole period lies in the range. */
  periodoDesde?: string;
  periodoHasta?: string;
}

export interface ReciboNomina {
  factura: Factura;
  recibo: ReciboNominaFila;
}

/** One page (limit + 1, newest first) of the tenant's recibos de nómina with their row; the API's list. */
export async function listarRecibosNomina(deps: Pick<Deps, 'db' | 'd1'>, t: Tenant, f: FiltrosRecibosNomina, pagina: { limit: number; cursor?: string }): Promise<(ReciboNomina & { id: string })[]> {
  const r = recibosNomina;
  const filas = await tenantDb(deps, t)
    .db.select({ factura: facturas, recibo: r })
    .from(r)
    .innerJoin(facturas, eq(facturas.id, r.factura_id))
    .where(
      and(
        tenantWhere(facturas, t, eq(facturas.tipo, 'N')),
        delTenant(t),
        cursorCondition(r.factura_id, pagina.cursor),
        f.status ? eq(facturas.status, f.status) : undefined,
        f.rfc ? eq(facturas.receptor_rfc, f.rfc.toUpperCase()) : undefined,
        f.curp ? eq(r.curp, f.curp.toUpperCase()) : undefined,
        f.numEmpleado ? eq(r.num_empleado, f.numEmpleado) : undefined,
        f.tipoNomina ? eq(r.tipo_nomina, f.tipoNomina) : undefined,
        f.fechaInicialPago ? eq(r.fecha_inicial_pago, f.fechaInicialPago) : undefined,
        f.fechaFinalPago ? eq(r.fecha_final_pago, f.fechaFinalPago) : undefined,
        f.periodoDesde ? gte(r.fecha_inicial_pago, f.periodoDesde) : undefined,
        f.periodoHasta ? lte(r.fecha_final_pago, f.periodoHasta) : undefined,
      ),
    )
    .orderBy(desc(r.factura_id))
    .limit(pagina.limit + 1)
    .all();
  return filas.map((x) => ({ ...x, id: x.factura.id }));
}

/** The recibo rows of some of a tenant's comprobantes tipo N (a page of a listing), by comprobante id. */
export async function recibosNominaDe(deps: Pick<Deps, 'db' | 'd1'>, t: Tenant, facturaIds: string[]): Promise<Map<string, ReciboNominaFila>> {
  if (!facturaIds.length) return new Map();
  const filas = await tenantDb(deps, t).db.select().from(recibosNomina).where(and(delTenant(t), inArray(recibosNomina.factura_id, facturaIds))).all();
  return new Map(filas.map((r) => [r.factura_id, r]));
}

/** The recibo row of a tenant's comprobante tipo N (every one has it: it is written with the comprobante). */
export async function cargarReciboNomina(deps: Pick<Deps, 'db' | 'd1'>, t: Tenant, facturaId: string): Promise<ReciboNominaFila> {
  const row = await tenantDb(deps, t).db.select().from(recibosNomina).where(and(delTenant(t), eq(recibosNomina.factura_id, facturaId))).get();
  if (!row) throw DomainError.notFound('El recibo de nómina');
  return row;
}
