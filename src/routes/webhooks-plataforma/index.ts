import { createRouter } from '../../lib/create-app';
import * as h from './webhooks-plataforma.handlers';
import * as routes from './webhooks-plataforma.routes';

export default createRouter()
  .openapi(routes.listar, h.listarHandler)
  .openapi(routes.crear, h.crearHandler)
  .openapi(routes.obtener, h.obtenerHandler)
  .openapi(routes.actualizar, h.actualizarHandler)
  .openapi(routes.eliminar, h.eliminarHandler)
  .openapi(routes.rotarSecreto, h.rotarSecretoHandler)
  .openapi(routes.listarEntregas, h.listarEntregasHandler)
  .openapi(routes.reenviarEntrega, h.reenviarEntregaHandler)
  .openapi(routes.enviarPrueba, h.enviarPruebaHandler);
