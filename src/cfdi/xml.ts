/**
 * A tiny XML writer for CFDI: ordered attributes (undefined and '' are omitted, as the SAT requires
 * for optional attributes), children, escaping per XML 1.0, no pretty-printing (no whitespace nodes).
 * Strings are JS strings; encode the result with TextEncoder to get the UTF-8 bytes.
 */

export type XmlAttrs = Record<string, string | undefined>;

/** Already-serialised XML (e.g. a complemento produced elsewhere), inserted verbatim. */
export interface XmlRaw { raw: string }

export interface XmlElement {
  name: string;
  /** Written in insertion order (attribute names are never integer-like, so JS keeps that order). */
  attrs?: XmlAttrs;
  children?: XmlNode[];
}

export type XmlNode = XmlElement | XmlRaw | string;

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
export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]);
}

function write(node: XmlNode, out: string[]): void {
  if (typeof node === 'string') {
    out.push(escapeXml(node));
    return;
  }
  if ('raw' in node) {
    out.push(node.raw);
    return;
  }
  out.push('<', node.name);
  for (const [k, v] of Object.entries(node.attrs ?? {})) {
    if (v !== undefined && v !== '') out.push(' ', k, '="', escapeXml(v), '"');
  }
  if (!node.children?.length) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of node.children) write(child, out);
  out.push('</', node.name, '>');
}

/** Serialises a node; with `declaration` (default true for documents) prefixes the UTF-8 XML declaration. */
export function renderXml(node: XmlNode, opts: { declaration?: boolean } = {}): string {
  const out: string[] = opts.declaration === false ? [] : [XML_DECLARATION];
  write(node, out);
  return out.join('');
}
