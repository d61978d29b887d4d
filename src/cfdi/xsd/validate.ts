/**
 * Validates a parsed CFDI against the SAT's XSDs (sat.generated.ts, made by scripts/gen-xsd.ts) as a PAC does
 * before stamping, inside a Worker where there is no libxml: element structure (sequence and choice order,
 * minOccurs/maxOccurs), required, fixed and unknown attributes, and every simple type's lexical space and facets.
 * It agrees with `xmllint --schema` on the SAT's files (test/node/xsd.test.ts) with one deliberate
 * difference: an element under xs:any in a namespace these schemas do not cover (another complemento, an
 * addenda) is let through as lax processing would, its known descendants still validated, where xmllint, holding
 * every schema, validates it strictly.
 */
import type { XmlElement } from '../dom';
import { NS } from '../namespaces';
import type { ValidationIssue } from '../validar';
import { xsdRegExp } from './regex';
import { SAT } from './sat.generated';
import type { AttributeDecl, Particle, SimpleType } from './types';

const KNOWN = new Set(Object.keys(SAT.globals).map((k) => k.slice(1, k.indexOf('}'))));

/** Problems found, each with the XPath of the element or attribute; empty if the document is valid. */
export function validateXsd(root: XmlElement): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const g = SAT.globals[`{${root.ns}}${root.local}`];
  if (g === undefined) issues.push({ path: pathOf(root), message: `El elemento raíz ${root.qname} no está declarado en los esquemas del SAT.` });
  else element(root, g, issues);
  return issues;
}

function element(el: XmlElement, index: number, issues: ValidationIssue[]): void {
  const decl = SAT.elements[index];
  attributes(el, index, issues);
  const kids: XmlElement[] = [];
  let text = false;
  for (const c of el.children) {
    if (typeof c !== 'string') kids.push(c);
    // empty content admits no text at all; element-only content admits white space
    else if (c && (!decl.content || /[^ \t\n\r]/.test(c))) text = true;
  }
  if (text) issues.push({ path: pathOf(el), message: `${el.qname} no admite texto${decl.content ? ' (solo elementos)' : ''}.` });
  if (!decl.content) {
    if (kids.length) issues.push({ path: pathOf(kids[0]), message: `${el.qname} no admite elementos hijos.` });
    return;
  }
  const m: Matching = { kids, assigned: [], far: -1, expected: [] };
  const end = repeat(decl.content, 0, m);
  const valid = end < 0 ? m.far : end;
  for (let i = 0; i < valid; i++) {
    const a = m.assigned[i];
    if (typeof a === 'number') element(kids[i], a, issues);
    else wildcard(kids[i], a, issues);
  }
  if (end >= 0 && end === kids.length) return;
  const at = end >= 0 ? end : m.far;
  const se = m.expected.length && m.far === at ? `; se esperaba ${m.expected.join(' o ')}` : '';
  if (at < kids.length) issues.push({ path: pathOf(kids[at]), message: `Elemento ${kids[at].qname} no permitido aquí${se}.` });
  else issues.push({ path: pathOf(el), message: `Faltan elementos en ${el.qname}${se}.` });
}

/** An element an xs:any admitted: validated if declared, refused if its namespace is known but it is not. */
function wildcard(el: XmlElement, process: 'strict' | 'lax' | 'skip', issues: ValidationIssue[]): void {
  if (process === 'skip') return;
  const g = SAT.globals[`{${el.ns}}${el.local}`];
  if (g !== undefined) element(el, g, issues);
  else if (process === 'strict' && KNOWN.has(el.ns)) issues.push({ path: pathOf(el), message: `${el.qname} no está declarado en el esquema de ${el.ns}.` });
  else for (const c of el.children) if (typeof c !== 'string') wildcard(c, 'lax', issues);
}

// --- content models: greedy, without backtracking, which the Unique Particle Attribution rule makes enough for the
// deterministic sequences and choices the SAT writes

