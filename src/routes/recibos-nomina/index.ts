import { createRouter } from '../../lib/create-app';
import { RECIBO_NOMINA } from '../../services/recibos-nomina';
import { hookComprobante } from '../comprobantes.validar';
import { cancelarHandler, crearHandler, listarHandler, obtenerHandler, pdfHandler, validarHandler, xmlHandler } from './recibos-nomina.handlers';
import * as routes from './recibos-nomina.routes';

// /recibos-nomina/validar before /recibos-nomina/{id}…: a literal segment is not an id.
export default createRouter()
  .openapi(routes.crear, crearHandler, hookComprobante(RECIBO_NOMINA, 'crear'))
  .openapi(routes.validar, validarHandler, hookComprobante(RECIBO_NOMINA, 'validar'))
  .openapi(routes.listar, listarHandler)
  .openapi(routes.obtener, obtenerHandler)
  .openapi(routes.xml, xmlHandler)
  .openapi(routes.pdf, pdfHandler)
  .openapi(routes.cancelar, cancelarHandler);
