/**
 * The fiscal core's public API, the only import point for code outside src/cfdi: the kinds of
 * comprobante (JSON → validated Comprobante → sealed CFDI 4.0), cadena original, CSD, sello,
 * TimbreFiscalDigital, verification, the printed representation (PDF), and the shared pieces (RFC,
 * base64, XML reader, catalogs, exact decimals, local dates). Pure TypeScript: runs in workerd and plain
 * Node alike. Functions that read a CFDI take its text or the tree parseXml made of it.
 */
export type { Complemento, Comprobante, Concepto, Emisor, ImpuestoConcepto, TipoDeComprobante, TipoFactor } from './comprobante';
export type { ValidationIssue } from './validar';
export { emitir, emitirCfdi, emitirComplementoPago, emitirNomina, emitirTraslado, type ClaseDeComprobante, type TipoEmitible } from './comprobantes';
export { prepararComprobante, FacturaEntradaSchema, ConceptoEntradaSchema, type ConceptoEntrada, type FacturaEntrada } from './comprobantes/ingreso-egreso';
export {
  prepararComplementoPago,
  impuestosDeDocumento,
  ComplementoPagoEntradaSchema,
  type ComplementoPagoEntrada,
  type DocumentoRelacionadoEntrada,
  type PagoEntrada,
  type Pagos,
} from './comprobantes/pago';
export {
  prepararNomina,
  NominaEntradaSchema,
  type DeduccionEntrada,
  type Nomina,
  type NominaEntrada,
  type OtroPagoEntrada,
  type PercepcionEntrada,
} from './comprobantes/nomina';
export { prepararTraslado, TrasladoEntradaSchema, type TrasladoEntrada } from './comprobantes/traslado';
export {
  buscarCatalogoCartaPorte,
  CartaPorteEntradaSchema,
  CATALOGOS_CARTA_PORTE,
  conIdCcp,
  ID_CCP,
  type CartaPorte,
  type CartaPorteEntrada,
  type FilaCartaPorte,
} from './complementos/carta-porte';
export { renderXml } from './xml';
export { cadenaPrevista, comprobanteXml, sellarComprobante, type Emision, type Preparacion } from './emision';
export { dec, formatear, type Dec } from './decimal';
export { motivoTextoInvalido } from './entrada';
export * as catalogs from './catalogs';
export { fechaLocal, instanteDeFechaLocal, MAX_ANTIGUEDAD_MS, zonaHoraria } from './fecha';
export {
  digitoVerificadorRfc,
  esRfcGenerico,
  NOMBRE_PUBLICO_EN_GENERAL,
  personaDeRfc,
  RFC_EXTRANJERO,
  RFC_PUBLICO_EN_GENERAL,
  validarRfc,
  type Persona,
  type ReglaRfc,
  type ResultadoRfc,
} from './rfc';
export { fromBase64, pemToDer, toBase64 } from './base64';
export { modulosQr, urlVerificacionSat } from './qr';
export { attr, child, escapeAttr, parseXml, XmlError, type XmlElement as XmlLeido, type XmlEntrada } from './dom';
export { NS, XSD } from './namespaces';
export { validateXsd } from './xsd/validate';
export type * as xsd from './xsd/types';
export { buscarTfd, cadenaOriginal, cadenaOriginalTfd, type Hoja, type Instruccion } from './cadena';
export { CADENA_CFDI40, CADENA_TFD11 } from './cadena.generated';
export { csdDesdePkcs8, CsdError, leerCertificado, leerCsd, llavePublica, type CertificadoSat, type Csd, type CsdErrorCode } from './csd';
export { firmarRsaSha256, sellarCfdi } from './sello';
export { leerTimbre, timbrarCfdi, timbreDe, type TimbreFiscalDigital } from './tfd';
export { verificarCfdi, type VerificacionCfdi } from './verify';
export { textoXml } from './codificacion';
export {
  cfdiJson,
  leerRecibido,
  RecibidoError,
  REGLAS_RECIBIDO,
  verificarRecibido,
  type CodigoRecibido,
  type Json,
  type NodoGenerico,
  type VerificacionRecibido,
} from './recibido';
export { generarPdf, medirLogo, type LogoPdf, type MarcaPdf, type OpcionesPdf } from './pdf';
