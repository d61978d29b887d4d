import { createRouter } from '../../lib/create-app';
import { certificadoSandboxHandler, healthHandler, meHandler } from './sistema.handlers';
import * as routes from './sistema.routes';

export default createRouter().openapi(routes.health, healthHandler).openapi(routes.me, meHandler)
  .openapi(routes.certificadoSandbox, certificadoSandboxHandler);
