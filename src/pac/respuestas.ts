// What every adapter needs to answer a stamping: the Sello of what it sent, the stamp a PAC returned checked to
// be that CFDI's (same Sello in the Comprobante and in the TFD's SelloCFD), and the uncertain / not-stamped results.
import { attr, buscarTfd, NS, parseXml, timbreDe, type XmlLeido } from '../cfdi';
import type { PacError, ResultadoTimbrado, Timbre } from './types';

export function selloDe(xml: string): string | undefined {
  try {
    return attr(parseXml(xml), 'Sello');
  } catch {
    return undefined;
  }
}

/** The stamp inside a stamped CFDI a PAC returned, only if it is the stamp of the CFDI we sent. */
export function timbreNuestro(cfdi: unknown, sello: string | undefined): Timbre | null {
  if (typeof cfdi !== 'string' || !cfdi || !sello) return null;
  let comprobante: XmlLeido;
  try {
    comprobante = parseXml(cfdi);
  } catch {
    return null;
  }
  if (comprobante.ns !== NS.cfdi || attr(comprobante, 'Sello') !== sello) return null;
  const tfd = buscarTfd(comprobante);
  if (!tfd) return null;
  const t = timbreDe(tfd);
  if (!t.uuid || !t.fechaTimbrado || !t.noCertificadoSAT || t.selloCFD !== sello) return null;
  return { xml: cfdi, uuid: t.uuid.toUpperCase(), fechaTimbrado: t.fechaTimbrado, noCertificadoSAT: t.noCertificadoSAT };
}

export const incierto = (code: string, message: string): ResultadoTimbrado => ({ ok: false, tipo: 'incierto', errores: [{ code, message }] });

export const noTimbrado = (causa: 'servicio' | 'cuenta', e: PacError): ResultadoTimbrado => ({ ok: false, tipo: 'no_timbrado', causa, errores: [e] });
