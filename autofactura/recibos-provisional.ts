import { and, eq } from 'drizzle-orm';
import { clientApplications, type ConfiguracionRecibos, recibos } from '../src/db/schema';
import type { Deps } from '../src/deps';
import type { Idempotent } from '../src/lib/idempotency';
import type { Tenant } from '../src/lib/tenancy';
import type { Aplicacion } from '../src/services/comprobantes';
import type { Aceptada } from '../src/services/emision';
import { aceptar } from '../src/services/emision';
import { FACTURA } from '../src/services/facturas';

// PROVISIONAL: the portal builds against the retail contract's src/services/recibos.ts (helper A), which was not
// in the tree yet. This file implements only the four functions the portal calls, with the contract's
// signatures, so the portal and its tests run; once src/services/recibos.ts lands, index.tsx imports from it and
// this file is deleted. Not here: the lost race as a 409 (the guarded UPDATE just changes nothing) and the
// release of a recibo whose CFDI ends rechazada (recibosTrasTransicion).

export type Recibo = typeof recibos.$inferSelect;

export function configuracionRecibos(app: Aplicacion): Required<ConfiguracionRecibos> {
  return { dias_autofactura: 30, tras_global: 'rechazar', periodicidad_global: null, serie_global: 'G', ...(app.recibos_config ?? {}) };
}

export async function reciboPorClave(deps: Pick<Deps, 'db'>, slug: string, clave: string): Promise<{ aplicacion: Aplicacion; tenant: Tenant; recibo: Recibo } | null> {
  const fila = await deps.db
    .select({ recibo: recibos, aplicacion: clientApplications })
    .from(recibos)
    .innerJoin(clientApplications, eq(clientApplications.id, recibos.client_application_id))
    .where(and(eq(recibos.clave, clave), eq(clientApplications.autofactura_slug, slug), eq(clientApplications.status, 'active')))
    .get();
  return fila ? { ...fila, tenant: { applicationId: fila.recibo.client_application_id, mode: fila.recibo.mode } } : null;
}

export function impedimentoAutofactura(recibo: Recibo, config: Required<ConfiguracionRecibos>, ahora: Date): { code: string; message: string } | null {
  if (recibo.status === 'cancelado') return { code: 'recibo_cancelado', message: 'El comercio canceló este ticket: ya no se puede facturar.' };
  if (recibo.status === 'facturado') return { code: 'recibo_facturado', message: 'Este ticket ya fue facturado.' };
  if (recibo.status === 'facturado_global' && config.tras_global === 'rechazar') {
    return { code: 'recibo_en_global', message: 'Este ticket ya se incluyó en la factura global del comercio: ya no se puede facturar por separado.' };
  }
  if (ahora.toISOString() > recibo.vigente_hasta) return { code: 'recibo_vencido', message: 'El plazo para facturar este ticket terminó.' };
  return null;
}

export interface DatosFacturacion {
  receptor: { rfc: string; nombre: string; domicilio_fiscal: string; regimen_fiscal: string; uso_cfdi: string };
  email?: string;
}

export async function facturarRecibo(
  deps: Deps,
  t: Tenant,
  reciboId: string,
  datos: DatosFacturacion,
  opts: { idempotencyKey?: string; aplicacion?: Aplicacion } = {},
): Promise<Idempotent<Aceptada>> {
  const recibo = await deps.db.select().from(recibos).where(and(eq(recibos.id, reciboId), eq(recibos.client_application_id, t.applicationId), eq(recibos.mode, t.mode))).get();
  if (!recibo) throw new Error('recibo no encontrado');
  const reservar = (facturaId: string) => [
    deps.d1.prepare(`UPDATE hexafac_recibos SET status = 'facturado', factura_id = ?1 WHERE id = ?2 AND status = 'vigente'`).bind(facturaId, recibo.id),
  ];
  const tipo = {
    ...FACTURA,
    preparar: async (...args: Parameters<typeof FACTURA.preparar>) => {
      const p = await FACTURA.preparar(...args);
      return p.ok ? { ...p, extra: (id: string) => [...(p.extra?.(id) ?? []), ...reservar(id)] } : p;
    },
  };
  const solicitud = { receptor: datos.receptor, conceptos: recibo.datos.conceptos, forma_pago: recibo.forma_pago, metodo_pago: 'PUE', moneda: recibo.moneda };
  return aceptar(deps, t, tipo, solicitud, { ...opts, origen: 'recibo', enviarA: datos.email ? [datos.email] : undefined });
}
