import { createRouter } from '../../lib/create-app';
import * as h from './cancelaciones-recibidas.handlers';
import * as routes from './cancelaciones-recibidas.routes';

export default createRouter()
  .openapi(routes.listar, h.listarHandler)
  .openapi(routes.obtener, h.obtenerHandler)
  .openapi(routes.acuse, h.acuseHandler)
  .openapi(routes.aceptar, h.aceptarHandler)
  .openapi(routes.rechazar, h.rechazarHandler)
  .openapi(routes.crearRecibidaPrueba, h.crearRecibidaPruebaHandler);
