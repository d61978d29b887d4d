import { createRouter } from '../../lib/create-app';
import { acuseHandler, cancelarHandler } from './cancelaciones.handlers';
import * as routes from './cancelaciones.routes';

export default createRouter().openapi(routes.cancelar, cancelarHandler).openapi(routes.acuse, acuseHandler);
