/**
 * The rules of the CFDI 4.0 matrix that a traslado (T) has of its own (CFDI40103, CFDI40109, CFDI40125, and
 * the catalog keys of its conceptos) and those the Carta Porte matrix puts on the CFDI that carries it
 * (CP102, CP103, CP105, CP107, CP111); the receptor's and emisor's are validar.ts's, shared by every kind.
 */
import * as cat from '../../catalogs';
import type { Emisor } from '../../comprobante';
import { positivo } from '../../decimal';
import { Problemas, validarEmisor, validarReceptor } from '../../validar';
import { validarCartaPorte } from '../../complementos/carta-porte';
import type { TrasladoParcial } from './modelo';

/** Every rule of a traslado over its input as far as it parsed. */
export function validarTraslado(t: TrasladoParcial, emisor: Emisor, fecha: string): Problemas {
  const p = new Problemas();
  validarEmisor(emisor, fecha, p.add);
  if (t.receptor) validarReceptor(t.receptor, emisor, fecha, p.add);
  const conCartaPorte = t.carta_porte !== undefined;
  if (t.forma_pago !== undefined) p.add('forma_pago', 'Un traslado no lleva forma de pago.', 'CFDI40103');
  if (t.metodo_pago !== undefined) p.add('metodo_pago', 'Un traslado no lleva método de pago.', 'CFDI40125');
  if (t.moneda !== undefined && t.moneda !== 'XXX') p.add('moneda', 'La moneda de un traslado es XXX.', conCartaPorte ? 'CP103' : 'HFX_MONEDA_TRASLADO');
  if (t.exportacion !== undefined && !cat.exportacion(t.exportacion, fecha)) p.add('exportacion', `${t.exportacion} no está en el catálogo c_Exportacion.`, 'CFDI40123');
  else if (t.exportacion === '02') p.add('exportacion', 'La exportación 02 requiere el complemento de comercio exterior, que no se admite.', 'CFDI40122');
  t.cfdi_relacionados?.forEach((rel, n) => {
    if (rel.tipo_relacion !== undefined && !cat.tipoRelacion(rel.tipo_relacion, fecha)) {
      p.add(`cfdi_relacionados[${n}].tipo_relacion`, `${rel.tipo_relacion} no está en el catálogo c_TipoRelacion.`, 'CFDI40137');
    }
  });
  if (conCartaPorte) {
    if (t.receptor?.rfc !== undefined && t.receptor.rfc !== emisor.rfc) {
      p.add('receptor.rfc', `En un traslado con Carta Porte el receptor es el propio emisor (${emisor.rfc}).`, 'CP107');
    }
    if (t.receptor?.uso_cfdi !== undefined && t.receptor.uso_cfdi !== 'S01') p.add('receptor.uso_cfdi', 'El uso de CFDI de un traslado es S01 (Sin efectos fiscales).', 'CP111');
  }
  t.conceptos?.forEach((c, i) => {
    const r = `conceptos[${i}]`;
    if (c.clave_prod_serv !== undefined && !cat.claveProdServ(c.clave_prod_serv, fecha)) {
      p.add(`${r}.clave_prod_serv`, `${c.clave_prod_serv} no es una clave vigente del catálogo c_ClaveProdServ.`, 'CFDI40162');
    }
    if (c.clave_unidad !== undefined && !cat.claveUnidad(c.clave_unidad, fecha)) p.add(`${r}.clave_unidad`, `${c.clave_unidad} no está en el catálogo c_ClaveUnidad.`, 'CFDI40165');
    if (c.cantidad !== undefined && !positivo(c.cantidad)) p.add(`${r}.cantidad`, 'La cantidad debe ser mayor que cero.', 'HFX_XSD');
    if (c.valor_unitario !== undefined && positivo(c.valor_unitario)) {
      p.add(`${r}.valor_unitario`, 'Un traslado no tiene precio: su SubTotal es 0.', conCartaPorte ? 'CP102' : 'CFDI40109');
    }
    // No Impuestos in a traslado (CFDI40201): its conceptos are not objeto de impuesto.
    if (c.objeto_imp !== undefined && c.objeto_imp !== '01') p.add(`${r}.objeto_imp`, 'Un traslado no causa impuestos: objeto_imp 01.', 'CFDI40201');
  });
  if (t.carta_porte) {
    validarCartaPorte(p, t.carta_porte, { tipo: 'T', fecha, emisor, clavesConceptos: (t.conceptos ?? []).map((c) => c.clave_prod_serv) });
  }
  return p;
}
