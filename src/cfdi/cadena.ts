// Cadena original of CFDI 4.0 (with every complemento the SAT's stylesheet includes) and of the
// TimbreFiscalDigital 1.1, byte for byte what the SAT's own stylesheets give, without an XSLT engine.
//
// The stylesheets are data: scripts/gen-cadena.ts turns each `xsl:template match=` of
// cadenaoriginal_4_0.xslt (and the 32 complement stylesheets it includes) and of cadenaoriginal_TFD_1_1.xslt
// into a list of instructions (cadena.generated.ts), and this file compiles them once into closures.
// How the stylesheets behave, and how the instructions mirror them:
// - "Requerido" always writes `|` + normalize-space(value) (an absent attribute gives a bare `|`);
//   "Opcional" writes it only if the node exists (so a present empty attribute gives `|`).
//   A "campos" instruction lists attribute names, with a leading `?` for Opcional.
// - normalize-space collapses runs of #x20 #x9 #xD #xA into one space and trims them (only those four).
// - Templates are looked up by namespace + local name as apply-templates would. An element with no
//   template gets XSLT's built-in rule: its text is copied and its child elements are processed in turn
//   (that is why the TimbreFiscalDigital, which has no template in the 4.0 stylesheet, contributes nothing
//   but its text, and why an unknown complemento contributes its white space).

import { arbolDe, attr, children, type XmlElement, type XmlEntrada } from './dom';
import { CADENA_CFDI40, CADENA_TFD11 } from './cadena.generated';
import { NS } from './namespaces';

export class CadenaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CadenaError';
  }
}


const XML_WHITESPACE_RUN = /[ \t\n\r]+/g;

/** XPath normalize-space(). */
export function normalizeSpace(v: string): string {
  const ultimo = v.length - 1;
  // fast path (indexOf beats a regex): nothing to collapse or trim
  if (
    v.charCodeAt(0) !== 0x20 &&
    v.charCodeAt(ultimo) !== 0x20 &&
    v.indexOf('  ') < 0 &&
    v.indexOf('\n') < 0 &&
    v.indexOf('\t') < 0 &&
    v.indexOf('\r') < 0
  ) {
    return v;
  }
  const collapsed = v.replace(XML_WHITESPACE_RUN, ' ');
  const from = collapsed.charCodeAt(0) === 0x20 ? 1 : 0;
  const to = collapsed.length > from && collapsed.charCodeAt(collapsed.length - 1) === 0x20 ? collapsed.length - 1 : collapsed.length;
  return collapsed.slice(from, to);
}

/**
 * One instruction of a template, as scripts/gen-cadena.ts reads it from the SAT's XSLT:
 * - `campos`: Requerido/Opcional of `./@Name` for each listed name (`?Name` for Opcional);
 * - `valor`: Requerido (true) / Opcional (false) of another path's string value (detallista reads element text);
 * - `aplicar`: xsl:apply-templates select; `cada`: xsl:for-each select with its body;
 * - `si`: xsl:if test (a path, or `path='literal'`) with its body; `texto`: literal text.
 * Paths are the XPath subset the stylesheets use (`.`, `./*`, `/a:B`, `.//a:B`, child steps, a final `@Name`),
 * with the prefixes of `Hoja.espacios`.
 */
export type Instruccion =
  | readonly ['campos', string]
  | readonly ['valor', string, boolean]
  | readonly ['aplicar', string]
  | readonly ['cada', string, readonly Instruccion[]]
  | readonly ['si', string, readonly Instruccion[]]
  | readonly ['texto', string];

/** A stylesheet: its namespaces, the template of "/" and the templates keyed by `prefix:Local`. */
export interface Hoja {
  espacios: Readonly<Record<string, string>>;
  raiz: readonly Instruccion[];
  plantillas: Readonly<Record<string, readonly Instruccion[]>>;
}

/** Runs against a context element; `doc` is the document's root element, for absolute paths. */
type Ejecutar = (el: XmlElement, doc: XmlElement) => string;
/** Every node a path selects, in document order, handed to `f`; the outputs concatenated. */
type Recorrer = (el: XmlElement, doc: XmlElement, f: Ejecutar) => string;

interface Paso {
  ns: string;
  local: string;
}

class Compilador {
  readonly plantillas = new Map<string, Map<string, Ejecutar>>();

  constructor(private readonly hoja: Hoja) {
    for (const clave in hoja.plantillas) {
      const { ns, local } = this.paso(clave);
      let porNs = this.plantillas.get(ns);
      if (!porNs) this.plantillas.set(ns, (porNs = new Map()));
      porNs.set(local, this.cuerpo(hoja.plantillas[clave]));
    }
  }

