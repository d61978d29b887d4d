import type { RouteHandler } from '@hono/zod-openapi';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import {
  archivoExportacion,
  crearExportacion,
  datosExportacion,
  obtenerExportacion,
  type ExportacionFila,
  type FiltrosExportacion,
} from '../../services/exportaciones';
import { descarga, respuesta202 } from '../comprobantes.views';
import type * as routes from './exportaciones.routes';

function vista(f: ExportacionFila) {
  const self = `${API_BASE}/exportaciones/${f.id}`;
  return { ...datosExportacion(f), links: { self, ...(f.status === 'lista' ? { descarga: `${self}/archivo` } : {}) } };
}

export const crearHandler: RouteHandler<typeof routes.crear, AppEnv> = async (c) => {
  const { formato, ...filtros } = c.req.valid('json');
  const r = await crearExportacion(c.var.deps, tenantOf(c), { formato, filtros: filtros as FiltrosExportacion }, { idempotencyKey: c.req.header('Idempotency-Key') });
  const body = vista(r.value);
  return respuesta202(c, r, body.links.self, body);
};

export const obtenerHandler: RouteHandler<typeof routes.obtener, AppEnv> = async (c) =>
  c.json(vista(await obtenerExportacion(c.var.deps, tenantOf(c), c.req.valid('param').id)), 200);

export const archivoHandler: RouteHandler<typeof routes.archivo, AppEnv> = async (c) =>
  descarga(c, await archivoExportacion(c.var.deps, tenantOf(c), c.req.valid('param').id));
