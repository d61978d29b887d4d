import { createRouter } from '../../lib/create-app';
import { actualizarHandler, crearHandler, obtenerHandler, timbrarHandler, validarHandler } from './notas-credito.handlers';
import { NOTA_CREDITO } from '../../services/notas-credito';
import { hookComprobante } from '../comprobantes.validar';
import * as routes from './notas-credito.routes';

export default createRouter()
  .openapi(routes.crear, crearHandler, hookComprobante(NOTA_CREDITO, 'crear'))
  .openapi(routes.obtener, obtenerHandler)
  .openapi(routes.validar, validarHandler, hookComprobante(NOTA_CREDITO, 'validar'))
  .openapi(routes.actualizar, actualizarHandler)
  .openapi(routes.timbrar, timbrarHandler);