  private paso(qname: string): Paso {
    const [prefijo, local] = qname.split(':');
    const ns = this.hoja.espacios[prefijo];
    if (ns === undefined) throw new CadenaError(`prefijo ${prefijo} sin espacio de nombres en la hoja`);
    return { ns, local };
  }

  /** xsl:apply-templates on one element: its template, or the built-in rule. */
  readonly aplicar: Ejecutar = (el, doc) => {
    const t = this.plantillas.get(el.ns)?.get(el.local);
    if (t) return t(el, doc);
    let out = '';
    for (const c of el.children) out += typeof c === 'string' ? c : this.aplicar(c, doc);
    return out;
  };

  cuerpo(instrucciones: readonly Instruccion[]): Ejecutar {
    const partes = instrucciones.map((i) => this.instruccion(i));
    if (partes.length === 1) return partes[0];
    return (el, doc) => {
      let out = '';
      for (let i = 0; i < partes.length; i++) out += partes[i](el, doc);
      return out;
    };
  }

  private instruccion(i: Instruccion): Ejecutar {
    switch (i[0]) {
      case 'campos':
        return this.campos(i[1]);
      case 'valor': {
        const [ruta, requerido] = [i[1], i[2]];
        const primero = this.valorDe(ruta);
        return (el, doc) => {
          const v = primero(el, doc);
          return v !== undefined ? '|' + normalizeSpace(v) : requerido ? '|' : '';
        };
      }
      case 'aplicar': {
        const recorrer = this.recorrer(i[1]);
        return (el, doc) => recorrer(el, doc, this.aplicar);
      }
      case 'cada': {
        const recorrer = this.recorrer(i[1]);
        const cuerpo = this.cuerpo(i[2]);
        return (el, doc) => recorrer(el, doc, cuerpo);
      }
      case 'si': {
        const test = this.prueba(i[1]);
        const cuerpo = this.cuerpo(i[2]);
        return (el, doc) => (test(el, doc) ? cuerpo(el, doc) : '');
      }
      case 'texto': {
        const texto = i[1];
        return () => texto;
      }
    }
  }

  /** Requerido/Opcional of several attributes of the context node. */
  private campos(spec: string): Ejecutar {
    const nombres = spec.split(' ').map((n) => (n.startsWith('?') ? n.slice(1) : n));
    const requeridos = spec.split(' ').map((n) => !n.startsWith('?'));
    return (el) => {
      let out = '';
      for (let i = 0; i < nombres.length; i++) {
        const v = attr(el, nombres[i]);
        if (v !== undefined) out += '|' + normalizeSpace(v);
        else if (requeridos[i]) out += '|';
      }
      return out;
    };
  }

  /** A node-set path (no final @): visits the selected elements in document order. */
  private recorrer(ruta: string): Recorrer {
    if (ruta === '.') return (el, doc, f) => f(el, doc);
    if (ruta === './*') {
      return (el, doc, f) => {
        let out = '';
        for (const c of el.children) if (typeof c !== 'string') out += f(c, doc);
        return out;
      };
    }
    const m = /^(\.\/\/|\.\/|\/|)(.*)$/.exec(ruta)!;
    const pasos = m[2].split('/').map((p) => this.paso(p));
    if (m[1] === '' || m[1] === './') return porHijos(pasos, 0);
    // the first step picks the root or the descendants; the rest are child steps from there
    const hijos = pasos.length > 1 ? porHijos(pasos, 1) : undefined;
    if (m[1] === '/') {
      // the document node's only element child is the root
      const [primero] = pasos;
      return (_el, doc, f) => (doc.ns === primero.ns && doc.local === primero.local ? (hijos ? hijos(doc, doc, f) : f(doc, doc)) : '');
    }
    const [primero] = pasos;
    return (el, doc, f) => {
      let out = '';
      for (const d of descendientes(el, primero.ns, primero.local)) out += hijos ? hijos(d, doc, f) : f(d, doc);
      return out;
    };
  }

  /** The string value of the first node a path selects (an attribute's value, an element's text), if any. */
  private valorDe(ruta: string): (el: XmlElement, doc: XmlElement) => string | undefined {
    const arroba = ruta.lastIndexOf('@');
    if (arroba >= 0) {
      const nombre = ruta.slice(arroba + 1);
      const base = ruta.slice(0, Math.max(0, arroba - 1));
      const recorrer = base === '.' || base === '' ? undefined : this.recorrer(base);
      if (!recorrer) return (el) => attr(el, nombre);
      return (el, doc) => {
        let v: string | undefined;
        recorrer(el, doc, (n) => {
          if (v === undefined) v = attr(n, nombre);
          return '';
        });
        return v;
      };
    }
    const recorrer = this.recorrer(ruta);
    return (el, doc) => {
      let v: string | undefined;
      recorrer(el, doc, (n) => {
        if (v === undefined) v = textoDe(n);
        return '';
      });
      return v;
    };
  }

