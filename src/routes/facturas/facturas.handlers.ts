import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { toPage } from '../../lib/pagination';
import { tenantOf } from '../../lib/tenancy';
import { handlerValidar } from '../comprobantes.validar';
import { xmlDe } from '../../services/archivos';
import { pdfDeComprobante } from '../../services/borradores';
import { crearComprobante, handlerActualizar, handlerDescartar, handlerTimbrar } from '../comprobantes.borradores';
import { listarComprobantes } from '../../services/comprobantes';
import { consultarEstadoSat } from '../../services/estado-sat';
import { sustituirFactura } from '../../services/sustitucion';
import { aceptarFactura, FACTURA } from '../../services/facturas';
import { solicitudDe } from '../comprobantes.mapper';
import { descarga, respuesta202, vistaComprobante, vistaDetalle } from '../comprobantes.views';
import { API_BASE } from '../../env';
import type { crear, estadoSat, listar, obtener, pdf, sustituir, xml } from './facturas.routes';

export const crearHandler: RouteHandler<typeof crear, AppEnv> = (c) => crearComprobante(c, FACTURA, aceptarFactura);

export const listarHandler: RouteHandler<typeof listar, AppEnv> = async (c) => {
  const q = c.req.valid('query');
  const filtros = { status: q.status, tipo: q.tipo, receptorRfc: q.receptor_rfc, desde: q.desde, hasta: q.hasta };
  return c.json(toPage(await listarComprobantes(c.var.deps, tenantOf(c), filtros, q), q.limit, vistaComprobante), 200);
};

// facturas.* reads any tipo; the tipo-specific routes pass theirs.
export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) =>
  c.json(await vistaDetalle(c.var.deps, tenantOf(c), c.req.valid('param').id), 200);

export const xmlHandler: RouteHandler<typeof xml, AppEnv> = async (c) => descarga(c, await xmlDe(c.var.deps, tenantOf(c), c.req.valid('param').id));
export const pdfHandler: RouteHandler<typeof pdf, AppEnv> = async (c) => descarga(c, await pdfDeComprobante(c.var.deps, tenantOf(c), c.req.valid('param').id));

export const estadoSatHandler: RouteHandler<typeof estadoSat, AppEnv> = async (c) =>
  c.json(await consultarEstadoSat(c.var.deps, tenantOf(c), c.req.valid('param').id, c.get('application')), 200);

export const sustituirHandler: RouteHandler<typeof sustituir, AppEnv> = async (c) => {
  const r = await sustituirFactura(c.var.deps, tenantOf(c), c.req.valid('param').id, ...solicitudDe(c, c.req.valid('json')));
  const self = `${API_BASE}/facturas/${r.value.id}`;
  return respuesta202(c, r, self, { ...r.value, links: { self } });
};

export const validarHandler = handlerValidar(FACTURA);

export const actualizarHandler = handlerActualizar();
export const timbrarHandler = handlerTimbrar();
export const descartarHandler = handlerDescartar();
