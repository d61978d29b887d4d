// A small namespace-aware XML reader for CFDI documents.
// Why not @xmldom/xmldom: the cadena original is on the hot path of every sealed invoice, and a general
// DOM costs more than the RSA signature itself. This reader keeps only what the SAT stylesheets and
// the string-level editing in sello.ts/tfd.ts need: elements, attributes, text, and source offsets.
// It rejects DOCTYPE (CFDI has none; no entity expansion) and anything that is not well-formed XML 1.0 with
// namespaces: characters outside the Char production, bad names and references, misplaced declarations.

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
  /** 1-based line and column of `posicion` (counted in characters, as libxml2 reports them), once parseXml knows the text. */
  linea?: number;
  columna?: number;
  constructor(
    readonly motivo: string,
    /** offset in the text (UTF-16 code units) */
    readonly posicion: number,
  ) {
    super(`XML mal formado (posición ${posicion}): ${motivo}`);
    this.name = 'XmlError';
  }

  /** Adds the line and column of the offset in `src` to the error and its message. */
  ubicar(src: string): this {
    let linea = 1;
    let inicio = 0;
    for (let i = src.indexOf('\n'); i >= 0 && i < this.posicion; i = src.indexOf('\n', i + 1)) {
      linea++;
      inicio = i + 1;
    }
    this.linea = linea;
    // a surrogate pair is one character
    this.columna = [...src.slice(inicio, this.posicion)].length + 1;
    this.message = `XML mal formado (línea ${linea}, columna ${this.columna}): ${this.motivo}`;
    return this;
  }
}


const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

// Not a Char (XML 1.0 §2.2): C0 controls but TAB/LF/CR, U+FFFE, U+FFFF, and surrogates (firstInvalidChar lets pairs
// through). One regex scan: faster than a charCodeAt loop (about 1 ns a character), and documents rarely match.
const NOT_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;

function firstInvalidChar(src: string): number {
  NOT_CHAR.lastIndex = 0;
  for (let m = NOT_CHAR.exec(src); m; m = NOT_CHAR.exec(src)) {
    const i = m.index;
    const c = src.charCodeAt(i);
    const d = src.charCodeAt(i + 1);
    if (!(c <= 0xdbff && c >= 0xd800 && d >= 0xdc00 && d <= 0xdfff)) return i;
    NOT_CHAR.lastIndex = i + 2;
  }
  return -1;
}

const isXmlChar = (cp: number) =>
  cp >= 0x20 ? cp <= 0xd7ff || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff) : cp === 0x09 || cp === 0x0a || cp === 0x0d;

// ASCII name characters (XML 1.0 §2.3): 2 may start a name, 1 only follow
const NAME_ASCII = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:') NAME_ASCII[c.charCodeAt(0)] = 2;
for (const c of '0123456789.-') NAME_ASCII[c.charCodeAt(0)] = 1;

