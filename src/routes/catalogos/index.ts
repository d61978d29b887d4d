import { createRouter } from '../../lib/create-app';
import * as h from './catalogos.handlers';
import * as routes from './catalogos.routes';

// The fixed paths before /catalogos/{nombre}, which would match them too.
export default createRouter()
  .openapi(routes.productosServicios, h.productosServiciosHandler)
  .openapi(routes.clavesUnidad, h.clavesUnidadHandler)
  .openapi(routes.codigoPostal, h.codigoPostalHandler)
  .openapi(routes.catalogoCartaPorte, h.catalogoCartaPorteHandler)
  .openapi(routes.catalogo, h.catalogoHandler);
