import { and, count, eq, gt, gte, sql } from 'drizzle-orm';
import { clientApplications, FACTURA_STATUSES, facturas, type FacturaStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DAY } from '../lib/time';
import type { Mode } from '../lib/mode';
import type { Foto } from '../pac/circuito';

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
