/**
 * Generates src/cfdi/xsd/sat.generated.ts from the SAT's XSDs: every schema the core writes (XSD in
 * src/cfdi/namespaces.ts: cfdv40, Pagos 2.0, TimbreFiscalDigital 1.1) with the catálogos and tipos they
 * import, flattened into the data validateXsd reads (src/cfdi/xsd/types.ts). Run:
 * `npx tsx scripts/gen-xsd.ts [--dir SAT_DIR] [--out FILE]` (SAT_DIR: the folder laid out as www.sat.gob.mx,
 * default ../shared/sat/www.sat.gob.mx). The output is committed, so neither tests nor the Worker read the XSDs.
 * Only the XSD subset those schemas use is understood; anything else stops the script, so a new complemento
 * that needs more is noticed here rather than validated wrongly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { attr, NS, parseXml, XSD, type xsd, type XmlLeido } from '../src/cfdi';

const XS = 'http://www.w3.org/2001/XMLSchema';
// Catalogs such as c_ClaveProdServ or c_CodigoPostal run to tens of thousands of values in the SAT's catCFDI.xsd:
// carried here they would dwarf the Worker bundle, and the fiscal validation checks catalogs itself (src/cfdi/catalogs).
const MAX_ENUMERATION = 100;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const satDir = path.resolve(option('--dir') ?? path.join(import.meta.dirname, '../../shared/sat/www.sat.gob.mx'));
const out = path.resolve(option('--out') ?? path.join(import.meta.dirname, '../src/cfdi/xsd/sat.generated.ts'));

interface Doc {
  file: string;
  tns: string;
  elementQualified: boolean;
}
interface Decl {
  doc: Doc;
  el: XmlLeido;
}

const docs = new Map<string, Doc>();
const named = { simpleType: new Map<string, Decl>(), complexType: new Map<string, Decl>(), element: new Map<string, Decl>() };
const key = (ns: string, name: string) => `{${ns}}${name}`;

function fail(el: XmlLeido, doc: Doc, why: string): never {
  throw new Error(`${path.relative(satDir, doc.file)}: <${el.qname}${attr(el, 'name') ? ` name="${attr(el, 'name')}"` : ''}>: ${why}`);
}
/** The xs:* children of `el`, annotations left out. */
const xsChildren = (el: XmlLeido) => el.children.filter((c): c is XmlLeido => typeof c !== 'string' && c.ns === XS && c.local !== 'annotation');

function load(file: string): void {
  if (docs.has(file)) return;
  const root = parseXml(readFileSync(file, 'utf8'));
  const doc: Doc = { file, tns: attr(root, 'targetNamespace') ?? '', elementQualified: attr(root, 'elementFormDefault') === 'qualified' };
  if (attr(root, 'attributeFormDefault') === 'qualified') fail(root, doc, 'qualified attributes are not supported');
  docs.set(file, doc);
  for (const c of xsChildren(root)) {
    if (c.local === 'import' || c.local === 'include') {
      const loc = attr(c, 'schemaLocation') ?? fail(c, doc, 'no schemaLocation');
      load(path.resolve(path.dirname(file), loc));
    } else if (c.local in named) {
      named[c.local as keyof typeof named].set(key(doc.tns, attr(c, 'name')!), { doc, el: c });
    } else fail(c, doc, 'unsupported top-level construct');
  }
}

/** The namespace URI and local name of a QName-valued attribute, with the prefixes in scope at `el`. */
function qname(el: XmlLeido, value: string): [string, string] {
  const colon = value.indexOf(':');
  const decl = colon < 0 ? 'xmlns' : `xmlns:${value.slice(0, colon)}`;
  for (let e: XmlLeido | null = el; e; e = e.parent) {
    for (const a of e.attrs) if (a.ns === NS.xmlns && a.qname === decl) return [a.value, value.slice(colon + 1)];
  }
  if (colon < 0) return ['', value];
  throw new Error(`undeclared prefix in ${value}`);
}

