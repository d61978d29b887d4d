import { createRouter } from '../../lib/create-app';
import * as h from './clientes.handlers';
import * as routes from './clientes.routes';

export default createRouter()
  .openapi(routes.listar, h.listarHandler)
  .openapi(routes.crear, h.crearHandler)
  .openapi(routes.obtener, h.obtenerHandler)
  .openapi(routes.actualizar, h.actualizarHandler)
  .openapi(routes.eliminar, h.eliminarHandler);
