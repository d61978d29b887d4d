// SOAP 1.1 over fetch, as Finkok's services and the SAT's ConsultaCFDIService speak it: an envelope in,
// the first element of a given local name out (answers mix namespaces and prefixes freely).
import { parseXml, type XmlLeido } from '../cfdi';
import { enviar, type Canal, type Respuesta } from './http';

const NS_SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';

export function sobre(cuerpo: string, prefijos: Record<string, string> = {}): string {
  const ns = Object.entries(prefijos)
    .map(([p, uri]) => ` xmlns:${p}="${uri}"`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS_SOAP}"${ns}><soapenv:Header/><soapenv:Body>${cuerpo}</soapenv:Body></soapenv:Envelope>`;
}

export function llamarSoap(canal: Canal, url: string, accion: string, envelope: string): Promise<Respuesta> {
  return enviar(canal, url, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${accion}"` },
    body: envelope,
  });
}

/** The parsed answer, or null when it is not XML at all (an HTML error page, a truncated body). */
export function leerSoap(texto: string): XmlLeido | null {
  try {
    return parseXml(texto);
  } catch {
    return null;
  }
}

export function textoDe(el: XmlLeido): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textoDe(c))).join('');
}

/** First descendant with this local name, whatever its namespace. */
export function buscarLocal(el: XmlLeido, local: string): XmlLeido | undefined {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.local === local) return c;
    const d = buscarLocal(c, local);
    if (d) return d;
  }
  return undefined;
}

/** Every descendant with this local name, in document order. */
export function todosLocal(el: XmlLeido, local: string, out: XmlLeido[] = []): XmlLeido[] {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.local === local) out.push(c);
    todosLocal(c, local, out);
  }
  return out;
}

/** The trimmed text of the first descendant with this local name. */
export function campo(el: XmlLeido | null | undefined, local: string): string | undefined {
  const c = el && buscarLocal(el, local);
  return c ? textoDe(c).trim() : undefined;
}

/** A SOAP Fault's faultstring, if the answer is one. */
export function falla(el: XmlLeido | null): string | undefined {
  const f = el && buscarLocal(el, 'Fault');
  return f ? (campo(f, 'faultstring') ?? textoDe(f).trim()) : undefined;
}
