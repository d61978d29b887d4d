import { and, count, eq, gte } from 'drizzle-orm';
import { clientApplications, FACTURA_STATUSES, facturas, type FacturaStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DAY } from '../lib/time';
import type { Mode } from '../lib/mode';

// The operators' dashboard: platform-wide aggregates of one mode, never a tenant's rows.

export type ConteoPorEstado = Record<FacturaStatus, number>;

export interface Tablero {
  /** Comprobantes created in the last 24 hours and 30 days, by status. */
  dia: ConteoPorEstado;
  mes: ConteoPorEstado;
  aplicaciones: { registradas: number; activas: number; sinCsdVigente: number };
}

type DbDeps = Pick<Deps, 'db' | 'clock'>;

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
