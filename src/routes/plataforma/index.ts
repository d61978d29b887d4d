import { createRouter } from '../../lib/create-app';
import * as h from './plataforma.handlers';
import * as routes from './plataforma.routes';

export default createRouter()
  .openapi(routes.crear, h.crearHandler)
  .openapi(routes.listar, h.listarHandler)
  .openapi(routes.obtener, h.obtenerHandler)
  .openapi(routes.actualizar, h.actualizarHandler)
  .openapi(routes.suspender, h.suspenderHandler)
  .openapi(routes.reactivar, h.reactivarHandler)
  .openapi(routes.subirCsd, h.subirCsdHandler)
  .openapi(routes.crearApiKey, h.crearApiKeyHandler)
  .openapi(routes.listarApiKeys, h.listarApiKeysHandler)
  .openapi(routes.revocarApiKey, h.revocarApiKeyHandler)
  .openapi(routes.fijarFolio, h.fijarFolioHandler);
