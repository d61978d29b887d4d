// A small namespace-aware XML reader for CFDI documents.
// Why not @xmldom/xmldom: the cadena original is on the hot path of every sealed invoice, and a general
// DOM costs more than the RSA signature itself. This reader keeps only what the SAT stylesheets and
// the string-level editing in sello.ts/tfd.ts need: elements, attributes, text, and source offsets.
// It rejects DOCTYPE (CFDI has none; no entity expansion) and anything that is not well-formed.

import { NS } from './namespaces';

export interface XmlAttr {
  /** namespace URI ('' for unprefixed attributes) */
  ns: string;
  local: string;
  qname: string;
  value: string;
  /** source offsets: the attribute starts at `start`, its (escaped) value spans [valueStart, valueEnd) */
  start: number;
  valueStart: number;
  valueEnd: number;
}

export interface XmlElement {
  ns: string;
  local: string;
  qname: string;
  attrs: XmlAttr[];
  /** child elements and text (entity-decoded, CDATA merged in) */
  children: (XmlElement | string)[];
  parent: XmlElement | null;
  /** offset of '<' of the start tag */
  start: number;
  /** offset just after '>' of the start tag */
  startTagEnd: number;
  /** offset of '</' of the end tag; equals startTagEnd - 2 for an empty-element tag `<a/>` */
  endTagStart: number;
  /** offset just after the end tag */
  end: number;
  selfClosing: boolean;
}

export class XmlError extends Error {
  constructor(message: string, offset: number) {
    super(`XML mal formado (posición ${offset}): ${message}`);
    this.name = 'XmlError';
  }
}


const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

// chars that end a name in markup: whitespace, '=', '>', '/', quotes, '<'
const NAME_STOP = new Uint8Array(128);
for (const c of ' \t\n\r=>/"\'<') NAME_STOP[c.charCodeAt(0)] = 1;

function isNameChar(c: number): boolean {
  return c >= 128 || (c === c && NAME_STOP[c] === 0);
}

/** Decodes character and predefined entity references in [from, to). */
function decode(src: string, from: number, to: number): string {
  let amp = src.indexOf('&', from);
  if (amp < 0 || amp >= to) return src.slice(from, to);
  let out = '';
  let pos = from;
  while (amp >= 0 && amp < to) {
    const semi = src.indexOf(';', amp);
    if (semi < 0 || semi >= to) throw new XmlError('referencia de entidad sin ";"', amp);
    const ref = src.slice(amp + 1, semi);
    let ch: string | undefined;
    if (ref.charCodeAt(0) === 0x23) {
      const hex = ref.charCodeAt(1) === 0x78;
      const digits = ref.slice(hex ? 2 : 1);
      const cp = digits && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) throw new XmlError(`referencia de carácter inválida &${ref};`, amp);
      ch = String.fromCodePoint(cp);
    } else {
      ch = ENTITIES[ref];
      if (ch === undefined) throw new XmlError(`entidad desconocida &${ref};`, amp);
    }
    out += src.slice(pos, amp) + ch;
    pos = semi + 1;
    amp = src.indexOf('&', pos);
  }
  return out + src.slice(pos, to);
}

/** XML 1.0 end-of-line handling: CRLF and lone CR become LF. */
function normalizeNewlines(s: string): string {
  return s.indexOf('\r') < 0 ? s : s.replace(/\r\n?/g, '\n');
}

/** Attribute-value normalization (XML 1.0 §3.3.3) for CDATA attributes: literal TAB/CR/LF become spaces. */
function normalizeAttr(raw: string, decoded: string): string {
  if (!hasSpecial(raw, '\t', '\n', '\r')) return decoded;
  // Only literal whitespace is replaced; characters from &#9; &#10; &#13; references stay as they are.
  if (raw.indexOf('&') < 0) return decoded.replace(/\r\n|[\t\n\r]/g, ' ');
  const literal = raw.replace(/\r\n|[\t\n\r]/g, ' ');
  return decode(literal, 0, literal.length);
}

function hasSpecial(s: string, ...chars: string[]): boolean {
  for (const c of chars) if (s.indexOf(c) >= 0) return true;
  return false;
}

interface Scope {
  prefix: string;
  uri: string;
}

