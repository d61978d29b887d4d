/**
 * The validated, computed CFDI 4.0 every kind of comprobante produces and the XML writer serialises
 * (emision.ts), and the issuer it is made for.
 *
 * Money is kept as decimal strings already formatted exactly as they go into the XML (computed with
 * decimal.js, rounded as the SAT requires), so the model is plain JSON: it can be stored, compared and
 * serialised without any float ever appearing.
 */
import type { XmlElement } from './xml';

/** The issuer, as configured for the client application. */
export interface Emisor {
  rfc: string;
  nombre: string;
  regimenFiscal: string;
  /** c_CodigoPostal of the place of issue (LugarExpedicion). */
  lugarExpedicion: string;
}

export type TipoDeComprobante = 'I' | 'E' | 'T' | 'N' | 'P';
export type TipoFactor = 'Tasa' | 'Cuota' | 'Exento';

/** Traslado or Retencion of a Concepto. Exento traslados carry neither tasaOCuota nor importe. */
export interface ImpuestoConcepto {
  base: string;
  impuesto: string;
  tipoFactor: TipoFactor;
  tasaOCuota?: string;
  importe?: string;
}

export interface Concepto {
  claveProdServ: string;
  noIdentificacion?: string;
  cantidad: string;
  claveUnidad: string;
  unidad?: string;
  descripcion: string;
  valorUnitario: string;
  importe: string;
  descuento?: string;
  objetoImp: string;
  impuestos?: { traslados: ImpuestoConcepto[]; retenciones: ImpuestoConcepto[] };
}

/** Comprobante-level Traslado: grouped by impuesto + tipoFactor + tasaOCuota. */
export interface TrasladoComprobante {
  base: string;
  impuesto: string;
  tipoFactor: TipoFactor;
  tasaOCuota?: string;
  importe?: string;
}

/** Comprobante-level Retencion: grouped by impuesto. */
export interface RetencionComprobante {
  impuesto: string;
  importe: string;
}

export interface ImpuestosComprobante {
  totalImpuestosRetenidos?: string;
  totalImpuestosTrasladados?: string;
  retenciones: RetencionComprobante[];
  traslados: TrasladoComprobante[];
}

/** A complemento built elsewhere (e.g. Pagos 2.0), placed inside cfdi:Complemento. */
export interface Complemento {
  nodo: XmlElement;
  /** prefix → namespace URI, declared on cfdi:Comprobante. */
  namespaces: Record<string, string>;
  /** Pairs "namespace-uri xsd-url" appended to xsi:schemaLocation. */
  schemaLocation: string[];
}

/**
 * The validated, computed CFDI 4.0 (attributes named as in Anexo 20, camelCased). Every amount is a
 * decimal string formatted as it goes in the XML; Sello, NoCertificado and Certificado are added when
 * sealing.
 */
export interface Comprobante {
  version: '4.0';
  serie?: string;
  folio?: string;
  /** Local time at LugarExpedicion, `YYYY-MM-DDTHH:mm:ss`. */
  fecha: string;
  formaPago?: string;
  condicionesDePago?: string;
  subTotal: string;
  descuento?: string;
  moneda: string;
  tipoCambio?: string;
  total: string;
  tipoDeComprobante: TipoDeComprobante;
  exportacion: string;
  metodoPago?: string;
  lugarExpedicion: string;
  informacionGlobal?: { periodicidad: string; meses: string; año: string };
  cfdiRelacionados: { tipoRelacion: string; uuids: string[] }[];
  emisor: { rfc: string; nombre: string; regimenFiscal: string };
  receptor: {
    rfc: string;
    nombre: string;
    domicilioFiscalReceptor: string;
    residenciaFiscal?: string;
    numRegIdTrib?: string;
    regimenFiscalReceptor: string;
    usoCfdi: string;
  };
  conceptos: Concepto[];
  impuestos?: ImpuestosComprobante;
  complementos?: Complemento[];
}
