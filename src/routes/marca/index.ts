import { createRouter } from '../../lib/create-app';
import * as h from './marca.handlers';
import * as routes from './marca.routes';

export default createRouter()
  .openapi(routes.obtener, h.obtenerHandler)
  .openapi(routes.actualizar, h.actualizarHandler)
  .openapi(routes.subirLogo, h.subirLogoHandler)
  .openapi(routes.quitarLogo, h.quitarLogoHandler)
  .openapi(routes.vistaPrevia, h.vistaPreviaHandler);
