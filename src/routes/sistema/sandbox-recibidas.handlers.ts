import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import { crearSolicitudDePrueba } from '../../services/cancelaciones-recibidas';
import { vistaRecibida } from '../cancelaciones-recibidas/cancelaciones-recibidas.handlers';
import type { crearRecibidaPrueba } from './sandbox-recibidas.routes';

export const crearRecibidaPruebaHandler: RouteHandler<typeof crearRecibidaPrueba, AppEnv> = async (c) => {
  const { recibida, nueva } = await crearSolicitudDePrueba(c.var.deps, tenantOf(c), c.req.valid('json')?.n);
  return c.json(vistaRecibida(recibida), nueva ? 201 : 200);
};
