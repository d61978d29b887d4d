import { createRouter } from '../../lib/create-app';
import { TRASLADO } from '../../services/traslados';
import { hookComprobante } from '../comprobantes.validar';
import * as h from './traslados.handlers';
import * as routes from './traslados.routes';

export default createRouter()
  .openapi(routes.crear, h.crearHandler, hookComprobante(TRASLADO, 'crear'))
  .openapi(routes.listar, h.listarHandler)
  .openapi(routes.validar, h.validarHandler, hookComprobante(TRASLADO, 'validar'))
  .openapi(routes.obtener, h.obtenerHandler)
  .openapi(routes.xml, h.xmlHandler)
  .openapi(routes.pdf, h.pdfHandler)
  .openapi(routes.cancelar, h.cancelarHandler);
