import { DOMParser, type Element } from '@xmldom/xmldom';

/**
 * What the representación impresa shows, read from a stamped CFDI 4.0. Attribute maps keep the SAT's
 * own attribute names (Rfc, RegimenFiscal, TasaOCuota...) and values exactly as in the XML: the printed
 * document must say what the signed XML says, so nothing is recomputed or reformatted here.
 */

const NS_CFDI = 'http://www.sat.gob.mx/cfd/4';
const NS_TFD = 'http://www.sat.gob.mx/TimbreFiscalDigital';
const NS_PAGOS = 'http://www.sat.gob.mx/Pagos20';

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
  timbre: Atributos;
  pagos?: Pagos;
}

function atributos(el: Element | undefined): Atributos {
  const out: Record<string, string> = {};
  if (!el) return out;
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes.item(i);
    // Namespace declarations and xsi:schemaLocation are markup, not fiscal data.
    if (attr && !attr.namespaceURI) out[attr.localName ?? attr.name] = attr.value;
  }
  return out;
}

/** Attributes of an optional element: undefined when it is absent. */
function atributosSi(el: Element | undefined): Atributos | undefined {
  return el && atributos(el);
}

function hijos(el: Element | undefined, ns: string, nombre: string): Element[] {
  const out: Element[] = [];
  if (!el) return out;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    const e = n as Element;
    if (n.nodeType === 1 && e.namespaceURI === ns && e.localName === nombre) out.push(e);
  }
  return out;
}

function hijo(el: Element | undefined, ns: string, nombre: string): Element | undefined {
  return hijos(el, ns, nombre)[0];
}

/** Traslados/Retenciones under an Impuestos-like node; Pagos names them with a suffix (TrasladosDR, TrasladoP). */
function impuestosDe(el: Element | undefined, ns: string, sufijo = ''): ImpuestosNodo {
  const lista = (plural: string, singular: string) =>
    hijos(hijo(el, ns, plural + sufijo), ns, singular + sufijo).map(atributos);
  return { traslados: lista('Traslados', 'Traslado'), retenciones: lista('Retenciones', 'Retencion') };
}

function leerPagos(complemento: Element | undefined): Pagos | undefined {
  const nodo = hijo(complemento, NS_PAGOS, 'Pagos');
  if (!nodo) return undefined;
  return {
    totales: atributos(hijo(nodo, NS_PAGOS, 'Totales')),
    pagos: hijos(nodo, NS_PAGOS, 'Pago').map((p) => ({
      a: atributos(p),
      documentos: hijos(p, NS_PAGOS, 'DoctoRelacionado').map((d) => ({
        a: atributos(d),
        ...impuestosDe(hijo(d, NS_PAGOS, 'ImpuestosDR'), NS_PAGOS, 'DR'),
      })),
      ...impuestosDe(hijo(p, NS_PAGOS, 'ImpuestosP'), NS_PAGOS, 'P'),
    })),
  };
}

export function leerComprobante(xml: string): Comprobante {
  let raiz: Element | null;
  try {
    raiz = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  } catch (e) {
    throw new Error(`representación impresa: XML mal formado: ${(e as Error).message}`);
  }
  if (!raiz || raiz.namespaceURI !== NS_CFDI || raiz.localName !== 'Comprobante' || raiz.getAttribute('Version') !== '4.0') {
    throw new Error('representación impresa: el documento no es un CFDI 4.0');
  }
  const complemento = hijo(raiz, NS_CFDI, 'Complemento');
  const tfd = hijo(complemento, NS_TFD, 'TimbreFiscalDigital');
  if (!tfd) throw new Error('representación impresa: el CFDI no está timbrado (falta el TimbreFiscalDigital)');
  const impuestos = hijo(raiz, NS_CFDI, 'Impuestos');

  return {
    a: atributos(raiz),
    informacionGlobal: atributosSi(hijo(raiz, NS_CFDI, 'InformacionGlobal')),
    relacionados: hijos(raiz, NS_CFDI, 'CfdiRelacionados').map((r) => ({
      tipoRelacion: r.getAttribute('TipoRelacion') ?? '',
      uuids: hijos(r, NS_CFDI, 'CfdiRelacionado').map((c) => c.getAttribute('UUID') ?? ''),
    })),
    emisor: atributos(hijo(raiz, NS_CFDI, 'Emisor')),
    receptor: atributos(hijo(raiz, NS_CFDI, 'Receptor')),
    conceptos: hijos(hijo(raiz, NS_CFDI, 'Conceptos'), NS_CFDI, 'Concepto').map((c) => ({
      a: atributos(c),
      ...impuestosDe(hijo(c, NS_CFDI, 'Impuestos'), NS_CFDI),
      pedimentos: hijos(c, NS_CFDI, 'InformacionAduanera').map((i) => i.getAttribute('NumeroPedimento') ?? ''),
      cuentasPrediales: hijos(c, NS_CFDI, 'CuentaPredial').map((p) => p.getAttribute('Numero') ?? ''),
      aCuentaTerceros: atributosSi(hijo(c, NS_CFDI, 'ACuentaTerceros')),
    })),
    impuestos: impuestos && { a: atributos(impuestos), ...impuestosDe(impuestos, NS_CFDI) },
    timbre: atributos(tfd),
    pagos: leerPagos(complemento),
  };
}
