import { createRouter } from '../../lib/create-app';
import { crearHandler, obtenerHandler, validarHandler } from './complementos-pago.handlers';
import * as routes from './complementos-pago.routes';

export default createRouter().openapi(routes.crear, crearHandler).openapi(routes.obtener, obtenerHandler)
  .openapi(routes.validar, validarHandler);