interface Matching {
  kids: XmlElement[];
  /** per child: the element declaration it matched, or the wildcard's processContents */
  assigned: (number | 'strict' | 'lax' | 'skip')[];
  /** the furthest child where a particle failed, and what would have matched there */
  far: number;
  expected: string[];
}

/** Matches `p` as often as allowed from child `i`: the index after, or -1 if it cannot occur `min` times. */
function repeat(p: Particle, i: number, m: Matching): number {
  const min = p.min ?? 1;
  const max = p.max ?? 1;
  let n = 0;
  while (max < 0 || n < max) {
    const j = once(p, i, m);
    if (j < 0) break;
    // a particle that matched nothing matches nothing again: any count of it is met
    if (j === i) return i;
    i = j;
    n++;
  }
  return n >= min ? i : -1;
}

function once(p: Particle, i: number, m: Matching): number {
  if ('element' in p) {
    const d = SAT.elements[p.element];
    const k = m.kids[i];
    if (k && k.local === d.name && k.ns === SAT.namespaces[d.ns]) {
      m.assigned[i] = p.element;
      return i + 1;
    }
    expect(m, i, d.name);
    return -1;
  }
  if ('any' in p) {
    if (i < m.kids.length) {
      m.assigned[i] = p.any;
      return i + 1;
    }
    expect(m, i, 'un elemento');
    return -1;
  }
  if ('sequence' in p) {
    for (const q of p.sequence) {
      i = repeat(q, i, m);
      if (i < 0) return -1;
    }
    return i;
  }
  // a choice takes the first alternative that consumes children, else one that may be empty
  let empty = false;
  for (const q of p.choice) {
    const j = repeat(q, i, m);
    if (j > i) return j;
    if (j === i) empty = true;
  }
  return empty ? i : -1;
}

function expect(m: Matching, i: number, what: string): void {
  if (i > m.far) {
    m.far = i;
    m.expected = [what];
  } else if (i === m.far && !m.expected.includes(what)) m.expected.push(what);
}

// --- attributes and simple types, compiled on first use (a Map per element, parsed bounds and RegExps per type)

interface Attributes {
  declared: Map<string, AttributeDecl>;
  required: number;
}
const attributeTables: Attributes[] = [];

function attributeTable(index: number): Attributes {
  const declared = new Map(Object.entries(SAT.elements[index].attributes ?? {}));
  return { declared, required: [...declared.values()].filter((a) => a[1] === 1).length };
}

function attributes(el: XmlElement, index: number, issues: ValidationIssue[]): void {
  const { declared, required } = (attributeTables[index] ??= attributeTable(index));
  let seen = 0;
  for (const a of el.attrs) {
    if (a.ns === NS.xmlns) continue;
    // schema location hints are always allowed (validators may ignore them); xsi:type and xsi:nil are not, here
    if (a.ns === NS.xsi && (a.local === 'schemaLocation' || a.local === 'noNamespaceSchemaLocation')) continue;
    const d = a.ns === '' ? declared.get(a.local) : undefined;
    if (!d) {
      issues.push({ path: `${pathOf(el)}/@${a.qname}`, message: `El atributo ${a.qname} no está permitido en ${el.qname}.` });
      continue;
    }
    if (d[1] === 1) seen++;
    const problem = checkValue(a.value, d[0], d[2]);
    if (problem) issues.push({ path: `${pathOf(el)}/@${a.qname}`, message: `${a.qname}: el valor "${a.value}" ${problem}.` });
  }
  if (seen < required) {
    for (const [name, d] of declared) {
      if (d[1] === 1 && !el.attrs.some((a) => a.ns === '' && a.local === name)) {
        issues.push({ path: pathOf(el), message: `Falta el atributo requerido ${name} en ${el.qname}.` });
      }
    }
  }
}

