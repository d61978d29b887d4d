import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { toPage } from '../../lib/pagination';
import { tenantOf } from '../../lib/tenancy';
import { listarComprobantes } from '../../services/comprobantes';
import { aceptarTraslado, TRASLADO } from '../../services/traslados';
import { handlerPdf, handlerXml } from '../comprobantes.archivos';
import { handlerCancelar } from '../comprobantes.cancelacion';
import { solicitudDe } from '../comprobantes.mapper';
import { handlerValidar } from '../comprobantes.validar';
import { respuestaAceptada, vistaComprobante, vistaDetalle } from '../comprobantes.views';
import type { crear, listar, obtener } from './traslados.routes';

export const crearHandler: RouteHandler<typeof crear, AppEnv> = async (c) =>
  respuestaAceptada(c, await aceptarTraslado(c.var.deps, tenantOf(c), ...solicitudDe(c, c.req.valid('json'))));

export const listarHandler: RouteHandler<typeof listar, AppEnv> = async (c) => {
  const q = c.req.valid('query');
  const filtros = { status: q.status, tipo: 'T' as const, desde: q.desde, hasta: q.hasta };
  return c.json(toPage(await listarComprobantes(c.var.deps, tenantOf(c), filtros, q), q.limit, vistaComprobante), 200);
};

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) =>
  c.json(await vistaDetalle(c.var.deps, tenantOf(c), c.req.valid('param').id, 'T'), 200);

export const xmlHandler = handlerXml('T');
export const pdfHandler = handlerPdf('T');
export const cancelarHandler = handlerCancelar('T');
export const validarHandler = handlerValidar(TRASLADO);
