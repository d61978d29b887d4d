import { createRouter } from '../../lib/create-app';
import {
  actualizarHandler,
  crearHandler,
  descartarHandler,
  estadoSatHandler,
  listarHandler,
  obtenerHandler,
  pdfHandler,
  sustituirHandler,
  timbrarHandler,
  validarHandler,
  xmlHandler,
} from './facturas.handlers';
import { FACTURA } from '../../services/facturas';
import { hookComprobante } from '../comprobantes.validar';
import * as routes from './facturas.routes';

export default createRouter()
  .openapi(routes.crear, crearHandler, hookComprobante(FACTURA, 'crear'))
  .openapi(routes.listar, listarHandler)
  .openapi(routes.obtener, obtenerHandler)
  .openapi(routes.xml, xmlHandler)
  .openapi(routes.pdf, pdfHandler)
  .openapi(routes.estadoSat, estadoSatHandler)
  .openapi(routes.sustituir, sustituirHandler, hookComprobante(FACTURA, 'crear'))
  .openapi(routes.validar, validarHandler, hookComprobante(FACTURA, 'validar'))
  .openapi(routes.actualizar, actualizarHandler)
  .openapi(routes.timbrar, timbrarHandler)
  .openapi(routes.descartar, descartarHandler);
