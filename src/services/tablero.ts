import type Decimal from 'decimal.js';
import { and, count, eq, gt, gte, inArray, lt, notInArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { catalogs, dec, fechaLocal, formatear } from '../cfdi';
import { aplicaciones as aplicacionesTabla, clientApplications, FACTURA_STATUSES, facturas, type FacturaStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DAY } from '../lib/time';
import type { Mode } from '../lib/mode';
import { tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import type { Foto } from '../pac/circuito';
import { comprobanteDeFactura } from './complementos-pago';
import { type Aplicacion, emisorDe } from './comprobantes';
import { VIGENTES } from './estado';
import { ORIGEN_INACTIVO, saldos } from './saldos';

// The operators' dashboard: platform-wide aggregates of one mode, never a tenant's rows.

export type ConteoPorEstado = Record<FacturaStatus, number>;

export interface Tablero {
  /** Comprobantes created in the last 24 hours and 30 days, by status. */
  dia: ConteoPorEstado;
  mes: ConteoPorEstado;
  aplicaciones: { registradas: number; activas: number; sinCsdVigente: number };
}

type DbDeps = Pick<Deps, 'db' | 'clock'>;

export interface EstadoPac {
  nombre: string;
  circuito: Foto['estado'];
  fallos: number;
  ultimoFallo: string | null;
}

/** Live mode's PACs in the deployment's order with their breakers, and the comprobantes waiting for one. */
export async function estadoPacs(deps: Pick<Deps, 'db' | 'pacs'>) {
  const pacs: EstadoPac[] = await Promise.all(
    deps.pacs.configurados().map(async (nombre) => {
      const f = await deps.pacs.foto('live', '', nombre);
      return { nombre, circuito: f.estado, fallos: f.fallos, ultimoFallo: f.ultimoFallo };
    }),
  );
  const [espera] = await deps.db
    .select({ n: count(), inciertos: sql<number>`coalesce(sum(${facturas.pac_incierto} IS NOT NULL), 0)` })
    .from(facturas)
    .where(and(eq(facturas.mode, 'live'), eq(facturas.status, 'pendiente'), gt(facturas.intentos, 0)))
    .all();
  return { pacs, esperando: espera?.n ?? 0, inciertos: Number(espera?.inciertos ?? 0) };
}

async function conteo(deps: DbDeps, mode: Mode, desde: Date): Promise<ConteoPorEstado> {
  const filas = await deps.db
    .select({ status: facturas.status, n: count() })
    .from(facturas)
    .where(and(eq(facturas.mode, mode), gte(facturas.created_at, desde.toISOString())))
    .groupBy(facturas.status)
    .all();
  const out = Object.fromEntries(FACTURA_STATUSES.map((s) => [s, 0])) as ConteoPorEstado;
  for (const f of filas) out[f.status] = f.n;
  return out;
}

export async function resumenTablero(deps: DbDeps, mode: Mode): Promise<Tablero> {
  const ahora = deps.clock();
  const [dia, mes, apps] = await Promise.all([
    conteo(deps, mode, new Date(ahora.getTime() - DAY)),
    conteo(deps, mode, new Date(ahora.getTime() - 30 * DAY)),
    deps.db.select({ status: clientApplications.status, csd: clientApplications.csd_valido_hasta }).from(clientApplications).all(),
  ]);
  const hoy = ahora.toISOString();
  return {
    dia,
    mes,
    aplicaciones: {
      registradas: apps.length,
      activas: apps.filter((a) => a.status === 'active').length,
      sinCsdVigente: apps.filter((a) => !a.csd || a.csd < hoy).length,
    },
  };
}

// One application's month so far, per currency: what it invoiced, collected, is owed and its IVA.

export interface DiaDelMes {
  /** AAAA-MM-DD */
  dia: string;
  facturado: string;
  cobrado: string;
}

export interface FigurasMes {
  moneda: string;
  /** Σ Total of the vigente facturas (I) of the month. */
  facturado: string;
  /** Σ ImpPagado of the month's vigente complementos de pago, in the paid facturas' currency. */
  cobrado: string;
  /** Σ saldo insoluto of every vigente PPD factura, whatever its month. */
  porCobrar: string;
  ivaTrasladado: string;
  ivaRetenido: string;
  porDia: DiaDelMes[];
}

const IVA = '002';

class Sumas {
  private m = new Map<string, Decimal>();
  sumar(clave: string, importe: Decimal | string) {
    this.m.set(clave, (this.m.get(clave) ?? dec(0)).plus(importe));
  }
  de(clave: string): Decimal {
    return this.m.get(clave) ?? dec(0);
  }
  claves() {
    return [...this.m.keys()];
  }
}

/** The month (AAAA-MM) that `ahora` falls in at `zona`, and its figures for the tenant; Fechas are read as wall-clock dates. */
export async function resumenMes(deps: Deps, t: Tenant, app: Aplicacion, zona: string): Promise<{ mes: string; monedas: FigurasMes[] }> {
  const mes = fechaLocal(deps.clock(), zona).slice(0, 7);
  const [anio, m] = mes.split('-').map(Number) as [number, number];
  const siguiente = m === 12 ? `${anio + 1}-01` : `${anio}-${String(m + 1).padStart(2, '0')}`;
  const delMes = and(gte(facturas.fecha, `${mes}-01T00:00:00`), lt(facturas.fecha, `${siguiente}-01T00:00:00`));
  const { db } = tenantDb(deps, t);
  const documento = alias(facturas, 'documento');

  const [emitidas, pagos, ppd] = await Promise.all([
    db.select().from(facturas).where(tenantWhere(facturas, t, eq(facturas.tipo, 'I'), inArray(facturas.status, VIGENTES), delMes)).all(),
    db
      .select({ fecha: facturas.fecha, importe: aplicacionesTabla.importe, moneda: documento.moneda })
      .from(aplicacionesTabla)
      .innerJoin(facturas, eq(facturas.id, aplicacionesTabla.origen_id))
      .innerJoin(documento, eq(documento.id, aplicacionesTabla.documento_id))
      .where(tenantWhere(aplicacionesTabla, t, eq(aplicacionesTabla.tipo, 'pago'), notInArray(facturas.status, [...ORIGEN_INACTIVO]), delMes))
      .all(),
    db.select().from(facturas).where(tenantWhere(facturas, t, eq(facturas.tipo, 'I'), eq(facturas.metodo_pago, 'PPD'), inArray(facturas.status, VIGENTES))).all(),
  ]);

  const facturado = new Sumas();
  const cobrado = new Sumas();
  const porCobrar = new Sumas();
  const trasladado = new Sumas();
  const retenido = new Sumas();
  const emisor = emisorDe(app);
  for (const f of emitidas) {
    facturado.sumar(f.moneda, f.total);
    facturado.sumar(`${f.moneda} ${f.fecha.slice(0, 10)}`, f.total);
    // The IVA of the comprobante as stamped: rebuilt from its stored request, as a complemento de pago does.
    const impuestos = (await comprobanteDeFactura(deps, f, emisor)).impuestos;
    for (const tr of impuestos?.traslados ?? []) if (tr.impuesto === IVA && tr.importe) trasladado.sumar(f.moneda, tr.importe);
    for (const r of impuestos?.retenciones ?? []) if (r.impuesto === IVA) retenido.sumar(f.moneda, r.importe);
  }
  for (const p of pagos) {
    cobrado.sumar(p.moneda, p.importe);
    cobrado.sumar(`${p.moneda} ${p.fecha.slice(0, 10)}`, p.importe);
  }
  for (const s of (await saldos(deps, t, ppd)).values()) porCobrar.sumar(s.factura.moneda, s.insoluto);

  const monedas = [...new Set([...facturado.claves(), ...cobrado.claves(), ...porCobrar.claves()].filter((k) => !k.includes(' ')))].sort();
  const dias = Array.from({ length: Number(fechaLocal(deps.clock(), zona).slice(8, 10)) }, (_, i) => `${mes}-${String(i + 1).padStart(2, '0')}`);
  return {
    mes,
    monedas: monedas.map((moneda) => {
      const fmt = (d: Decimal) => formatear(d, catalogs.decimalesMoneda(moneda) ?? 2);
      return {
        moneda,
        facturado: fmt(facturado.de(moneda)),
        cobrado: fmt(cobrado.de(moneda)),
        porCobrar: fmt(porCobrar.de(moneda)),
        ivaTrasladado: fmt(trasladado.de(moneda)),
        ivaRetenido: fmt(retenido.de(moneda)),
        porDia: dias.map((dia) => ({ dia, facturado: fmt(facturado.de(`${moneda} ${dia}`)), cobrado: fmt(cobrado.de(`${moneda} ${dia}`)) })),
      };
    }),
  };
}
