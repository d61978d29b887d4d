/**
 * A tiny XML writer for CFDI: ordered attributes (undefined and '' are omitted, as the SAT requires
 * for optional attributes), children, escaping per XML 1.0, no pretty-printing (no whitespace nodes).
 * Strings are JS strings; encode the result with TextEncoder to get the UTF-8 bytes.
 */
import type { XmlAttr as AtributoLeido, XmlElement as ElementoLeido } from './dom';
import { NS } from './namespaces';

export type XmlAttrs = Record<string, string | undefined>;

export interface XmlElement {
  name: string;
  /** Written in insertion order (attribute names are never integer-like, so JS keeps that order). */
  attrs?: XmlAttrs;
  children?: XmlNode[];
}

export type XmlNode = XmlElement | string;

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Builds an element; children that are undefined/false are dropped, so optional nodes read inline. */
export function el(name: string, attrs?: XmlAttrs, children?: Array<XmlNode | undefined | false>): XmlElement {
  return { name, attrs, children: children?.filter((c): c is XmlNode => c !== undefined && c !== false) };
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;',
  // Character references keep tabs and line breaks through attribute-value normalisation.
  '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};

/** Escapes text for an attribute value or text node. */
const ESPECIALES = /[&<>"'\t\n\r]/;
export function escapeXml(value: string): string {
  // most values (codes, amounts, base64) have nothing to escape: a test is far cheaper than a replace
  return ESPECIALES.test(value) ? value.replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]) : value;
}

// String concatenation (V8 builds ropes) beats pushing the pieces into an array and joining them.
function write(node: XmlNode): string {
  if (typeof node === 'string') return escapeXml(node);
  let out = '<' + node.name;
  const attrs = node.attrs;
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined && v !== '') out += ' ' + k + '="' + escapeXml(v) + '"';
  }
  const children = node.children;
  if (!children?.length) return out + '/>';
  out += '>';
  for (let i = 0; i < children.length; i++) out += write(children[i]);
  return out + '</' + node.name + '>';
}

/** Serialises a node; with `declaration` (default true for documents) prefixes the UTF-8 XML declaration. */
export function renderXml(node: XmlNode, opts: { declaration?: boolean } = {}): string {
  return opts.declaration === false ? write(node) : XML_DECLARATION + write(node);
}

// A module-level function, not a closure per node: bundlers keep function names (esbuild keepNames),
// which costs a defineProperty each time a named closure is created.
function resolver(ambito: Record<string, string>, prefix: string, node: XmlElement): string {
  const uri = ambito[prefix];
  if (uri === undefined && prefix !== '') throw new Error(`prefijo de espacio de nombres no declarado "${prefix}" en <${node.name}>`);
  return uri ?? '';
}

/**
 * The tree parseXml(renderXml(node)) gives, built without rendering and parsing: the cadena original
 * of a comprobante being sealed is read from it directly. Prefixes resolve against the xmlns
 * attributes in scope, as in the parser; there is no source text, so every offset is -1.
 */
export function arbolLeido(node: XmlElement, ambito: Record<string, string> = { xml: NS.xml }, parent: ElementoLeido | null = null): ElementoLeido {
  const attrs: AtributoLeido[] = [];
  let propio = ambito;
  for (const qname in node.attrs) {
    const value = node.attrs[qname];
    if (value === undefined || value === '') continue;
    const colon = qname.indexOf(':');
    const prefix = colon > 0 ? qname.slice(0, colon) : '';
    if (prefix === 'xmlns' || qname === 'xmlns') {
      if (propio === ambito) propio = { ...ambito };
      propio[colon > 0 ? qname.slice(colon + 1) : ''] = value;
    }
    attrs.push({ ns: prefix, local: colon > 0 ? qname.slice(colon + 1) : qname, qname, value, start: -1, valueStart: -1, valueEnd: -1 });
  }
  for (const a of attrs) if (a.ns || a.qname === 'xmlns') a.ns = a.ns === 'xmlns' || a.qname === 'xmlns' ? NS.xmlns : resolver(propio, a.ns, node);
  const colon = node.name.indexOf(':');
  const el: ElementoLeido = {
    ns: resolver(propio, colon > 0 ? node.name.slice(0, colon) : '', node),
    local: colon > 0 ? node.name.slice(colon + 1) : node.name,
    qname: node.name,
    attrs,
    children: [],
    parent,
    start: -1,
    startTagEnd: -1,
    endTagStart: -1,
    end: -1,
    selfClosing: !node.children?.length,
  };
  for (const c of node.children ?? []) {
    const ultimo = el.children.length - 1;
    // adjacent text reads back as one text node
    if (typeof c === 'string') {
      if (typeof el.children[ultimo] === 'string') el.children[ultimo] += c;
      else el.children.push(c);
    } else el.children.push(arbolLeido(c, propio, el));
  }
  return el;
}
