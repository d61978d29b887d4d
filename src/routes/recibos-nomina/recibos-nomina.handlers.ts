import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { toPage } from '../../lib/pagination';
import { tenantOf } from '../../lib/tenancy';
import { aceptarReciboNomina, cargarReciboNomina, listarRecibosNomina, RECIBO_NOMINA, type ReciboNomina } from '../../services/recibos-nomina';
import { handlerPdf, handlerXml } from '../comprobantes.archivos';
import { handlerCancelar } from '../comprobantes.cancelacion';
import { solicitudDe } from '../comprobantes.mapper';
import { handlerValidar } from '../comprobantes.validar';
import { respuestaAceptada, vistaComprobante, vistaDetalle } from '../comprobantes.views';
import type { crear, listar, obtener } from './recibos-nomina.routes';

/** The recibo's row as the API shows it (its keys are the comprobante's and its tenant's). */
const resumen = ({ factura_id: _, client_application_id: __, mode: ___, ...nomina }: ReciboNomina['recibo']) => nomina;

export const crearHandler: RouteHandler<typeof crear, AppEnv> = async (c) =>
  respuestaAceptada(c, await aceptarReciboNomina(c.var.deps, tenantOf(c), ...solicitudDe(c, c.req.valid('json'))));

export const listarHandler: RouteHandler<typeof listar, AppEnv> = async (c) => {
  const q = c.req.valid('query');
  const filtros = {
    status: q.status,
    rfc: q.rfc,
    curp: q.curp,
    numEmpleado: q.num_empleado,
    tipoNomina: q.tipo_nomina,
    fechaInicialPago: q.fecha_inicial_pago,
    fechaFinalPago: q.fecha_final_pago,
    periodoDesde: q.periodo_desde,
    periodoHasta: q.periodo_hasta,
  };
  const filas = await listarRecibosNomina(c.var.deps, tenantOf(c), filtros, q);
  return c.json(toPage(filas, q.limit, (r) => ({ ...vistaComprobante(r.factura), nomina: resumen(r.recibo) })), 200);
};

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) => {
  const detalle = await vistaDetalle(c.var.deps, tenantOf(c), c.req.valid('param').id, 'N');
  return c.json({ ...detalle, nomina: resumen(await cargarReciboNomina(c.var.deps, tenantOf(c), detalle.id)) }, 200);
};

export const validarHandler = handlerValidar(RECIBO_NOMINA);
export const xmlHandler = handlerXml('N');
export const pdfHandler = handlerPdf('N');
export const cancelarHandler = handlerCancelar('N');
