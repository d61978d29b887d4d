// Sello digital of a CFDI: RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 cadena original (Web Crypto).
import { cadenaOriginalDe } from './cadena';
import { toBase64 } from './base64';
import type { Csd } from './csd';
import { escapeAttr, parseXml, type XmlElement } from './dom';

const SIGNING = { name: 'RSASSA-PKCS1-v1_5' } as const;
const encoder = new TextEncoder();

/** Base64 RSA-SHA256 (PKCS#1 v1.5) signature of the UTF-8 bytes of `texto`. */
export async function firmarRsaSha256(texto: string, key: CryptoKey): Promise<string> {
  const firma = await crypto.subtle.sign(SIGNING, key, encoder.encode(texto));
  return toBase64(new Uint8Array(firma));
}

// Comprobante attributes in cfdv40.xsd order; a missing one is inserted after the nearest earlier one present.
const ORDEN_COMPROBANTE = ['Version', 'Serie', 'Folio', 'Fecha', 'Sello', 'FormaPago', 'NoCertificado', 'Certificado'];

/**
 * Sets (or adds) unprefixed attributes on an element's start tag by editing the source string, so the
 * rest of the document keeps its exact bytes.
 */
export function fijarAtributos(xml: string, el: XmlElement, valores: Record<string, string>, orden: readonly string[]): string {
  const edits: { at: number; to: number; text: string }[] = [];
  const presentes = new Map(el.attrs.filter((a) => a.ns === '').map((a) => [a.local, a]));
  for (const [nombre, valor] of Object.entries(valores)) {
    const a = presentes.get(nombre);
    if (a) {
      edits.push({ at: a.valueStart, to: a.valueEnd, text: escapeAttr(valor) });
      continue;
    }
    // after the nearest attribute that precedes it in XSD order, else after the last attribute
    let despues = el.attrs.length ? el.attrs[el.attrs.length - 1] : undefined;
    for (let i = orden.indexOf(nombre) - 1; i >= 0; i--) {
      const previo = presentes.get(orden[i]);
      if (previo) {
        despues = previo;
        break;
      }
    }
    const at = despues ? despues.valueEnd + 1 : el.start + 1 + el.qname.length;
    edits.push({ at, to: at, text: ` ${nombre}="${escapeAttr(valor)}"` });
  }
  // apply from the end so earlier offsets stay valid; insertions at one spot keep the order given
  edits.sort((a, b) => b.at - a.at);
  let out = xml;
  for (let i = 0; i < edits.length; ) {
    let j = i;
    let text = '';
    while (j < edits.length && edits[j].at === edits[i].at && edits[j].to === edits[i].to) text += edits[j++].text;
    out = out.slice(0, edits[i].at) + text + out.slice(edits[i].to);
    i = j;
  }
  return out;
}

/** Runs `fn` while the unprefixed attribute `nombre` of `el` reads `valor`, then restores the tree. */
function conAtributo<T>(el: XmlElement, nombre: string, valor: string, fn: () => T): T {
  const existente = el.attrs.find((a) => a.ns === '' && a.local === nombre);
  if (!existente) {
    el.attrs.push({ ns: '', local: nombre, qname: nombre, value: valor, start: -1, valueStart: -1, valueEnd: -1 });
    try {
      return fn();
    } finally {
      el.attrs.pop();
    }
  }
  const anterior = existente.value;
  existente.value = valor;
  try {
    return fn();
  } finally {
    existente.value = anterior;
  }
}

/**
 * Seals a CFDI 4.0: sets NoCertificado and Certificado from the CSD, computes the cadena original and
 * sets Sello. Only the cfdi:Comprobante start tag changes; everything else is kept byte for byte.
 */
export async function sellarCfdi(xmlSinSello: string, csd: Csd): Promise<string> {
  const comprobante = parseXml(xmlSinSello);
  // the cadena includes NoCertificado: compute it on the parsed tree with the CSD's number in place
  const cadena = conAtributo(comprobante, 'NoCertificado', csd.noCertificado, () => cadenaOriginalDe(comprobante));
  const sello = await firmarRsaSha256(cadena, csd.privateKey);
  return fijarAtributos(
    xmlSinSello,
    comprobante,
    { Sello: sello, NoCertificado: csd.noCertificado, Certificado: csd.certificadoBase64 },
    ORDEN_COMPROBANTE,
  );
}
