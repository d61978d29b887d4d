import { createRouter } from '../../lib/create-app';
import { crearHandler, obtenerHandler, validarHandler } from './notas-credito.handlers';
import * as routes from './notas-credito.routes';

export default createRouter().openapi(routes.crear, crearHandler).openapi(routes.obtener, obtenerHandler)
  .openapi(routes.validar, validarHandler);
