import { createRouter } from '../../lib/create-app';
import * as h from './factura-global.handlers';
import * as routes from './factura-global.routes';

export default createRouter().openapi(routes.crear, h.crearHandler);
