import { createRouter } from '../../lib/create-app';
import { crearHandler, estadoSatHandler, sustituirHandler, validarHandler, listarHandler, obtenerHandler, pdfHandler, xmlHandler } from './facturas.handlers';
import * as routes from './facturas.routes';

export default createRouter()
  .openapi(routes.crear, crearHandler)
  .openapi(routes.listar, listarHandler)
  .openapi(routes.obtener, obtenerHandler)
  .openapi(routes.xml, xmlHandler)
  .openapi(routes.pdf, pdfHandler)
  .openapi(routes.estadoSat, estadoSatHandler)
  .openapi(routes.sustituir, sustituirHandler)
  .openapi(routes.validar, validarHandler);
