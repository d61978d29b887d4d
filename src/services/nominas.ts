import { and, asc, eq, inArray } from 'drizzle-orm';
import { facturas } from '../db/schema';
import type { Deps } from '../deps';
import type { ErrorDetail } from '../lib/errors';
import type { Idempotent } from '../lib/idempotency';
import { tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import type { OpcionesAceptar, Solicitud } from './emision';
import { crearLote, listarLotes, obtenerLote, type ClaseDeLote, type ItemLote, type Lote, type LoteFila } from './lotes';
import { RECIBO_NOMINA } from './recibos-nomina';

// A whole payroll (POST /nominas): up to 1,000 recibos de nómina of one pay period, accepted in one request by the
// batch engine (src/services/lotes.ts) as a batch of clase 'nomina', each recibo on its own (one refused never stops
// the others), completed with `nomina.completada`. What is the payroll's own: the period every recibo carries, the
// employer's fields said once, and what the PAC refused, read back from the recibos themselves.

export const MAX_RECIBOS_NOMINA = 1000;

export const NOMINA: ClaseDeLote<'recibo_nomina'> = {
  clase: 'nomina',
  tipos: { recibo_nomina: RECIBO_NOMINA },
  maxItems: MAX_RECIBOS_NOMINA,
  operacion: 'nominas.crear',
  ruta: (i, path) => (path ? `recibos[${i}].${path}` : `recibos[${i}]`),
};

export type Periodo = NonNullable<LoteFila['periodo']>;
const CAMPOS_PERIODO = ['tipo_nomina', 'fecha_pago', 'fecha_inicial_pago', 'fecha_final_pago'] as const satisfies readonly (keyof Periodo)[];

export interface NominaNueva {
  periodo: Periodo;
  /** The employer's nomina12:Emisor fields (registro_patronal…), each recibo's own `emisor` taking precedence (null: without it). */
  emisor?: Record<string, unknown>;
  recibos: Record<string, unknown>[];
}

const esObjeto = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A recibo as POST /recibos-nomina takes it: the payroll's period filled in, the employer's fields under its own.
 * A recibo naming another period is not of this payroll: refused at that field.
 */
export function reciboDeNomina(n: Pick<NominaNueva, 'periodo' | 'emisor'>, recibo: Record<string, unknown>): { solicitud: Solicitud } | { errores: ErrorDetail[] } {
  const errores = CAMPOS_PERIODO.filter((c) => recibo[c] !== undefined && recibo[c] !== n.periodo[c]).map((c) => ({
    path: c,
    code: 'HFX_NOMINA_OTRO_PERIODO',
    message: `La nómina es de ${c} ${n.periodo[c]}; omítelo en el recibo o emítelo en otra nómina.`,
  }));
  if (errores.length) return { errores };
  if (!n.emisor || (recibo.emisor !== undefined && !esObjeto(recibo.emisor))) return { solicitud: { ...recibo, ...n.periodo } };
  // a field the recibo sets to null is one the payroll's emisor has and this employee must not (an asimilado's registro patronal)
  const { emisor: propio, ...resto } = recibo;
  const emisor = Object.fromEntries(Object.entries({ ...n.emisor, ...(propio ?? {}) }).filter(([, v]) => v !== null));
  return { solicitud: { ...resto, ...n.periodo, ...(Object.keys(emisor).length ? { emisor } : {}) } };
}

export async function crearNomina(deps: Deps, t: Tenant, n: NominaNueva, opts: OpcionesAceptar = {}): Promise<Idempotent<Nomina>> {
  const items: ItemLote<'recibo_nomina'>[] = n.recibos.map((r) => ({ tipo: 'recibo_nomina', ...reciboDeNomina(n, r) }));
  const r = await crearLote(deps, t, NOMINA, { items, cuerpo: n, periodo: n.periodo }, opts);
  return { value: { ...r.value, no_timbrados: await noTimbrados(deps, t, r.value.fila.id) }, replayed: r.replayed };
}

/** A recibo accepted but not stamped: the PAC refused it (rechazada, its codes) or it failed after the retries (error). */
export interface NoTimbrado {
  indice: number;
  id: string;
  status: 'rechazada' | 'error';
  errores: { code: string; message: string }[];
}

export type Nomina = Lote<'recibo_nomina'> & { no_timbrados: NoTimbrado[] };

async function noTimbrados(deps: Deps, t: Tenant, id: string): Promise<NoTimbrado[]> {
  const filas = await tenantDb(deps, t)
    .db.select({ id: facturas.id, indice: facturas.lote_indice, status: facturas.status, errores: facturas.errores })
    .from(facturas)
    .where(tenantWhere(facturas, t, and(eq(facturas.lote_id, id), inArray(facturas.status, ['rechazada', 'error']))))
    .orderBy(asc(facturas.lote_indice))
    .all();
  return filas.map((f) => ({ indice: f.indice ?? 0, id: f.id, status: f.status as NoTimbrado['status'], errores: f.errores ?? [] }));
}

export async function obtenerNomina(deps: Deps, t: Tenant, id: string): Promise<Nomina> {
  const lote = await obtenerLote(deps, t, NOMINA, id);
  return { ...lote, no_timbrados: await noTimbrados(deps, t, id) };
}

export const listarNominas = (deps: Deps, t: Tenant, q: { limit: number; cursor?: string }) => listarLotes(deps, t, NOMINA, q);
