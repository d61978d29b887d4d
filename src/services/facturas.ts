import { prepararComprobante } from '../cfdi';
import type { Deps } from '../deps';
import type { Tenant } from '../lib/tenancy';
import { aceptar, type OpcionesAceptar, type Solicitud, type TipoEmision } from './emision';

// Facturas (CFDI de ingreso, tipo I): the fiscal core's rules and arithmetic are all there is to it.

export const FACTURA: TipoEmision = {
  tipo: 'I',
  operacion: 'facturas.crear',
  seriePorOmision: 'F',
  preparar: async (deps, _t, datos, emisor) => prepararComprobante(datos, emisor, { tipo: 'I', ahora: deps.clock() }),
};

export const aceptarFactura = (deps: Deps, t: Tenant, solicitud: Solicitud, opts?: OpcionesAceptar) => aceptar(deps, t, FACTURA, solicitud, opts);
