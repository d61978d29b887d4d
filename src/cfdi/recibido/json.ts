/**
 * A CFDI 4.0 as JSON, in the vocabulary of HexaFac's own API: attribute names in snake_case
 * (ValorUnitario → valor_unitario), wrapper nodes as arrays (Conceptos/Concepto → conceptos[]), and the
 * renames the API uses (DomicilioFiscalReceptor → domicilio_fiscal, IdDocumento → uuid, …). That holds for
 * the nodes HexaFac models (cfdi, Pagos 2.0, TimbreFiscalDigital); any other node (another complemento, an
 * addenda) is carried generically: its qualified name, namespace, attributes as written, children and text.
 * Values stay strings, as written: money is never turned into a number.
 */
import type { XmlElement } from '../dom';
import { NS } from '../namespaces';

export type Json = string | Json[] | { [k: string]: Json };

// a type, not an interface, so that it is a Json value as it is
export type NodoGenerico = {
  nodo: string;
  espacio: string;
  atributos: Record<string, string>;
  hijos: (NodoGenerico | string)[];
};

/** How a modeled node reads: attribute renames, and its children (key, whether it repeats, a wrapper's item). */
interface Modelo {
  atributos?: Record<string, string>;
  hijos?: Record<string, { clave: string; lista?: boolean; de?: string }>;
  /** a node with only one value: CfdiRelacionado → its UUID */
  valor?: string;
}

const lista = (clave: string, de?: string) => ({ clave, lista: true, de });
const uno = (clave: string) => ({ clave });
const IMPUESTOS = { Traslados: lista('traslados', 'Traslado'), Retenciones: lista('retenciones', 'Retencion') };

const CFDI: Record<string, Modelo> = {
  Comprobante: {
    atributos: { SubTotal: 'subtotal', TipoDeComprobante: 'tipo_de_comprobante' },
    hijos: {
      InformacionGlobal: uno('informacion_global'),
      CfdiRelacionados: lista('cfdi_relacionados'),
      Emisor: uno('emisor'),
      Receptor: uno('receptor'),
      Conceptos: lista('conceptos', 'Concepto'),
      Impuestos: uno('impuestos'),
      Complemento: uno('complemento'),
      Addenda: uno('addenda'),
    },
  },
  InformacionGlobal: { atributos: { Año: 'anio' } },
  CfdiRelacionados: { hijos: { CfdiRelacionado: lista('uuids') } },
  CfdiRelacionado: { valor: 'UUID' },
  Receptor: { atributos: { DomicilioFiscalReceptor: 'domicilio_fiscal', RegimenFiscalReceptor: 'regimen_fiscal' } },
  Concepto: {
    hijos: {
      Impuestos: uno('impuestos'),
      ACuentaTerceros: uno('a_cuenta_terceros'),
      InformacionAduanera: lista('informacion_aduanera'),
      CuentaPredial: lista('cuenta_predial'),
      ComplementoConcepto: uno('complemento_concepto'),
      Parte: lista('partes'),
    },
  },
  Parte: { hijos: { InformacionAduanera: lista('informacion_aduanera') } },
  Impuestos: { hijos: IMPUESTOS },
  // their children are complementos: the modeled ones by name (pagos, timbre_fiscal_digital), the rest in `otros`
  Complemento: {},
  ComplementoConcepto: {},
  Addenda: {},
};