  /** xsl:if test: the path selects something, or (`path='x'`) some selected node's string value is x. */
  private prueba(test: string): (el: XmlElement, doc: XmlElement) => boolean {
    const igual = /^(.*)='([^']*)'$/.exec(test);
    const ruta = igual ? igual[1] : test;
    const arroba = ruta.lastIndexOf('@');
    if (arroba >= 0) {
      // the stylesheets test attributes of the context node only
      if (ruta.slice(0, arroba) !== './') throw new CadenaError(`prueba no soportada: ${test}`);
      const nombre = ruta.slice(arroba + 1);
      return (el) => {
        const v = attr(el, nombre);
        return igual ? v === igual[2] : v !== undefined;
      };
    }
    const recorrer = this.recorrer(ruta);
    return (el, doc) => {
      let si = false;
      recorrer(el, doc, (n) => {
        if (!igual || textoDe(n) === igual[2]) si = true;
        return '';
      });
      return si;
    };
  }
}

/** Child steps `pasos[desde..]` from the context element, visited in document order. */
function porHijos(pasos: readonly Paso[], desde: number): Recorrer {
  const { ns, local } = pasos[desde];
  if (desde === pasos.length - 1) {
    return (el, doc, f) => {
      let out = '';
      for (const c of el.children) if (typeof c !== 'string' && c.local === local && c.ns === ns) out += f(c, doc);
      return out;
    };
  }
  const resto = porHijos(pasos, desde + 1);
  return (el, doc, f) => {
    let out = '';
    for (const c of el.children) if (typeof c !== 'string' && c.local === local && c.ns === ns) out += resto(c, doc, f);
    return out;
  };
}

/** `.//ns:local` relative to el, in document order. */
function descendientes(el: XmlElement, ns: string, local: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.local === local && c.ns === ns) out.push(c);
    descendientes(c, ns, local, out);
  }
  return out;
}

/** XPath string value of an element: all its descendant text, in order. */
function textoDe(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textoDe(c);
  return out;
}

const CFDI40 = new Compilador(CADENA_CFDI40);
const RAIZ_CFDI40 = CFDI40.cuerpo(CADENA_CFDI40.raiz);
const TFD11 = new Compilador(CADENA_TFD11);
const RAIZ_TFD11 = TFD11.cuerpo(CADENA_TFD11.raiz);
const C = NS.cfdi;

/** Cadena original of a parsed cfdi:Comprobante 4.0 (used by sello/verify to avoid parsing twice). */
export function cadenaOriginalDe(comprobante: XmlElement): string {
  if (comprobante.ns !== C || comprobante.local !== 'Comprobante') {
    throw new CadenaError(`El elemento raíz no es un cfdi:Comprobante 4.0 (${C}): ${comprobante.qname}`);
  }
  return RAIZ_CFDI40(comprobante, comprobante);
}

/** Cadena original of any CFDI 4.0 XML, identical to the SAT's cadenaoriginal_4_0.xslt output. */
export function cadenaOriginal(xml: XmlEntrada): string {
  return cadenaOriginalDe(arbolDe(xml));
}

/** Cadena original of a parsed tfd:TimbreFiscalDigital, as cadenaoriginal_TFD_1_1.xslt gives it for the TFD as its own document. */
export function cadenaOriginalTfdDe(tfd: XmlElement): string {
  return RAIZ_TFD11(tfd, tfd);
}

/**
 * Cadena original of the TimbreFiscalDigital 1.1, identical to cadenaoriginal_TFD_1_1.xslt applied to
 * the TFD as its own document. Accepts that document or a whole stamped CFDI.
 */
export function cadenaOriginalTfd(xmlOrTfdXml: XmlEntrada): string {
  const root = arbolDe(xmlOrTfdXml);
  const tfd = root.ns === NS.tfd && root.local === 'TimbreFiscalDigital' ? root : buscarTfd(root);
  if (!tfd) throw new CadenaError('No hay tfd:TimbreFiscalDigital en el documento');
  return cadenaOriginalTfdDe(tfd);
}

/** The TimbreFiscalDigital inside cfdi:Complemento of a Comprobante, if any. */
export function buscarTfd(comprobante: XmlElement): XmlElement | undefined {
  for (const comp of children(comprobante, C, 'Complemento')) {
    const t = children(comp, NS.tfd, 'TimbreFiscalDigital')[0];
    if (t) return t;
  }
  return undefined;
}