// Every primitive but string collapses white space (XSD Part 2 §4.3.6), so the data need not say it. Except that
// libxml2, the oracle CI runs, refuses white space around xs:long/int/short/byte/date/dateTime values unless a
// pattern facet has it normalize the value first: those start as 'preserve' (until a pattern), so the sandbox
// never stamps what the oracle refuses.
const LIBXML2 = { whiteSpace: 'preserve' } as const;
const integer = (min: string, max?: string, quirk = {}): xsd.SimpleType => ({ base: 'integer', ...quirk, minInclusive: min, ...(max ? { maxInclusive: max } : {}) });
const BUILTIN: Record<string, xsd.SimpleType> = {
  anySimpleType: { base: 'anySimpleType' },
  string: { base: 'string' },
  normalizedString: { base: 'string', whiteSpace: 'replace' },
  token: { base: 'string', whiteSpace: 'collapse' },
  decimal: { base: 'decimal' },
  integer: { base: 'integer' },
  long: integer('-9223372036854775808', '9223372036854775807', LIBXML2),
  int: integer('-2147483648', '2147483647', LIBXML2),
  short: integer('-32768', '32767', LIBXML2),
  byte: integer('-128', '127', LIBXML2),
  nonNegativeInteger: integer('0'),
  positiveInteger: integer('1'),
  date: { base: 'date', ...LIBXML2 },
  dateTime: { base: 'dateTime', ...LIBXML2 },
  base64Binary: { base: 'base64Binary' },
};
const NUMERIC = new Set<xsd.Primitive>(['decimal', 'integer']);
const skipped = new Set<string>();

function simpleTypeByName(el: XmlLeido, doc: Doc, value: string): xsd.SimpleType {
  const [ns, name] = qname(el, value);
  if (ns === XS) return BUILTIN[name] ?? fail(el, doc, `built-in xs:${name} is not supported`);
  const d = named.simpleType.get(key(ns, name)) ?? fail(el, doc, `no simpleType ${value}`);
  return simpleType(d.el, d.doc, value);
}

/** A simple type flattened onto its primitive: each restriction step narrows the facets and adds its patterns. */
function simpleType(st: XmlLeido, doc: Doc, label: string): xsd.SimpleType {
  const [r, ...rest] = xsChildren(st);
  if (!r || rest.length || r.local !== 'restriction') fail(st, doc, 'only xs:restriction is supported');
  const base = attr(r, 'base');
  const inline = xsChildren(r).find((c) => c.local === 'simpleType');
  const t: xsd.SimpleType = { ...(base ? simpleTypeByName(r, doc, base) : inline ? simpleType(inline, doc, label) : fail(r, doc, 'no base type')) };
  const patterns: string[] = [];
  const enumeration: string[] = [];
  for (const f of xsChildren(r)) {
    const v = attr(f, 'value') ?? '';
    switch (f.local) {
      case 'simpleType':
        break;
      case 'pattern':
        patterns.push(v);
        break;
      case 'enumeration':
        enumeration.push(v);
        break;
      case 'whiteSpace':
        // only a string's may change
        if (t.base !== 'string') break;
        if (v === 'preserve') delete t.whiteSpace;
        else t.whiteSpace = v as 'replace' | 'collapse';
        break;
      case 'length':
      case 'minLength':
      case 'maxLength':
        if (t.base !== 'string') fail(f, doc, `${f.local} on ${t.base} is not supported`);
        t[f.local] = Number(v);
        break;
      case 'totalDigits':
      case 'fractionDigits':
        if (!NUMERIC.has(t.base)) fail(f, doc, `${f.local} on ${t.base} is not supported`);
        t[f.local] = Number(v);
        break;
      case 'minInclusive':
      case 'maxInclusive':
      case 'minExclusive':
      case 'maxExclusive':
        if (!NUMERIC.has(t.base)) fail(f, doc, `${f.local} on ${t.base} is not supported`);
        t[f.local] = v;
        break;
      default:
        fail(f, doc, 'unsupported facet');
    }
  }
  // several patterns of one step are alternatives (XSD Part 2 §4.3.4.3); the steps' patterns must all match
  if (patterns.length) {
    t.pattern = [...(t.pattern ?? []), patterns.length === 1 ? patterns[0] : patterns.map((p) => `(${p})`).join('|')];
    if (t.base !== 'string') delete t.whiteSpace;
  }
  if (enumeration.length) {
    if (t.base !== 'string') fail(r, doc, `enumeration on ${t.base} is not supported`);
    if (enumeration.length <= MAX_ENUMERATION) t.enumeration = enumeration;
    else {
      delete t.enumeration;
      skipped.add(`${label} (${enumeration.length})`);
    }
  }
  return t;
}

