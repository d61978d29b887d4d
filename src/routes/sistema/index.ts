import { createRouter } from '../../lib/create-app';
import { healthHandler, meHandler } from './sistema.handlers';
import * as routes from './sistema.routes';

export default createRouter().openapi(routes.health, healthHandler).openapi(routes.me, meHandler);
