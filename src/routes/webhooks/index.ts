import { createRouter } from '../../lib/create-app';
import * as h from './webhooks.handlers';
import * as routes from './webhooks.routes';

export default createRouter()
  .openapi(routes.list, h.listHandler)
  .openapi(routes.create, h.createHandler)
  .openapi(routes.get, h.getHandler)
  .openapi(routes.update, h.updateHandler)
  .openapi(routes.remove, h.removeHandler)
  .openapi(routes.rotate, h.rotateHandler)
  .openapi(routes.listEntregas, h.listEntregasHandler)
  .openapi(routes.resend, h.resendHandler)
  .openapi(routes.test, h.testHandler);
