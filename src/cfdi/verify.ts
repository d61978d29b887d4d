// Verification of a CFDI 4.0 as a receiver or the SAT would: the Sello against the recomputed cadena
// original and the certificate inside the document, and the TimbreFiscalDigital when present.
import { buscarTfd, cadenaOriginalDe, cadenaOriginalTfdDe } from './cadena';
import { fromBase64 } from './base64';
import { leerCertificado, llavePublica } from './csd';
import { arbolDe, attr, child, type XmlElement, type XmlEntrada } from './dom';
import { NS } from './namespaces';
import { timbreDe } from './tfd';

export interface VerificacionCfdi {
  valido: boolean;
  sello: { valido: boolean; noCertificado?: string; rfc?: string; motivo?: string };
  timbre: null | {
    presente: true;
    selloCfdCoincide: boolean;
    selloSat: 'valido' | 'invalido' | 'certificado_desconocido';
    uuid: string;
    fechaTimbrado: string;
    rfcProvCertif: string;
    noCertificadoSAT: string;
  };
  errores: string[];
}

const VERIFY = { name: 'RSASSA-PKCS1-v1_5' } as const;
const encoder = new TextEncoder();

async function firmaValida(cer: Uint8Array, firmaBase64: string, texto: string): Promise<boolean> {
  let firma: Uint8Array;
  try {
    firma = fromBase64(firmaBase64);
  } catch {
    return false;
  }
  return crypto.subtle.verify(VERIFY, await llavePublica(cer), firma, encoder.encode(texto));
}

export async function verificarSello(comprobante: XmlElement): Promise<VerificacionCfdi['sello']> {
  const sello = attr(comprobante, 'Sello');
  const certificado = attr(comprobante, 'Certificado');
  const noCertificado = attr(comprobante, 'NoCertificado');
  if (!sello) return { valido: false, noCertificado, motivo: 'El comprobante no tiene Sello' };
  if (!certificado) return { valido: false, noCertificado, motivo: 'El comprobante no tiene Certificado' };
  let cer: Uint8Array;
  let cert: ReturnType<typeof leerCertificado>;
  try {
    cer = fromBase64(certificado);
    cert = leerCertificado(cer);
  } catch (e) {
    return { valido: false, noCertificado, motivo: `Certificado ilegible: ${(e as Error).message}` };
  }
  const base = { noCertificado: cert.noCertificado, rfc: cert.rfc };
  if (noCertificado !== cert.noCertificado) {
    return { valido: false, ...base, motivo: `NoCertificado ${noCertificado ?? '(ausente)'} no es el del Certificado (${cert.noCertificado})` };
  }
  const emisor = child(comprobante, NS.cfdi, 'Emisor');
  const rfcEmisor = emisor ? attr(emisor, 'Rfc') : undefined;
  if (rfcEmisor !== cert.rfc) {
    return { valido: false, ...base, motivo: `El certificado es del RFC ${cert.rfc}, no del emisor ${rfcEmisor ?? '(ausente)'}` };
  }
  let cadena: string;
  try {
    cadena = cadenaOriginalDe(comprobante);
  } catch (e) {
    return { valido: false, ...base, motivo: (e as Error).message };
  }
  if (!(await firmaValida(cer, sello, cadena))) {
    return { valido: false, ...base, motivo: 'El Sello no corresponde a la cadena original con ese certificado' };
  }
  return { valido: true, ...base };
}

export async function verificarTimbre(
  comprobante: XmlElement,
  pacCertificates: Uint8Array[],
): Promise<VerificacionCfdi['timbre']> {
  const tfd = buscarTfd(comprobante);
  if (!tfd) return null;
  const t = timbreDe(tfd);
  const cadena = cadenaOriginalTfdDe(tfd);
  let selloSat: 'valido' | 'invalido' | 'certificado_desconocido' = 'certificado_desconocido';
  for (const cer of pacCertificates) {
    if (leerCertificado(cer).noCertificado !== t.noCertificadoSAT) continue;
    selloSat = (await firmaValida(cer, t.selloSAT, cadena)) ? 'valido' : 'invalido';
    if (selloSat === 'valido') break;
  }
  return {
    presente: true,
    selloCfdCoincide: t.selloCFD === attr(comprobante, 'Sello'),
    selloSat,
    uuid: t.uuid,
    fechaTimbrado: t.fechaTimbrado,
    rfcProvCertif: t.rfcProvCertif,
    noCertificadoSAT: t.noCertificadoSAT,
  };
}

/**
 * Verifies a CFDI 4.0: Sello against the recomputed cadena original and the embedded certificate (which
 * must be the emisor's and match NoCertificado); if stamped, TFD SelloCFD = Sello, and SelloSAT when one
 * of `pacCertificates` (DER) has the TFD's NoCertificadoSAT. An unknown PAC certificate is not an error.
 */
export async function verificarCfdi(xml: XmlEntrada, opts: { pacCertificates?: Uint8Array[] } = {}): Promise<VerificacionCfdi> {
  let comprobante: XmlElement;
  try {
    comprobante = arbolDe(xml);
    if (comprobante.ns !== NS.cfdi || comprobante.local !== 'Comprobante') {
      throw new Error(`El elemento raíz no es un cfdi:Comprobante 4.0: ${comprobante.qname}`);
    }
  } catch (e) {
    const motivo = (e as Error).message;
    return { valido: false, sello: { valido: false, motivo }, timbre: null, errores: [motivo] };
  }
  const sello = await verificarSello(comprobante);
  const timbre = await verificarTimbre(comprobante, opts.pacCertificates ?? []);
  const errores: string[] = [];
  if (!sello.valido) errores.push(`Sello: ${sello.motivo}`);
  if (timbre && !timbre.selloCfdCoincide) errores.push('TimbreFiscalDigital: SelloCFD no es el Sello del comprobante');
  if (timbre?.selloSat === 'invalido') errores.push('TimbreFiscalDigital: SelloSAT no verifica con el certificado del PAC');
  return { valido: errores.length === 0, sello, timbre, errores };
}
