import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { DomainError } from '../../lib/errors';
import { tenantOf } from '../../lib/tenancy';
import {
  cancelarRecibo,
  cargarRecibo,
  configurarRecibos,
  crearRecibo,
  facturarRecibo,
  listarRecibos,
  qrPng,
  qrSvg,
  urlAutofactura,
  vistaConfiguracion,
  type Recibo,
} from '../../services/recibos';
import { respuesta202 } from '../comprobantes.views';
import { simulacionDe } from '../simulacion';
import type * as routes from './recibos.routes';

const rutaRecibo = (id: string) => `${API_BASE}/recibos/${id}`;

/** The recibo as the API shows it: its portal URL is built on the origin the request came to. */
function vistaRecibo(c: Context<AppEnv>, r: Recibo) {
  const self = rutaRecibo(r.id);
  return {
    id: r.id,
    folio: r.folio,
    external_id: r.external_id,
    clave_autofactura: r.clave,
    url_autofactura: urlAutofactura(new URL(c.req.url).origin, c.get('application').autofactura_slug, r.clave),
    fecha: r.fecha,
    forma_pago: r.forma_pago,
    moneda: r.moneda,
    subtotal: r.subtotal,
    descuento: r.descuento,
    total_impuestos_trasladados: r.total_impuestos_trasladados,
    total_impuestos_retenidos: r.total_impuestos_retenidos,
    total: r.total,
    status: r.status,
    vigente_hasta: r.vigente_hasta,
    factura_id: r.factura_id,
    factura_global_id: r.factura_global_id,
    nota_credito_id: r.nota_credito_id,
    created_at: r.created_at,
    links: { self, qr_png: `${self}/qr.png`, qr_svg: `${self}/qr.svg` },
  };
}

export const crearHandler: RouteHandler<typeof routes.crear, AppEnv> = async (c) => {
  const r = await crearRecibo(c.var.deps, tenantOf(c), c.req.valid('json'), { idempotencyKey: c.req.header('Idempotency-Key'), aplicacion: c.get('application') });
  c.header('Location', `${new URL(c.req.url).origin}${rutaRecibo(r.value.id)}`);
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(vistaRecibo(c, r.value), 201);
};

export const listarHandler: RouteHandler<typeof routes.listar, AppEnv> = async (c) => {
  const page = await listarRecibos(c.var.deps, tenantOf(c), c.req.valid('query'));
  return c.json({ ...page, data: page.data.map((r) => vistaRecibo(c, r)) }, 200);
};

export const obtenerHandler: RouteHandler<typeof routes.obtener, AppEnv> = async (c) =>
  c.json(vistaRecibo(c, await cargarRecibo(c.var.deps, tenantOf(c), c.req.valid('param').id)), 200);

/** The URL the QR encodes; without a slug there is none (409: the merchant has to choose one first). */
async function urlDelQr(c: Context<AppEnv>, id: string): Promise<string> {
  const url = vistaRecibo(c, await cargarRecibo(c.var.deps, tenantOf(c), id)).url_autofactura;
  if (!url) {
    throw new DomainError('sin_slug_autofactura', 'conflict', 'La aplicación aún no tiene dirección de autofactura: configura autofactura_slug con PUT /recibos/configuracion.');
  }
  return url;
}

export const qrPngHandler: RouteHandler<typeof routes.qrPng, AppEnv> = async (c) =>
  c.body((await qrPng(await urlDelQr(c, c.req.valid('param').id))) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'image/png' });

export const qrSvgHandler: RouteHandler<typeof routes.qrSvg, AppEnv> = async (c) =>
  c.body(qrSvg(await urlDelQr(c, c.req.valid('param').id)), 200, { 'Content-Type': 'image/svg+xml' });

export const cancelarHandler: RouteHandler<typeof routes.cancelar, AppEnv> = async (c) =>
  c.json(vistaRecibo(c, await cancelarRecibo(c.var.deps, tenantOf(c), c.req.valid('param').id)), 200);

export const facturarHandler: RouteHandler<typeof routes.facturar, AppEnv> = async (c) => {
  const simulacion = simulacionDe(c);
  const r = await facturarRecibo(c.var.deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json'), {
    idempotencyKey: c.req.header('Idempotency-Key'),
    aplicacion: c.get('application'),
    ...(simulacion ? { simulacion } : {}),
  });
  const self = `${API_BASE}/facturas/${r.value.id}`;
  return respuesta202(c, r, self, { ...r.value, links: { self } });
};

export const obtenerConfiguracionHandler: RouteHandler<typeof routes.obtenerConfiguracion, AppEnv> = async (c) => c.json(vistaConfiguracion(c.get('application')), 200);

export const configurarHandler: RouteHandler<typeof routes.configurar, AppEnv> = async (c) =>
  c.json(await configurarRecibos(c.var.deps, tenantOf(c), c.req.valid('json')), 200);