/** NameStartChar beyond ASCII; a UTF-16 surrogate stands for its code point (pairs are checked before). */
function isNameStartHigh(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0x2ff && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x370 && c <= 0x1fff && c !== 0x37e) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xdb7f) || // up to the high surrogates of U+EFFFF
    (c >= 0xdc00 && c <= 0xdfff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

const isNameStart = (c: number) => (c < 128 ? NAME_ASCII[c] === 2 : isNameStartHigh(c));

function isNameChar(c: number): boolean {
  if (c < 128) return NAME_ASCII[c] !== 0;
  return isNameStartHigh(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/** End of the Name at `p` (XML 1.0 §2.3); throws if none starts there. */
function nameEnd(src: string, p: number, what: string): number {
  if (!isNameStart(src.charCodeAt(p))) throw new XmlError(`nombre de ${what} inválido`, p);
  let e = p + 1;
  while (e < src.length && isNameChar(src.charCodeAt(e))) e++;
  return e;
}

/** Names of elements and attributes are QNames (Namespaces in XML §3): at most one colon, with a name on each side. */
function checkQName(name: string, at: number, what: string): void {
  const colon = name.indexOf(':');
  if (colon >= 0 && (colon === 0 || name.indexOf(':', colon + 1) >= 0 || !isNameStart(name.charCodeAt(colon + 1)))) {
    throw new XmlError(`nombre de ${what} inválido "${name}"`, at);
  }
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
      // a reference must name a Char too (XML 1.0 §4.1): &#1; is as malformed as the character itself
      if (!isXmlChar(cp)) throw new XmlError(`referencia de carácter inválida &${ref};`, amp);
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

// XMLDecl (XML 1.0 §2.8), the one place a PI named xml may stand
const XML_DECL =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>$/;

interface Scope {
  prefix: string;
  uri: string;
}

/** Parses a whole document and returns its root element; an XmlError says where (line, column) it is not well-formed. */
export function parseXml(src: string): XmlElement {
  try {
    return parse(src);
  } catch (e) {
    throw e instanceof XmlError ? e.ubicar(src) : e;
  }
}

function parse(src: string): XmlElement {
  const len = src.length;
  const bad = firstInvalidChar(src);
  if (bad >= 0) throw new XmlError(`carácter no permitido en XML U+${src.charCodeAt(bad).toString(16).toUpperCase().padStart(4, '0')}`, bad);
  // most documents have no references, tabs or CRs at all: then attribute values only need a '\n' check
  const plain = !hasSpecial(src, '&', '\t', '\r');
  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  const docStart = pos;
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
    current!.children.push(text);
    text = '';
    textStart = -1;
  };

  while (pos < len) {
    const lt = src.indexOf('<', pos);
    const stop = lt < 0 ? len : lt;
    if (stop > pos) {
      const rawText = src.slice(pos, stop);
      if (!current) {
        // outside the root only white space (no references either)
        if (/[^ \t\r\n]/.test(rawText)) throw new XmlError('texto fuera del elemento raíz', pos);
      } else {
        if (textStart < 0) textStart = pos;
        if (!hasSpecial(rawText, '&', '\r', ']')) text += rawText;
        else {
          // line ends are normalized before references are decoded, so &#13; survives as CR
          const normalized = normalizeNewlines(rawText);
          if (normalized.indexOf(']]>') >= 0) throw new XmlError('"]]>" en texto', pos);
          text += decode(normalized, 0, normalized.length);
        }
      }
    }
    if (lt < 0) break;
    const c1 = src.charCodeAt(lt + 1);
    if (c1 === 0x21) {
      // <!-- comment -->, <![CDATA[ ]]> or <!DOCTYPE
      if (src.startsWith('<!--', lt)) {
        // the first "--" must be the one that closes it
        const e = src.indexOf('--', lt + 4);
        if (e < 0) throw new XmlError('comentario sin cerrar', lt);
        if (src.charCodeAt(e + 2) !== 0x3e) throw new XmlError('"--" dentro de un comentario', e);
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
      // processing instruction or XML declaration: checked, then ignored (the XSLT ignores them too)
      const e = src.indexOf('?>', lt + 2);
      if (e < 0) throw new XmlError('instrucción de procesamiento sin cerrar', lt);
      const targetEnd = nameEnd(src, lt + 2, 'instrucción de procesamiento');
      const target = src.slice(lt + 2, targetEnd);
      if (target.indexOf(':') >= 0) throw new XmlError(`nombre de instrucción de procesamiento inválido "${target}"`, lt);
      if (targetEnd !== e && !isSpace(src.charCodeAt(targetEnd))) throw new XmlError('instrucción de procesamiento mal formada', lt);
      if (target.length === 3 && target.toLowerCase() === 'xml') {
        if (lt !== docStart) throw new XmlError('la declaración XML solo puede ir al inicio del documento', lt);
        if (!XML_DECL.test(src.slice(lt, e + 2))) throw new XmlError('declaración XML mal formada', lt);
      }
      pos = e + 2;
      continue;
    }
    flushText();
    if (c1 === 0x2f) {
      // end tag
      let p = nameEnd(src, lt + 2, 'elemento');
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
    let p = nameEnd(src, lt + 1, 'elemento');
    const qname = src.slice(lt + 1, p);
    checkQName(qname, lt, 'elemento');
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
      if (p === before) throw new XmlError(isNameStart(c) ? 'falta espacio entre atributos' : `carácter inesperado "${src[p]}" en la etiqueta`, p);
      const aStart = p;
      p = nameEnd(src, p, 'atributo');
      const aName = src.slice(aStart, p);
      checkQName(aName, aStart, 'atributo');
      while (p < len && isSpace(src.charCodeAt(p))) p++;
      if (src.charCodeAt(p) !== 0x3d) throw new XmlError('atributo mal formado', aStart);
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
        // xml is bound to its namespace and nothing else is; xmlns is never declared (Namespaces in XML §3)
        if (prefix === 'xmlns' || value === NS.xmlns || (prefix === 'xml') !== (value === NS.xml)) {
          throw new XmlError(`declaración de espacio de nombres reservado ${aName}`, aStart);
        }
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