/** Parses a whole document and returns its root element. */
export function parseXml(src: string): XmlElement {
  const len = src.length;
  // most documents have no references, tabs or CRs at all: then attribute values only need a '\n' check
  const plain = !hasSpecial(src, '&', '\t', '\r');
  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  // namespace bindings as a stack; lookups walk from the end (documents declare few prefixes)
  const scopes: Scope[] = [{ prefix: 'xml', uri: NS.xml }];
  let root: XmlElement | null = null;
  let current: XmlElement | null = null;
  const scopeMarks: number[] = [];
  let text = '';
  let textStart = -1;

  const resolve = (prefix: string, at: number): string => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].prefix === prefix) return scopes[i].uri;
    if (prefix === '') return '';
    throw new XmlError(`prefijo de espacio de nombres no declarado "${prefix}"`, at);
  };

  const flushText = () => {
    if (textStart < 0) return;
    if (current) current.children.push(text);
    else if (/[^ \t\r\n]/.test(text)) throw new XmlError('texto fuera del elemento raíz', textStart);
    text = '';
    textStart = -1;
  };

  while (pos < len) {
    const lt = src.indexOf('<', pos);
    const stop = lt < 0 ? len : lt;
    if (stop > pos) {
      if (textStart < 0) textStart = pos;
      const rawText = src.slice(pos, stop);
      if (!hasSpecial(rawText, '&', '\r', ']')) text += rawText;
      else {
        // line ends are normalized before references are decoded, so &#13; survives as CR
        const normalized = normalizeNewlines(rawText);
        if (normalized.indexOf(']]>') >= 0) throw new XmlError('"]]>" en texto', pos);
        text += decode(normalized, 0, normalized.length);
      }
    }
    if (lt < 0) break;
    const c1 = src.charCodeAt(lt + 1);
    if (c1 === 0x21) {
      // <!-- comment -->, <![CDATA[ ]]> or <!DOCTYPE
      if (src.startsWith('<!--', lt)) {
        const e = src.indexOf('-->', lt + 4);
        if (e < 0) throw new XmlError('comentario sin cerrar', lt);
        pos = e + 3;
        continue;
      }
      if (src.startsWith('<![CDATA[', lt)) {
        if (!current) throw new XmlError('CDATA fuera del elemento raíz', lt);
        const e = src.indexOf(']]>', lt + 9);
        if (e < 0) throw new XmlError('CDATA sin cerrar', lt);
        if (textStart < 0) textStart = lt;
        text += normalizeNewlines(src.slice(lt + 9, e));
        pos = e + 3;
        continue;
      }
      throw new XmlError('DOCTYPE y declaraciones no se admiten en un CFDI', lt);
    }
    if (c1 === 0x3f) {
      // processing instruction or XML declaration: ignored (the XSLT ignores them too)
      const e = src.indexOf('?>', lt + 2);
      if (e < 0) throw new XmlError('instrucción de procesamiento sin cerrar', lt);
      pos = e + 2;
      continue;
    }
    flushText();
    if (c1 === 0x2f) {
      // end tag
      let p = lt + 2;
      while (p < len && isNameChar(src.charCodeAt(p))) p++;
      const name = src.slice(lt + 2, p);
      while (p < len && isSpace(src.charCodeAt(p))) p++;
      if (src.charCodeAt(p) !== 0x3e) throw new XmlError('etiqueta de cierre mal formada', lt);
      if (!current || current.qname !== name) throw new XmlError(`etiqueta de cierre </${name}> no corresponde`, lt);
      current.endTagStart = lt;
      current.end = p + 1;
      scopes.length = scopeMarks.pop()!;
      current = current.parent;
      pos = p + 1;
      continue;
    }
    // start tag
    if (root && !current) throw new XmlError('más de un elemento raíz', lt);
    let p = lt + 1;
    while (p < len && isNameChar(src.charCodeAt(p))) p++;
    const qname = src.slice(lt + 1, p);
    if (!qname) throw new XmlError('nombre de elemento vacío', lt);
    scopeMarks.push(scopes.length);
    const attrs: XmlAttr[] = [];
    let selfClosing = false;
    // a '<' before the end of an attribute value can only be inside that value (names stop at '<')
    const nextLt = src.indexOf('<', p);
    for (;;) {
      const before = p;
      while (p < len && isSpace(src.charCodeAt(p))) p++;
      const c = src.charCodeAt(p);
      if (c === 0x3e) {
        p++;
        break;
      }
      if (c === 0x2f && src.charCodeAt(p + 1) === 0x3e) {
        selfClosing = true;
        p += 2;
        break;
      }
      if (p >= len) throw new XmlError('etiqueta sin cerrar', lt);
      if (p === before) throw new XmlError('falta espacio entre atributos', p);
      const aStart = p;
      while (p < len && isNameChar(src.charCodeAt(p))) p++;
      const aName = src.slice(aStart, p);
      while (p < len && isSpace(src.charCodeAt(p))) p++;
      if (!aName || src.charCodeAt(p) !== 0x3d) throw new XmlError('atributo mal formado', aStart);
      p++;
      while (p < len && isSpace(src.charCodeAt(p))) p++;
      const q = src.charCodeAt(p);
      if (q !== 0x22 && q !== 0x27) throw new XmlError('valor de atributo sin comillas', p);
      const vEnd = src.indexOf(q === 0x22 ? '"' : "'", p + 1);
      if (vEnd < 0) throw new XmlError('valor de atributo sin cerrar', p);
      const rawValue = src.slice(p + 1, vEnd);
      let value = rawValue;
      if (nextLt >= 0 && nextLt < vEnd) throw new XmlError('"<" en valor de atributo', nextLt);
      // the common case has nothing to decode or normalize (indexOf is far faster than a regex here)
      if (plain ? rawValue.indexOf('\n') >= 0 : hasSpecial(rawValue, '&', '\n', '\t', '\r')) {
        value = normalizeAttr(rawValue, rawValue.indexOf('&') < 0 ? rawValue : decode(src, p + 1, vEnd));
      }
      const colon = aName.indexOf(':');
      // the namespace of prefixed attributes is resolved below, once all declarations of this tag are known
      attrs.push({ ns: colon > 0 ? aName.slice(0, colon) : '', local: colon > 0 ? aName.slice(colon + 1) : aName, qname: aName, value, start: aStart, valueStart: p + 1, valueEnd: vEnd });
      if (colon === 5 ? aName.startsWith('xmlns') : aName === 'xmlns') {
        const prefix = colon > 0 ? aName.slice(6) : '';
        if (prefix && !value) throw new XmlError(`el prefijo "${prefix}" no puede desdeclararse`, aStart);
        scopes.push({ prefix, uri: value });
      }
      p = vEnd + 1;
    }
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i];
      if (a.ns) a.ns = a.ns === 'xmlns' ? NS.xmlns : resolve(a.ns, a.start);
      else if (a.qname === 'xmlns') a.ns = NS.xmlns;
      for (let j = 0; j < i; j++) {
        if (attrs[j].qname === a.qname || (a.ns && attrs[j].ns === a.ns && attrs[j].local === a.local)) {
          throw new XmlError(`atributo repetido ${a.qname}`, a.start);
        }
      }
    }
    const colon = qname.indexOf(':');
    const el: XmlElement = {
      ns: resolve(colon > 0 ? qname.slice(0, colon) : '', lt),
      local: colon > 0 ? qname.slice(colon + 1) : qname,
      qname,
      attrs,
      children: [],
      parent: current,
      start: lt,
      startTagEnd: p,
      endTagStart: selfClosing ? p - 2 : -1,
      end: selfClosing ? p : -1,
      selfClosing,
    };
    if (current) current.children.push(el);
    else root = el;
    if (selfClosing) scopes.length = scopeMarks.pop()!;
    else current = el;
    pos = p;
  }
  flushText();
  if (!root) throw new XmlError('documento sin elemento raíz', 0);
  if (current) throw new XmlError(`elemento <${current.qname}> sin cerrar`, current.start);
  return root;
}

/** A document given as text or as the tree parseXml already made of it (parse once, hand the tree on). */
export type XmlEntrada = string | XmlElement;

export const arbolDe = (xml: XmlEntrada): XmlElement => (typeof xml === 'string' ? parseXml(xml) : xml);

/** Value of an unprefixed attribute, or undefined when absent. */
export function attr(el: XmlElement, local: string): string | undefined {
  const attrs = el.attrs;
  for (let i = 0; i < attrs.length; i++) if (attrs[i].local === local && attrs[i].ns === '') return attrs[i].value;
  return undefined;
}

/** Child elements with the given namespace and local name. */
export function children(el: XmlElement, ns: string, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && c.local === local && c.ns === ns) out.push(c);
  return out;
}

export function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.local === local && c.ns === ns) return c;
  return undefined;
}

/** First descendant (document order, excluding `el`) with the given namespace and local name. */
export function descendant(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.local === local && c.ns === ns) return c;
    const d = descendant(c, ns, local);
    if (d) return d;
  }
  return undefined;
}

/** Escapes a value for a double-quoted attribute. */
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

export function escapeAttr(value: string): string {
  return hasSpecial(value, '&', '<', '>', '"', '\t', '\n', '\r') ? value.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]) : value;
}