// The output tables: types deduplicated by content, elements in declaration order.
const types: xsd.SimpleType[] = [];
const typeIndex = new Map<string, number>();
const elements: xsd.ElementDecl[] = [];
const namespaces: string[] = [];
const globalIndex = new Map<string, number>();

// facets in one order, so equal types declared with their facets in different orders are one entry
const FACETS = ['base', 'whiteSpace', 'pattern', 'enumeration', 'length', 'minLength', 'maxLength', 'minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive', 'totalDigits', 'fractionDigits'] as const;

function indexOfType(t: xsd.SimpleType): number {
  const canonical = Object.fromEntries(FACETS.filter((f) => t[f] !== undefined).map((f) => [f, t[f]])) as unknown as xsd.SimpleType;
  const k = JSON.stringify(canonical);
  let i = typeIndex.get(k);
  if (i === undefined) typeIndex.set(k, (i = types.push(canonical) - 1));
  return i;
}

function indexOfNamespace(ns: string): number {
  const i = namespaces.indexOf(ns);
  return i >= 0 ? i : namespaces.push(ns) - 1;
}

function attributeDecl(a: XmlLeido, doc: Doc, label: string): xsd.AttributeDecl {
  if (attr(a, 'ref') || attr(a, 'form') === 'qualified') fail(a, doc, 'attribute references and qualified attributes are not supported');
  const type = attr(a, 'type');
  const inline = xsChildren(a).find((c) => c.local === 'simpleType');
  const t = type ? simpleTypeByName(a, doc, type) : inline ? simpleType(inline, doc, label) : BUILTIN.anySimpleType;
  const required = attr(a, 'use') === 'required' ? 1 : 0;
  const fixed = attr(a, 'fixed');
  return fixed !== undefined ? [indexOfType(t), required, fixed] : required ? [indexOfType(t), 1] : [indexOfType(t)];
}

function occurs(p: XmlLeido): { min?: number; max?: number } {
  const min = Number(attr(p, 'minOccurs') ?? 1);
  const maxRaw = attr(p, 'maxOccurs') ?? '1';
  const max = maxRaw === 'unbounded' ? -1 : Number(maxRaw);
  return { ...(min !== 1 ? { min } : {}), ...(max !== 1 ? { max } : {}) };
}

function particle(p: XmlLeido, doc: Doc, label: string): xsd.Particle {
  switch (p.local) {
    case 'element':
      return { element: elementDecl(p, doc, false, label), ...occurs(p) };
    case 'sequence':
      return { sequence: xsChildren(p).map((c) => particle(c, doc, label)), ...occurs(p) };
    case 'choice':
      return { choice: xsChildren(p).map((c) => particle(c, doc, label)), ...occurs(p) };
    case 'any': {
      if ((attr(p, 'namespace') ?? '##any') !== '##any') fail(p, doc, 'only namespace="##any" wildcards are supported');
      const process = (attr(p, 'processContents') ?? 'strict') as 'strict' | 'lax' | 'skip';
      return { any: process, ...occurs(p) };
    }
    default:
      return fail(p, doc, 'unsupported particle');
  }
}

