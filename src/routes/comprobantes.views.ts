import type { Context } from 'hono';
import type { Deps } from '../deps';
import { API_BASE } from '../env';
import type { AppEnv } from '../lib/context';
import { contentDisposition } from '../lib/http';
import type { Idempotent } from '../lib/idempotency';
import { tenantOf, type Tenant } from '../lib/tenancy';
import type { ErrorDetail } from '../lib/errors';
import { cargarComprobante, historial, type TipoComprobante } from '../services/comprobantes';
import type { Aceptada, BorradorCreado } from '../services/emision';
import { datosComprobante, type Factura } from '../services/estado';
import type { Archivo } from '../services/archivos';
import { datosEnvio, enviosDe } from '../services/envios';
import { relacionesDe } from '../services/saldos';

// How the API shows a comprobante of any kind (facturas, notas de crédito, complementos de pago and their
// cancelaciones answer with the same views): the state machine's data plus the links to its resources.

const RUTA_POR_TIPO: Record<TipoComprobante, string> = { I: 'facturas', E: 'notas-credito', P: 'complementos-pago', N: 'recibos-nomina', T: 'traslados' };

export function vistaComprobante(f: Factura) {
  const base = `${API_BASE}/facturas/${f.id}`;
  const self = `${API_BASE}/${RUTA_POR_TIPO[f.tipo]}/${f.id}`;
  const datos = datosComprobante(f);
  const borrador = f.status === 'borrador';
  return {
    ...datos,
    // a draft's folio is assigned when it is sent to stamp
    folio: borrador ? null : datos.folio,
    cancelacion: datos.cancelacion && { ...datos.cancelacion, acuse: f.acuse_key ? `${base}/acuse` : null },
    links: {
      self,
      ...(f.xml_key ? { xml: `${base}/xml`, pdf: `${base}/pdf` } : {}),
      ...(borrador ? { pdf: `${base}/pdf`, timbrar: `${self}/timbrar` } : {}),
    },
  };
}

/** A draft's answer (its creation, a PATCH): the view with the advertencias of its request as it stands. */
export const vistaBorrador = (f: Factura, advertencias: ErrorDetail[]) => ({ ...vistaComprobante(f), advertencias });

/**
 * GET detail of a tenant's comprobante (the tipo-specific routes pass their tipo): the view, its history,
 * its balances (saldo of a PPD invoice, aplicaciones of a P or E) and its envíos por correo.
 */
export async function vistaDetalle(deps: Deps, t: Tenant, idOrUuid: string, tipo?: TipoComprobante) {
  const f = await cargarComprobante(deps, t, idOrUuid, tipo);
  const [eventos, relaciones, envios] = await Promise.all([historial(deps, t, f.id), relacionesDe(deps, t, f), enviosDe(deps, t, f.id)]);
  return { ...vistaComprobante(f), historial: eventos, ...relaciones, envios: envios.map(datosEnvio) };
}

/**
 * The 202 of an operation that goes on asynchronously: its Location (absolute; `self` is the resource's path,
 * as every `links.self` is), and whether an Idempotency-Key replayed it.
 */
export function respuesta202<T extends object>(c: Context<AppEnv>, r: Idempotent<unknown>, self: string, body: T) {
  c.header('Location', `${new URL(c.req.url).origin}${self}`);
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(body, 202);
}

/** 202 of an accepted comprobante: its Location is the creating route's path plus its id. */
export function respuestaAceptada(c: Context<AppEnv>, r: Idempotent<Aceptada>) {
  const self = `${c.req.path.replace(/\/$/, '')}/${r.value.id}`;
  return respuesta202(c, r, self, { ...r.value, links: { self } });
}

/** 201 of a stored draft: the draft as it is now, at its Location. */
export async function respuestaBorrador(c: Context<AppEnv>, r: Idempotent<BorradorCreado>) {
  const f = await cargarComprobante(c.var.deps, tenantOf(c), r.value.id);
  const vista = vistaBorrador(f, r.value.advertencias);
  c.header('Location', `${new URL(c.req.url).origin}${vista.links.self}`);
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(vista, 201);
}

export function descarga(c: Context<AppEnv>, a: Archivo): Response {
  return new Response(a.body, {
    headers: { 'Content-Type': a.contentType, 'Content-Disposition': contentDisposition(a.nombre), 'X-Request-Id': c.get('requestId') },
  });
}
