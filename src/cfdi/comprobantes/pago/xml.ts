// The pago20:Pagos complement: every node's attributes in Pagos20.xsd order, as data. Model fields are
// the attribute names camelCased (FechaPago → fechaPago), so one list names both.
import type { Complemento } from '../../comprobante';
import { NS, ubicacionEsquema } from '../../namespaces';
import { el, type XmlElement, type XmlNode } from '../../xml';
import type { DoctoRelacionado, Pago, Pagos } from './modelo';

type Campos = readonly (readonly [atributo: string, campo: string])[];
const campos = (spec: string): Campos => spec.split(' ').map((a) => [a, a[0].toLowerCase() + a.slice(1)] as const);

const TOTALES = campos(
  'TotalRetencionesIVA TotalRetencionesISR TotalRetencionesIEPS TotalTrasladosBaseIVA16 TotalTrasladosImpuestoIVA16 ' +
    'TotalTrasladosBaseIVA8 TotalTrasladosImpuestoIVA8 TotalTrasladosBaseIVA0 TotalTrasladosImpuestoIVA0 TotalTrasladosBaseIVAExento MontoTotalPagos',
);
const PAGO = campos('FechaPago FormaDePagoP MonedaP TipoCambioP Monto NumOperacion RfcEmisorCtaOrd NomBancoOrdExt CtaOrdenante RfcEmisorCtaBen CtaBeneficiario');
const DOCTO = campos('IdDocumento Serie Folio MonedaDR EquivalenciaDR NumParcialidad ImpSaldoAnt ImpPagado ImpSaldoInsoluto ObjetoImpDR');
const IMPUESTO_DR = campos('BaseDR ImpuestoDR TipoFactorDR TasaOCuotaDR ImporteDR');
const TRASLADO_P = campos('BaseP ImpuestoP TipoFactorP TasaOCuotaP ImporteP');
const RETENCION_P = campos('ImpuestoP ImporteP');

function nodo(nombre: string, datos: object, lista: Campos, hijos?: (XmlNode | undefined | false)[]): XmlElement {
  const valores = datos as Record<string, string | undefined>;
  const attrs: Record<string, string | undefined> = {};
  for (const [atributo, campo] of lista) attrs[atributo] = valores[campo];
  return el(`pago20:${nombre}`, attrs, hijos);
}

/** Retenciones before Traslados, each group only when it has lines, under ImpuestosDR or ImpuestosP. */
function impuestos(
  sufijo: 'DR' | 'P',
  retenciones: readonly object[],
  traslados: readonly object[],
  listas: { retencion: Campos; traslado: Campos },
): XmlElement {
  return el(`pago20:Impuestos${sufijo}`, {}, [
    retenciones.length > 0 && el(`pago20:Retenciones${sufijo}`, {}, retenciones.map((r) => nodo(`Retencion${sufijo}`, r, listas.retencion))),
    traslados.length > 0 && el(`pago20:Traslados${sufijo}`, {}, traslados.map((t) => nodo(`Traslado${sufijo}`, t, listas.traslado))),
  ]);
}

const doctoXml = (d: DoctoRelacionado) =>
  nodo('DoctoRelacionado', d, DOCTO, [
    d.impuestosDR && impuestos('DR', d.impuestosDR.retencionesDR, d.impuestosDR.trasladosDR, { retencion: IMPUESTO_DR, traslado: IMPUESTO_DR }),
  ]);

const pagoXml = (p: Pago) =>
  nodo('Pago', p, PAGO, [
    ...p.doctoRelacionado.map(doctoXml),
    p.impuestosP && impuestos('P', p.impuestosP.retencionesP, p.impuestosP.trasladosP, { retencion: RETENCION_P, traslado: TRASLADO_P }),
  ]);

/** The pago20:Pagos element. */
export function pagosXml(pagos: Pagos): XmlElement {
  return el('pago20:Pagos', { Version: pagos.version }, [nodo('Totales', pagos.totales, TOTALES), ...pagos.pago.map(pagoXml)]);
}

/** The complement as the Comprobante carries it: its node, namespace and schema location. */
export function complementoPagos(pagos: Pagos): Complemento {
  return { nodo: pagosXml(pagos), namespaces: { pago20: NS.pago20 }, schemaLocation: [ubicacionEsquema('pago20')] };
}
