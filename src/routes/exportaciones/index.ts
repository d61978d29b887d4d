import { createRouter } from '../../lib/create-app';
import * as h from './exportaciones.handlers';
import * as routes from './exportaciones.routes';

export default createRouter().openapi(routes.crear, h.crearHandler).openapi(routes.obtener, h.obtenerHandler).openapi(routes.archivo, h.archivoHandler);
