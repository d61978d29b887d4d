import type { RouteHandler } from '@hono/zod-openapi';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import {
  acuseDeRecibida,
  crearSolicitudDePrueba,
  datosRecibida,
  listarRecibidas,
  obtenerRecibida,
  responderRecibida,
  type CancelacionRecibida,
  type RespuestaRecibida,
} from '../../services/cancelaciones-recibidas';
import { descarga } from '../comprobantes.views';
import type { aceptar, acuse, crearRecibidaPrueba, listar, obtener, rechazar } from './cancelaciones-recibidas.routes';

export function vistaRecibida(r: CancelacionRecibida) {
  const self = `${API_BASE}/cancelaciones-recibidas/${r.uuid}`;
  return { ...datosRecibida(r), links: { self, acuse: r.acuse_key ? `${self}/acuse` : null } };
}

export const listarHandler: RouteHandler<typeof listar, AppEnv> = async (c) => {
  const page = await listarRecibidas(c.var.deps, tenantOf(c), c.req.valid('query'));
  return c.json({ data: page.data.map(vistaRecibida), next_cursor: page.next_cursor }, 200);
};

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) =>
  c.json(vistaRecibida(await obtenerRecibida(c.var.deps, tenantOf(c), c.req.valid('param').uuid)), 200);

export const acuseHandler: RouteHandler<typeof acuse, AppEnv> = async (c) =>
  descarga(c, await acuseDeRecibida(c.var.deps, tenantOf(c), c.req.valid('param').uuid));

const responderHandler =
  (respuesta: RespuestaRecibida): RouteHandler<typeof aceptar | typeof rechazar, AppEnv> =>
  async (c) => {
    const r = await responderRecibida(c.var.deps, tenantOf(c), c.req.valid('param').uuid, respuesta, {
      idempotencyKey: c.req.header('Idempotency-Key'),
    });
    if (r.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(vistaRecibida(r.value), 200);
  };

export const aceptarHandler = responderHandler('aceptar');
export const rechazarHandler = responderHandler('rechazar');

export const crearRecibidaPruebaHandler: RouteHandler<typeof crearRecibidaPrueba, AppEnv> = async (c) => {
  const { recibida, nueva } = await crearSolicitudDePrueba(c.var.deps, tenantOf(c), c.req.valid('json')?.n);
  return c.json(vistaRecibida(recibida), nueva ? 201 : 200);
};