/** A decimal's value: sign, integer digits without leading zeros, fraction digits without trailing zeros. */
interface Decimal {
  negative: boolean;
  int: string;
  frac: string;
}

function decimal(v: string): Decimal {
  let from = v.charCodeAt(0) === 0x2d || v.charCodeAt(0) === 0x2b ? 1 : 0;
  const dot = v.indexOf('.');
  let to = dot < 0 ? v.length : dot;
  while (from < to && v.charCodeAt(from) === 0x30) from++;
  let end = v.length;
  if (dot >= 0) while (end > dot + 1 && v.charCodeAt(end - 1) === 0x30) end--;
  const int = v.slice(from, to);
  const frac = dot < 0 ? '' : v.slice(dot + 1, end);
  return { negative: v.charCodeAt(0) === 0x2d && (int !== '' || frac !== ''), int, frac };
}

function compareDecimal(a: Decimal, b: Decimal): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  let c = a.int.length - b.int.length || (a.int < b.int ? -1 : a.int > b.int ? 1 : 0);
  if (c === 0) {
    const n = Math.max(a.frac.length, b.frac.length);
    const x = a.frac.padEnd(n, '0');
    const y = b.frac.padEnd(n, '0');
    c = x < y ? -1 : x > y ? 1 : 0;
  }
  return a.negative ? -c : c;
}

const BOUNDS = [
  ['minInclusive', (c: number) => c >= 0, 'es menor que'],
  ['maxInclusive', (c: number) => c <= 0, 'es mayor que'],
  ['minExclusive', (c: number) => c > 0, 'debe ser mayor que'],
  ['maxExclusive', (c: number) => c < 0, 'debe ser menor que'],
] as const;

interface Compiled {
  /** the collapsed, replaced or preserved form */
  ws: 'preserve' | 'replace' | 'collapse';
  lexical: (v: string) => boolean;
  /** a string without facets: only a fixed value can be wrong */
  trivial: boolean;
  numeric: boolean;
  patterns: RegExp[];
  enumeration?: Set<string>;
  bounds: [ok: (c: number) => boolean, bound: Decimal, problem: string][];
}
const compiled: Compiled[] = [];

function compile(t: SimpleType): Compiled {
  const numeric = t.base === 'decimal' || t.base === 'integer';
  const { base, whiteSpace, ...facets } = t;
  return {
    ws: base === 'string' || base === 'anySimpleType' ? (whiteSpace ?? 'preserve') : (whiteSpace ?? 'collapse'),
    lexical: LEXICAL[base],
    trivial: (base === 'string' || base === 'anySimpleType') && Object.keys(facets).length === 0,
    numeric,
    patterns: (t.pattern ?? []).map(xsdRegExp),
    ...(t.enumeration ? { enumeration: new Set(t.enumeration) } : {}),
    bounds: BOUNDS.filter(([f]) => t[f] !== undefined).map(([f, ok, problem]) => [ok, decimal(t[f]!), `${problem} ${t[f]}`]),
  };
}

function whiteSpace(v: string, ws: Compiled['ws']): string {
  if (ws === 'preserve') return v;
  const plain = v.indexOf('\t') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0;
  if (ws === 'replace') return plain ? v : v.replace(/[\t\n\r]/g, ' ');
  if (plain && v.indexOf('  ') < 0 && v.charCodeAt(0) !== 0x20 && v.charCodeAt(v.length - 1) !== 0x20) return v;
  return v.replace(/[\t\n\r ]+/g, ' ').trim();
}

