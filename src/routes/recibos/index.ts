import { createRouter } from '../../lib/create-app';
import * as h from './recibos.handlers';
import * as routes from './recibos.routes';

// /recibos/configuracion before /recibos/{id}: 'configuracion' is not a recibo's id
export default createRouter()
  .openapi(routes.obtenerConfiguracion, h.obtenerConfiguracionHandler)
  .openapi(routes.configurar, h.configurarHandler)
  .openapi(routes.crear, h.crearHandler)
  .openapi(routes.listar, h.listarHandler)
  .openapi(routes.obtener, h.obtenerHandler)
  .openapi(routes.qrPng, h.qrPngHandler)
  .openapi(routes.qrSvg, h.qrSvgHandler)
  .openapi(routes.eliminar, h.cancelarHandler)
  .openapi(routes.cancelar, h.cancelarHandler)
  .openapi(routes.facturar, h.facturarHandler);
