import { prepararComprobante } from '../cfdi';
import type { Deps } from '../deps';
import type { Tenant } from '../lib/tenancy';
import { aceptar, type OpcionesAceptar, type Solicitud, type TipoEmision } from './emision';
import { conCartaPorte } from './traslados';

// Facturas (CFDI de ingreso, tipo I): the fiscal core's rules and arithmetic, and a freight invoice's IdCCP kept in its request.

export const FACTURA: TipoEmision = {
  tipo: 'I',
  operacion: 'facturas.crear',
  seriePorOmision: 'F',
  preparar: async (deps, _t, datos, emisor) => conCartaPorte(datos, (d) => prepararComprobante(d, emisor, { tipo: 'I', ahora: deps.clock() })),
};

export const aceptarFactura = (deps: Deps, t: Tenant, solicitud: Solicitud, opts?: OpcionesAceptar) => aceptar(deps, t, FACTURA, solicitud, opts);
