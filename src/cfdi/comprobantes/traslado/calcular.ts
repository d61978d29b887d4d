/**
 * The arithmetic of a traslado is that there is none: every Importe, the SubTotal and the Total are 0
 * (CFDI40109, CP102, CP105), and Moneda is XXX (CP103); what a Carta Porte computes is its own calcular.ts's.
 */
import type { Concepto } from '../../comprobante';
import { dec } from '../../decimal';
import type { TrasladoEntrada } from './modelo';

export function conceptosDeTraslado(conceptos: TrasladoEntrada['conceptos']): Concepto[] {
  return conceptos.map((c) => ({
    claveProdServ: c.clave_prod_serv,
    noIdentificacion: c.no_identificacion,
    cantidad: dec(c.cantidad).toFixed(),
    claveUnidad: c.clave_unidad,
    unidad: c.unidad,
    descripcion: c.descripcion,
    valorUnitario: '0',
    importe: '0',
    objetoImp: '01',
  }));
}