const PAGO20: Record<string, Modelo> = {
  Pagos: { hijos: { Totales: uno('totales'), Pago: lista('pagos') } },
  Pago: {
    atributos: { FormaDePagoP: 'forma_pago', MonedaP: 'moneda', TipoCambioP: 'tipo_cambio' },
    hijos: { DoctoRelacionado: lista('documentos'), ImpuestosP: uno('impuestos') },
  },
  DoctoRelacionado: {
    atributos: { IdDocumento: 'uuid', MonedaDR: 'moneda', EquivalenciaDR: 'equivalencia', ObjetoImpDR: 'objeto_imp' },
    hijos: { ImpuestosDR: uno('impuestos') },
  },
  ImpuestosDR: { hijos: { TrasladosDR: lista('traslados', 'TrasladoDR'), RetencionesDR: lista('retenciones', 'RetencionDR') } },
  ImpuestosP: { hijos: { TrasladosP: lista('traslados', 'TrasladoP'), RetencionesP: lista('retenciones', 'RetencionP') } },
  // the DR/P suffixes say where the node stands; inside it the API drops them (BaseDR → base)
  TrasladoDR: { atributos: sinSufijo('DR', 'BaseDR ImpuestoDR TipoFactorDR TasaOCuotaDR ImporteDR') },
  RetencionDR: { atributos: sinSufijo('DR', 'BaseDR ImpuestoDR TipoFactorDR TasaOCuotaDR ImporteDR') },
  TrasladoP: { atributos: sinSufijo('P', 'BaseP ImpuestoP TipoFactorP TasaOCuotaP ImporteP') },
  RetencionP: { atributos: sinSufijo('P', 'ImpuestoP ImporteP') },
};

const TFD: Record<string, Modelo> = { TimbreFiscalDigital: { atributos: { UUID: 'uuid', RfcProvCertif: 'rfc_prov_certif' } } };

const MODELOS: Record<string, Record<string, Modelo>> = { [NS.cfdi]: CFDI, [NS.pago20]: PAGO20, [NS.tfd]: TFD };

function sinSufijo(sufijo: string, nombres: string): Record<string, string> {
  return Object.fromEntries(nombres.split(' ').map((n) => [n, snake(n.slice(0, -sufijo.length))]));
}

/** SAT attribute name → snake_case: runs of capitals stay one word (RFC → rfc, NumRegIdTrib → num_reg_id_trib). */
export function snake(nombre: string): string {
  return nombre
    .replace(/([a-zá-úñ0-9])([A-ZÁ-ÚÑ])/g, '$1_$2')
    .replace(/([A-ZÁ-ÚÑ]+)([A-ZÁ-ÚÑ][a-zá-úñ])/g, '$1_$2')
    .toLowerCase();
}

/** A node HexaFac does not model, as it is. */
export function generico(el: XmlElement): NodoGenerico {
  const atributos: Record<string, string> = {};
  for (const a of el.attrs) if (a.ns !== NS.xmlns) atributos[a.qname] = a.value;
  const hijos: (NodoGenerico | string)[] = [];
  for (const c of el.children) {
    if (typeof c !== 'string') hijos.push(generico(c));
    else if (/[^ \t\r\n]/.test(c)) hijos.push(c);
  }
  return { nodo: el.qname, espacio: el.ns, atributos, hijos };
}

/** The JSON of a node: modeled if HexaFac models its namespace and name, else generic. */
export function cfdiJson(el: XmlElement): Json {
  // in a modeled namespace, a node without an entry (Traslado, Emisor, Totales…) is attributes only
  const modelo = MODELOS[el.ns] ? (MODELOS[el.ns][el.local] ?? {}) : undefined;
  if (!modelo) return generico(el);
  if (modelo.valor) return el.attrs.find((a) => a.local === modelo.valor && a.ns === '')?.value ?? '';
  const out: Record<string, Json> = {};
  for (const a of el.attrs) {
    // schemaLocation and namespace declarations say how the XML was written, not what it says
    if (a.ns !== '') continue;
    out[modelo.atributos?.[a.local] ?? snake(a.local)] = a.value;
  }
  const hijos = modelo.hijos ?? {};
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    const h = c.ns === el.ns ? hijos[c.local] : undefined;
    if (!h && MODELOS[c.ns]?.[c.local] && c.ns !== el.ns) {
      out[snake(c.local)] = cfdiJson(c);
      continue;
    }
    if (!h) {
      // a node its schema does not put here (XSD errors report it): kept, generically
      ((out.otros ??= []) as Json[]).push(generico(c));
      continue;
    }
    if (!h.lista) {
      out[h.clave] = cfdiJson(c);
      continue;
    }
    const arr = (out[h.clave] ??= []) as Json[];
    if (h.de) {
      for (const item of c.children) if (typeof item !== 'string') arr.push(item.local === h.de && item.ns === c.ns ? cfdiJson(item) : generico(item));
    } else arr.push(cfdiJson(c));
  }
  return out;
}
