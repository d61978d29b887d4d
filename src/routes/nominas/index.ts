import { createRouter } from '../../lib/create-app';
import { crearHandler, listarHandler, obtenerHandler } from './nominas.handlers';
import * as routes from './nominas.routes';

export default createRouter().openapi(routes.crear, crearHandler).openapi(routes.listar, listarHandler).openapi(routes.obtener, obtenerHandler);
