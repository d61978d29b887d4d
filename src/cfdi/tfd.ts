// TimbreFiscalDigital 1.1: the stamp a PAC adds to a sealed CFDI. Used by the sandbox PAC (signing with
// its own, clearly non-SAT key) and to read stamps back from any PAC.
import { buscarTfd, cadenaOriginalTfdDe } from './cadena';
import { arbolDe, attr, child, escapeAttr, parseXml, type XmlElement, type XmlEntrada } from './dom';
import { NS, ubicacionEsquema } from './namespaces';
import { firmarRsaSha256 } from './sello';

export interface TimbreFiscalDigital {
  version: '1.1';
  uuid: string;
  fechaTimbrado: string;
  rfcProvCertif: string;
  leyenda?: string;
  selloCFD: string;
  noCertificadoSAT: string;
  selloSAT: string;
}

function tfdXml(t: Omit<TimbreFiscalDigital, 'selloSAT'> & { selloSAT?: string }): string {
  const campos: [string, string | undefined][] = [
    ['Version', t.version],
    ['UUID', t.uuid],
    ['FechaTimbrado', t.fechaTimbrado],
    ['RfcProvCertif', t.rfcProvCertif],
    ['Leyenda', t.leyenda],
    ['SelloCFD', t.selloCFD],
    ['NoCertificadoSAT', t.noCertificadoSAT],
    ['SelloSAT', t.selloSAT],
  ];
  let out = `<tfd:TimbreFiscalDigital xmlns:tfd="${NS.tfd}" xmlns:xsi="${NS.xsi}" xsi:schemaLocation="${ubicacionEsquema('tfd')}"`;
  for (const [nombre, valor] of campos) if (valor !== undefined) out += ` ${nombre}="${escapeAttr(valor)}"`;
  return out + '/>';
}

function comprobanteDe(root: XmlElement): XmlElement {
  if (root.ns !== NS.cfdi || root.local !== 'Comprobante') throw new Error('El documento no es un cfdi:Comprobante 4.0');
  return root;
}

/** Where the new stamp goes: at the end of cfdi:Complemento, creating it (before any cfdi:Addenda) if absent. */
function insertarEnComplemento(xml: string, comprobante: XmlElement, tfd: string): string {
  const complemento = child(comprobante, NS.cfdi, 'Complemento');
  if (complemento && !complemento.selfClosing) {
    return xml.slice(0, complemento.endTagStart) + tfd + xml.slice(complemento.endTagStart);
  }
  const colon = comprobante.qname.indexOf(':');
  const qname = complemento?.qname ?? (colon > 0 ? comprobante.qname.slice(0, colon + 1) : '') + 'Complemento';
  const nuevo = `<${qname}>${tfd}</${qname}>`;
  if (complemento) return xml.slice(0, complemento.start) + nuevo + xml.slice(complemento.end);
  const addenda = child(comprobante, NS.cfdi, 'Addenda');
  const at = addenda ? addenda.start : comprobante.endTagStart;
  return xml.slice(0, at) + nuevo + xml.slice(at);
}

/**
 * Stamps a sealed CFDI: builds the tfd:TimbreFiscalDigital (SelloCFD = the Comprobante's Sello, SelloSAT =
 * RSA-SHA256 over the TFD cadena original with `llave`) and inserts it into cfdi:Complemento. The UUID is
 * written in upper case, as the SAT does. `arbol` is parseXml(xmlSellado) when the caller already has it.
 */
export async function timbrarCfdi(
  xmlSellado: string,
  args: { uuid: string; fechaTimbrado: string; rfcProvCertif: string; noCertificadoSAT: string; llave: CryptoKey; leyenda?: string; arbol?: XmlElement },
): Promise<{ xml: string; timbre: TimbreFiscalDigital }> {
  const comprobante = comprobanteDe(args.arbol ?? parseXml(xmlSellado));
  const selloCFD = attr(comprobante, 'Sello');
  if (!selloCFD) throw new Error('El CFDI no está sellado (falta el atributo Sello)');
  if (buscarTfd(comprobante)) throw new Error('El CFDI ya tiene un TimbreFiscalDigital');
  const sinSello = {
    version: '1.1' as const,
    uuid: args.uuid.toUpperCase(),
    fechaTimbrado: args.fechaTimbrado,
    rfcProvCertif: args.rfcProvCertif,
    ...(args.leyenda !== undefined ? { leyenda: args.leyenda } : {}),
    selloCFD,
    noCertificadoSAT: args.noCertificadoSAT,
  };
  // the cadena is computed from the element as it will be written, so escaping cannot make them differ
  const cadena = cadenaOriginalTfdDe(parseXml(tfdXml(sinSello)));
  const timbre: TimbreFiscalDigital = { ...sinSello, selloSAT: await firmarRsaSha256(cadena, args.llave) };
  return { xml: insertarEnComplemento(xmlSellado, comprobante, tfdXml(timbre)), timbre };
}

export function timbreDe(tfd: XmlElement): TimbreFiscalDigital {
  const leyenda = attr(tfd, 'Leyenda');
  return {
    version: '1.1',
    uuid: attr(tfd, 'UUID') ?? '',
    fechaTimbrado: attr(tfd, 'FechaTimbrado') ?? '',
    rfcProvCertif: attr(tfd, 'RfcProvCertif') ?? '',
    ...(leyenda !== undefined ? { leyenda } : {}),
    selloCFD: attr(tfd, 'SelloCFD') ?? '',
    noCertificadoSAT: attr(tfd, 'NoCertificadoSAT') ?? '',
    selloSAT: attr(tfd, 'SelloSAT') ?? '',
  };
}

/** The TimbreFiscalDigital of a stamped CFDI, or null when it has none. */
export function leerTimbre(xml: XmlEntrada): TimbreFiscalDigital | null {
  const tfd = buscarTfd(comprobanteDe(arbolDe(xml)));
  return tfd ? timbreDe(tfd) : null;
}
