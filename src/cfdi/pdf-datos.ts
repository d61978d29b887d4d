/**
 * What the representación impresa shows, read from a stamped CFDI 4.0. Attribute maps keep the SAT's
 * own attribute names (Rfc, RegimenFiscal, TasaOCuota...) and values exactly as in the XML: the printed
 * document must say what the signed XML says, so nothing is recomputed or reformatted here.
 */

import { arbolDe, attr, child, children, type XmlElement, type XmlEntrada } from './dom';
import { NS } from './namespaces';

export type Atributos = Readonly<Record<string, string>>;

export interface ImpuestosNodo {
  traslados: Atributos[];
  retenciones: Atributos[];
}

export interface Concepto extends ImpuestosNodo {
  a: Atributos;
  /** NumeroPedimento of each InformacionAduanera, Numero of each CuentaPredial */
  pedimentos: string[];
  cuentasPrediales: string[];
  aCuentaTerceros?: Atributos;
}

export interface DoctoRelacionado extends ImpuestosNodo {
  a: Atributos;
}

export interface Pago extends ImpuestosNodo {
  a: Atributos;
  documentos: DoctoRelacionado[];
}

export interface Pagos {
  totales: Atributos;
  pagos: Pago[];
}

export interface Comprobante {
  a: Atributos;
  informacionGlobal?: Atributos;
  relacionados: Array<{ tipoRelacion: string; uuids: string[] }>;
  emisor: Atributos;
  receptor: Atributos;
  conceptos: Concepto[];
  impuestos?: { a: Atributos } & ImpuestosNodo;
  /** absent only when the caller allowed an unstamped document (a draft, a preview) */
  timbre?: Atributos;
  pagos?: Pagos;
}

function atributos(el: XmlElement | undefined): Atributos {
  const out: Record<string, string> = {};
  // Namespace declarations and xsi:schemaLocation are markup, not fiscal data.
  if (el) for (const a of el.attrs) if (a.ns === '') out[a.local] = a.value;
  return out;
}

/** Attributes of an optional element: undefined when it is absent. */
function atributosSi(el: XmlElement | undefined): Atributos | undefined {
  return el && atributos(el);
}

const hijos = (el: XmlElement | undefined, ns: string, nombre: string): XmlElement[] => (el ? children(el, ns, nombre) : []);
const hijo = (el: XmlElement | undefined, ns: string, nombre: string): XmlElement | undefined => el && child(el, ns, nombre);

/** Traslados/Retenciones under an Impuestos-like node; Pagos names them with a suffix (TrasladosDR, TrasladoP). */
function impuestosDe(el: XmlElement | undefined, ns: string, sufijo = ''): ImpuestosNodo {
  const lista = (plural: string, singular: string) =>
    hijos(hijo(el, ns, plural + sufijo), ns, singular + sufijo).map(atributos);
  return { traslados: lista('Traslados', 'Traslado'), retenciones: lista('Retenciones', 'Retencion') };
}

function leerPagos(complemento: XmlElement | undefined): Pagos | undefined {
  const nodo = hijo(complemento, NS.pago20, 'Pagos');
  if (!nodo) return undefined;
  return {
    totales: atributos(hijo(nodo, NS.pago20, 'Totales')),
    pagos: hijos(nodo, NS.pago20, 'Pago').map((p) => ({
      a: atributos(p),
      documentos: hijos(p, NS.pago20, 'DoctoRelacionado').map((d) => ({
        a: atributos(d),
        ...impuestosDe(hijo(d, NS.pago20, 'ImpuestosDR'), NS.pago20, 'DR'),
      })),
      ...impuestosDe(hijo(p, NS.pago20, 'ImpuestosP'), NS.pago20, 'P'),
    })),
  };
}

/** The tree of the CFDI to print (given or parsed here); malformed XML is the printing's error. */
export function arbolImpreso(xml: XmlEntrada): XmlElement {
  try {
    return arbolDe(xml);
  } catch (e) {
    throw new Error(`representación impresa: XML mal formado: ${(e as Error).message}`);
  }
}

export function leerComprobante(xml: XmlEntrada, opts: { sinTimbre?: boolean } = {}): Comprobante {
  const raiz = arbolImpreso(xml);
  if (raiz.ns !== NS.cfdi || raiz.local !== 'Comprobante' || attr(raiz, 'Version') !== '4.0') {
    throw new Error('representación impresa: el documento no es un CFDI 4.0');
  }
  const complemento = hijo(raiz, NS.cfdi, 'Complemento');
  const tfd = hijo(complemento, NS.tfd, 'TimbreFiscalDigital');
  if (!tfd && !opts.sinTimbre) throw new Error('representación impresa: el CFDI no está timbrado (falta el TimbreFiscalDigital)');
  const impuestos = hijo(raiz, NS.cfdi, 'Impuestos');

  return {
    a: atributos(raiz),
    informacionGlobal: atributosSi(hijo(raiz, NS.cfdi, 'InformacionGlobal')),
    relacionados: hijos(raiz, NS.cfdi, 'CfdiRelacionados').map((r) => ({
      tipoRelacion: attr(r, 'TipoRelacion') ?? '',
      uuids: hijos(r, NS.cfdi, 'CfdiRelacionado').map((c) => attr(c, 'UUID') ?? ''),
    })),
    emisor: atributos(hijo(raiz, NS.cfdi, 'Emisor')),
    receptor: atributos(hijo(raiz, NS.cfdi, 'Receptor')),
    conceptos: hijos(hijo(raiz, NS.cfdi, 'Conceptos'), NS.cfdi, 'Concepto').map((c) => ({
      a: atributos(c),
      ...impuestosDe(hijo(c, NS.cfdi, 'Impuestos'), NS.cfdi),
      pedimentos: hijos(c, NS.cfdi, 'InformacionAduanera').map((i) => attr(i, 'NumeroPedimento') ?? ''),
      cuentasPrediales: hijos(c, NS.cfdi, 'CuentaPredial').map((p) => attr(p, 'Numero') ?? ''),
      aCuentaTerceros: atributosSi(hijo(c, NS.cfdi, 'ACuentaTerceros')),
    })),
    impuestos: impuestos && { a: atributos(impuestos), ...impuestosDe(impuestos, NS.cfdi) },
    timbre: atributosSi(tfd),
    pagos: leerPagos(complemento),
  };
}
