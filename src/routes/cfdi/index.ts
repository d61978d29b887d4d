import { createRouter } from '../../lib/create-app';
import * as h from './cfdi.handlers';
import * as routes from './cfdi.routes';

export default createRouter().openapi(routes.verificar, h.verificarHandler);