const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const INTEGER = /^[+-]?[0-9]+$/;
const DATE = /^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})/;
const TIME = /^T([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)/;
const ZONE = /^(?:Z|[+-]((?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=|[A-Za-z0-9+/][AQgw]==)?$/;

/** Whether a date(Time) has a real day, a time of day and a valid zone (XSD Part 2 §3.2.7, §3.2.9). */
function lexicalDate(v: string, time: boolean): boolean {
  const d = DATE.exec(v);
  if (!d) return false;
  const y = Number(d[1]);
  const mo = Number(d[2]);
  const day = Number(d[3]);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  if (y === 0 || mo < 1 || mo > 12 || day < 1 || day > days) return false;
  let rest = v.slice(d[0].length);
  if (time) {
    const t = TIME.exec(rest);
    if (!t) return false;
    const h = Number(t[1]);
    const mi = Number(t[2]);
    const s = Number(t[3]);
    if (!(h < 24 && mi < 60 && s < 60) && !(h === 24 && mi === 0 && s === 0)) return false;
    rest = rest.slice(t[0].length);
  }
  return ZONE.test(rest);
}

const LEXICAL: Record<SimpleType['base'], (v: string) => boolean> = {
  string: () => true,
  anySimpleType: () => true,
  decimal: (v) => DECIMAL.test(v),
  integer: (v) => INTEGER.test(v),
  date: (v) => lexicalDate(v, false),
  dateTime: (v) => lexicalDate(v, true),
  base64Binary: (v) => BASE64.test(v.indexOf(' ') < 0 ? v : v.replaceAll(' ', '')),
};

/** Code points, as XSD counts a string's length. */
const lengthOf = (v: string) => (/[\uD800-\uDBFF]/.test(v) ? [...v].length : v.length);

/** What is wrong with `raw` as a value of type `index` (and the attribute's fixed value), or undefined. */
function checkValue(raw: string, index: number, fixed: string | undefined): string | undefined {
  const c = (compiled[index] ??= compile(SAT.types[index]));
  if (c.trivial && fixed === undefined) return undefined;
  const t = SAT.types[index];
  const v = whiteSpace(raw, c.ws);
  if (!c.lexical(v)) return `no es un valor xs:${t.base} válido`;
  if (t.length !== undefined || t.minLength !== undefined || t.maxLength !== undefined) {
    const n = lengthOf(v);
    if (t.length !== undefined && n !== t.length) return `debe tener ${t.length} caracteres`;
    if (t.minLength !== undefined && n < t.minLength) return `debe tener al menos ${t.minLength} caracteres`;
    if (t.maxLength !== undefined && n > t.maxLength) return `admite a lo más ${t.maxLength} caracteres`;
  }
  for (let i = 0; i < c.patterns.length; i++) if (!c.patterns[i].test(v)) return `no cumple el patrón ${t.pattern![i]}`;
  if (c.enumeration && !c.enumeration.has(v)) return 'no está entre los valores permitidos';
  if (c.numeric) {
    const d = decimal(v);
    for (const [ok, bound, problem] of c.bounds) if (!ok(compareDecimal(d, bound))) return problem;
    if (t.fractionDigits !== undefined && d.frac.length > t.fractionDigits) return `tiene más de ${t.fractionDigits} decimales`;
    if (t.totalDigits !== undefined && d.int.length + d.frac.length > t.totalDigits) return `tiene más de ${t.totalDigits} dígitos`;
    if (fixed !== undefined && compareDecimal(d, decimal(fixed)) !== 0) return `debe ser ${fixed}`;
  } else if (fixed !== undefined && v !== whiteSpace(fixed, c.ws)) return `debe ser ${fixed}`;
  return undefined;
}

/** XPath of an element: qualified names, with the position among same-named siblings where there are several. */
/** The XPath of an element, as every issue of the core names it: `/cfdi:Comprobante/cfdi:Conceptos/cfdi:Concepto[2]`. */
export function pathOf(el: XmlElement): string {
  let path = '';
  for (let e: XmlElement | null = el; e; e = e.parent) {
    let n = 0;
    let k = 0;
    for (const c of e.parent?.children ?? []) {
      if (typeof c !== 'string' && c.qname === e.qname && ++n && c === e) k = n;
    }
    path = `/${e.qname}${n > 1 ? `[${k}]` : ''}${path}`;
  }
  return path;
}
