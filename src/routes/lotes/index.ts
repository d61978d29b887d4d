import { createRouter } from '../../lib/create-app';
import { crearHandler, listarHandler, obtenerHandler } from './lotes.handlers';
import * as routes from './lotes.routes';

export default createRouter().openapi(routes.crear, crearHandler).openapi(routes.listar, listarHandler).openapi(routes.obtener, obtenerHandler);
