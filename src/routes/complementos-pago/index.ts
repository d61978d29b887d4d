import { createRouter } from '../../lib/create-app';
import { crearHandler, obtenerHandler, validarHandler } from './complementos-pago.handlers';
import { COMPLEMENTO_PAGO } from '../../services/complementos-pago';
import { hookComprobante } from '../comprobantes.validar';
import * as routes from './complementos-pago.routes';

export default createRouter()
  .openapi(routes.crear, crearHandler, hookComprobante(COMPLEMENTO_PAGO, 'crear'))
  .openapi(routes.obtener, obtenerHandler)
  .openapi(routes.validar, validarHandler, hookComprobante(COMPLEMENTO_PAGO, 'validar'));
