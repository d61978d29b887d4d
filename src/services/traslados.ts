import { conIdCcp, prepararTraslado, type Preparacion } from '../cfdi';
import type { Deps } from '../deps';
import type { Tenant } from '../lib/tenancy';
import { aceptar, type OpcionesAceptar, type Preparado, type Solicitud, type TipoEmision } from './emision';

// Traslados (CFDI tipo T, usually with the complemento Carta Porte 3.1): the fiscal core's rules and arithmetic,
// plus the IdCCP fixed in the stored request (see conIdCcp).

/**
 * A kind's preparation of a request that may carry `carta_porte` (a T, or an I that charges the freight): the
 * IdCCP is generated here, once, and kept in `datos`, the request the stamping job rebuilds the CFDI from, so
 * every attempt (and a redelivered job) stamps the same IdCCP.
 */
export function conCartaPorte(datos: Record<string, unknown>, preparar: (datos: Record<string, unknown>) => Preparacion): Preparado {
  const completos = conIdCcp(datos);
  const prep = preparar(completos);
  return prep.ok ? { ...prep, datos: completos } : prep;
}

export const TRASLADO: TipoEmision = {
  tipo: 'T',
  operacion: 'traslados.crear',
  seriePorOmision: 'T',
  preparar: async (deps, _t, datos, emisor) => conCartaPorte(datos, (d) => prepararTraslado(d, emisor, { ahora: deps.clock() })),
};

export const aceptarTraslado = (deps: Deps, t: Tenant, solicitud: Solicitud, opts?: OpcionesAceptar) => aceptar(deps, t, TRASLADO, solicitud, opts);