const expanding = new Set<XmlLeido>();

/** Adds the attributes and content model of a complexType to `decl`. */
function complexType(ct: XmlLeido, doc: Doc, decl: xsd.ElementDecl, label: string): void {
  if (expanding.has(ct)) fail(ct, doc, 'recursive types are not supported');
  if (attr(ct, 'mixed') === 'true') fail(ct, doc, 'mixed content is not supported');
  expanding.add(ct);
  for (const c of xsChildren(ct)) {
    if (c.local === 'attribute') {
      if (attr(c, 'use') !== 'prohibited') (decl.attributes ??= {})[attr(c, 'name')!] = attributeDecl(c, doc, `${label}@${attr(c, 'name')}`);
    }
    else if (c.local === 'sequence' || c.local === 'choice') decl.content = particle(c, doc, label);
    else fail(c, doc, 'unsupported complexType content');
  }
  expanding.delete(ct);
}

function elementDecl(el: XmlLeido, doc: Doc, global: boolean, parent: string): number {
  const ref = attr(el, 'ref');
  if (ref) {
    const [ns, name] = qname(el, ref);
    const d = named.element.get(key(ns, name)) ?? fail(el, doc, `no element ${ref}`);
    return globalElement(d);
  }
  for (const a of ['substitutionGroup', 'abstract', 'fixed', 'default']) if (attr(el, a) !== undefined) fail(el, doc, `${a} is not supported`);
  if (attr(el, 'nillable') === 'true') fail(el, doc, 'nillable is not supported');
  const name = attr(el, 'name')!;
  const qualified = global || (attr(el, 'form') ?? (doc.elementQualified ? 'qualified' : 'unqualified')) === 'qualified';
  const decl: xsd.ElementDecl = { ns: indexOfNamespace(qualified ? doc.tns : ''), name };
  const i = elements.push(decl) - 1;
  const label = `${parent}/${name}`;
  const type = attr(el, 'type');
  const inline = xsChildren(el).find((c) => c.local === 'complexType');
  if (type) {
    const [ns, local] = qname(el, type);
    const d = named.complexType.get(key(ns, local)) ?? fail(el, doc, `${type} is not a complexType (simple content is not supported)`);
    complexType(d.el, d.doc, decl, label);
  } else if (inline) complexType(inline, doc, decl, label);
  else fail(el, doc, 'an element needs a complex type');
  return i;
}

function globalElement(d: Decl): number {
  const k = key(d.doc.tns, attr(d.el, 'name')!);
  let i = globalIndex.get(k);
  if (i === undefined) globalIndex.set(k, (i = elementDecl(d.el, d.doc, true, '')));
  return i;
}

const entries = Object.values(XSD).map((url) => path.join(satDir, new URL(url).pathname));
for (const f of entries) load(f);
for (const d of named.element.values()) globalElement(d);

const schema: xsd.Schema = { namespaces, globals: Object.fromEntries(globalIndex), types, elements };
const line = (v: unknown) => JSON.stringify(v);
const text = `// GENERATED by scripts/gen-xsd.ts from the SAT's XSDs: ${entries.map((f) => path.basename(f)).join(', ')} and the
// catálogos and tipos they import. Do not edit by hand: regenerate.
// Enumerations of more than ${MAX_ENUMERATION} values are left out (the fiscal validation checks those catalogs): ${[...skipped].join(', ') || 'none in these files'}.
import type { Schema } from './types';

export const SAT: Schema = {
  namespaces: ${line(schema.namespaces)},
  globals: ${line(schema.globals)},
  types: [
${types.map((t) => `    ${line(t)},`).join('\n')}
  ],
  elements: [
${elements.map((e, i) => `    ${line(e)}, // ${i}`).join('\n')}
  ],
};
`;
writeFileSync(out, text);
console.log(`wrote ${out}: ${types.length} simple types, ${elements.length} elements, ${Buffer.byteLength(text)} bytes`);
