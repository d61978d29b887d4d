/**
 * The fiscal core's public API: CFDI 4.0 model, validation, arithmetic, XML, cadena original, CSD,
 * sello, TimbreFiscalDigital, verification, Pagos 2.0 and the printed representation (PDF).
 * Pure TypeScript: runs in workerd and plain Node alike.
 */
export * from './model';
export * from './calc';
export * from './validate';
export * from './xml';
export * from './build';
export * as catalogs from './catalogs';
export { attr, child, children, descendant, escapeAttr, NS, parseXml, XmlError, type XmlAttr, type XmlElement as XmlLeido } from './dom';
export * from './cadena';
export * from './csd';
export * from './sello';
export * from './tfd';
export * from './verify';
export * from './pagos';
export { generarPdf, type OpcionesPdf } from './pdf';
export { leerComprobante } from './pdf-datos';
export * from './qr';
export * from './importe-letra';
