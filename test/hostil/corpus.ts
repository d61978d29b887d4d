// The hostile-body corpus of issue 13: from a valid base body and the request schema the app itself documents,
// every leaf of the base gets a sample of each class of hostility, and the whole body gets the classes that
// only exist as bytes (raw JSON, nesting, duplicate keys, sizes, content types, encodings). Deterministic: a
// seeded PRNG picks the samples, so the body a failure names is sent again by the next run. Plain data, no
// Workers imports: the generator runs anywhere.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The parts of a (dereferenced) JSON Schema the generator reads. */
export interface Esquema {
  type?: string | string[];
  properties?: Record<string, Esquema>;
  required?: string[];
  items?: Esquema;
  anyOf?: Esquema[];
  oneOf?: Esquema[];
  allOf?: Esquema[];
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  format?: string;
  $ref?: string;
}

export const CLASES = [
  'tipo', // wrong JSON type per leaf (and per container)
  'control', // control characters and non-characters XML cannot carry
  'especial', // characters XML, the cadena original or headers treat specially
  'inyeccion', // SQL, XML entities / DOCTYPE, templates, header and path injection
  'longitud', // at and past the field's documented maximum
  'numero', // amounts and integers at and past the XSD bounds, non-numbers that look like numbers
  'fecha', // impossible and out-of-range dates
  'estructura', // missing and unknown keys, __proto__, empty / repeated / mixed arrays
  'anidamiento', // deep nesting
  'claves_duplicadas', // the same key twice (raw text)
  'tamano', // bodies at and past the size limit
  'content_type', // wrong or odd Content-Type
  'utf8', // invalid UTF-8 bytes, other encodings, raw control bytes
  'json_crudo', // bodies that are not a JSON object
  'cabeceras', // hostile Idempotency-Key / X-Request-Id; a keyed replay
  'parametros', // hostile path parameters
] as const;
export type Clase = (typeof CLASES)[number];

export interface Cuerpo {
  /** `clase campo mutación`, unique within a route; what a failure report names. */
  id: string;
  clase: Clase;
  /** The leaf or container mutated (`conceptos[0].descripcion`), or `(cuerpo)`. */
  campo: string;
  mutacion: string;
  bytes: Uint8Array;
  /** null: no Content-Type header at all. */
  contentType: string | null;
  headers: Record<string, string>;
  /** Path parameters in place of the route's own (already percent-encoded as they go in the URL). */
  parametros?: Record<string, string>;
  /** Send it twice with the same Idempotency-Key: the second must be a replay that creates nothing. */
  repetir?: boolean;
}

/**
 * How many of each class: per leaf (tipo, control, especial, inyeccion, longitud beyond the two bound cases,
 * numero beyond the obligatory bound cases, fecha), per container (contenedor: wrong types and shapes), and per
 * body (faltantes, claves_duplicadas, crudos, content_type). A class's values rotate across the leaves in a
 * seeded order, so every value of every class is sent once the route has enough leaves.
 */
export interface Muestras {
  tipo: number;
  control: number;
  especial: number;
  inyeccion: number;
  longitud: number;
  numero: number;
  fecha: number;
  contenedor: number;
  claves_duplicadas: number;
  faltantes: number;
  crudos: number;
  content_type: number;
  /** Per documented key the base leaves out, its first values (a bound, a control character, an injection…): at most 3. */
  ausentes: number;
}

export const MUESTRAS: Muestras = {
  tipo: 2,
  control: 4,
  especial: 2,
  inyeccion: 2,
  longitud: 2,
  numero: 4,
  fecha: 3,
  contenedor: 3,
  claves_duplicadas: 6,
  faltantes: 8,
  crudos: 22,
  content_type: 14,
  ausentes: 3,
};

export interface OpcionesCorpus {
  /** The route, as `POST /facturas`: it seeds the PRNG with the seed. */
  ruta: string;
  base: Json | undefined;
  /** The request body's schema, dereferenced (`desreferenciar`). */
  esquema?: Esquema;
  /** The body limit in bytes. */
  limiteBytes: number;
  semilla?: string;
  muestras?: Partial<Muestras>;
  /** Path parameters of the route, for the `parametros` class. */
  parametros?: string[];
  /** Whether the route must honour Idempotency-Key (adds the keyed replay). */
  idempotente?: boolean;
}

// ---------------------------------------------------------------------------------------------- the values

/** Every control-character class a string can carry into the XML (the ones XML 1.0 forbids, and the edge ones). */
export const CONTROL: [string, string][] = [
  ['U+0000', '\u0000'],
  ['U+0001', '\u0001'],
  ['U+0008', '\u0008'],
  ['U+000B', '\u000B'],
  ['U+000C', '\u000C'],
  ['U+001B', '\u001B'],
  ['U+001F', '\u001F'],
  ['U+007F', '\u007F'],
  ['U+0085', '\u0085'],
  ['U+FFFE', '\uFFFE'],
  ['U+FFFF', '\uFFFF'],
  ['surrogado alto suelto', '\uD800'],
  ['surrogado bajo suelto', '\uDFFF'],
  ['surrogados invertidos', '\uDE00\uD83D'],
];

export const ESPECIALES: [string, string][] = [
  ['comilla', '"'],
  ['apostrofo', "'"],
  ['pipe', '|'],
  ['menor que', '<'],
  ['mayor que', '>'],
  ['ampersand', '&'],
  ['entidad escrita', '&amp;&lt;&#0;&#x1F;'],
  ['fin de CDATA', ']]>'],
  ['CR', '\r'],
  ['LF', '\n'],
  ['CRLF', '\r\n'],
  ['TAB', '\t'],
  ['U+2028', '\u2028'],
  ['espacios dobles', '  a  b  '],
  ['NBSP', '\u00A0'],
  ['ancho cero', '\u200B'],
  ['BOM', '\uFEFF'],
  ['RTL override', '\u202E'],
  ['emoji', '😀'],
  ['combinante', 'e\u0301'],
  ['barra invertida', '\\'],
  ['porcentaje', '%00%0d%0a'],
];

export const INYECCIONES: [string, string][] = [
  ['sql comilla', "' OR '1'='1"],
  ['sql drop', "'; DROP TABLE hexafac_facturas; --"],
  ['sql union', "\" UNION SELECT token_hash FROM hexafac_api_keys --"],
  ['xml doctype', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'],
  ['xml entidad', '&e;&xxe;'],
  ['xml cdata', '<![CDATA[<x/>]]>'],
  ['xml nodo', '"/><cfdi:Concepto Importe="0"/><x a="'],
  ['xml comentario', '<!-- -->'],
  ['plantilla llaves', '{{7*7}}'],
  ['plantilla dolar', '${7*7}'],
  ['plantilla almohadilla', '#{7*7}'],
  ['formato printf', '%s%s%n%x'],
  ['ruta', '../../../../etc/passwd'],
  ['script', '<script>alert(1)</script>'],
  ['cabecera', 'x\r\nSet-Cookie: a=b'],
  ['content-disposition', '"; filename="evil.exe'],
  ['csv', "=cmd|' /C calc'!A0"],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
];

/** Amounts (t_Importe: 18 integer digits, up to 6 decimals) and the strings that look like them. */
const NUMEROS_OBLIGADOS: [string, Json | Crudo][] = [
  ['18 enteros 6 decimales', '999999999999999999.999999'],
  ['19 enteros', '9999999999999999999'],
  ['negativo', '-1.00'],
  ['exponente 1e21', '1e21'],
  ['numero 1e21', crudo('1e21')],
  ['NaN', 'NaN'],
  ['7 decimales', '1.0000001'],
  ['3 decimales (mas que MXN)', '1.005'],
];
const NUMEROS: [string, Json | Crudo][] = [
  ['18 enteros', '999999999999999999'],
  ['cero', '0'],
  ['cero con decimales', '0.000000'],
  ['minimo positivo', '0.000001'],
  ['negativo cero', '-0'],
  ['Infinity', 'Infinity'],
  ['-Infinity', '-Infinity'],
  ['hexadecimal', '0x1A'],
  ['separador miles', '1,000.00'],
  ['guion bajo', '1_000'],
  ['espacios', ' 1.00 '],
  ['signo mas', '+1'],
  ['punto inicial', '.5'],
  ['punto final', '5.'],
  ['ceros a la izquierda', '0000000000000000001'],
  ['digitos arabes', '١٢٣'],
  ['digitos de ancho completo', '１２３'],
  ['exponente E+2', '1E+2'],
  ['vacio', ''],
  ['numero 1e308', crudo('1e308')],
  ['numero 1e400 (Infinity)', crudo('1e400')],
  ['numero -1', crudo('-1')],
  ['numero -0', crudo('-0')],
  ['numero 5e-324', crudo('5e-324')],
  ['numero 0.1', crudo('0.1')],
  ['numero de 30 digitos', crudo('123456789012345678901234567890')],
  ['numero 18 nueves (flotante 1e18)', crudo('999999999999999999')],
  ['numero 2^53+1', crudo('9007199254740993')],
  ['numero 1.0000001', crudo('1.0000001')],
  ['numero 1.005', crudo('1.005')],
];
const ENTEROS: [string, Json | Crudo][] = [
  ['cero', 0],
  ['negativo', -1],
  ['fraccion', 1.5],
  ['1000', 1000],
  ['2^31', 2 ** 31],
  ['2^53+1', crudo('9007199254740993')],
  ['1e21', crudo('1e21')],
  ['1e400', crudo('1e400')],
  ['-0', crudo('-0')],
  ['como texto', '1'],
  ['NaN', 'NaN'],
];
const FECHAS: [string, string][] = [
  ['30 de febrero', '2026-02-30'],
  ['mes 13', '2026-13-01'],
  ['año 9999', '9999-12-31'],
  ['año 0000', '0000-01-01'],
  ['epoch', '1970-01-01'],
  ['hora 25', '2026-01-01T25:61:61'],
  ['año extendido', '+275760-09-13'],
  ['texto', 'ayer'],
];

// ------------------------------------------------------------------------------------------- raw JSON text

/** A value that is written into the body as raw JSON text (numbers JSON.stringify cannot spell, nesting). */
export interface Crudo {
  crudo: string;
}
export function crudo(texto: string): Crudo {
  return { crudo: texto };
}
const esCrudo = (v: unknown): v is Crudo => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && 'crudo' in v;

type Clave = string | number;

const marca = (n: number) => `__hostil_crudo_${n}__`;

/** JSON text of `base` with the value at `ruta` replaced by `valor` (raw text allowed). */
export function conValor(base: Json, ruta: Clave[], valor: Json | Crudo): string {
  if (!esCrudo(valor)) return JSON.stringify(poner(base, ruta, valor));
  return JSON.stringify(poner(base, ruta, marca(0))).replace(JSON.stringify(marca(0)), valor.crudo);
}

function poner(base: Json, ruta: Clave[], valor: Json): Json {
  if (ruta.length === 0) return valor;
  const copia = structuredClone(base) as any;
  let nodo = copia;
  for (const k of ruta.slice(0, -1)) nodo = nodo[k];
  nodo[ruta[ruta.length - 1]!] = valor;
  return copia;
}

function quitar(base: Json, ruta: Clave[]): Json {
  const copia = structuredClone(base) as any;
  let nodo = copia;
  for (const k of ruta.slice(0, -1)) nodo = nodo[k];
  const k = ruta[ruta.length - 1]!;
  if (Array.isArray(nodo)) nodo.splice(k as number, 1);
  else delete nodo[k];
  return copia;
}

function obtener(base: Json, ruta: Clave[]): Json {
  let nodo: any = base;
  for (const k of ruta) nodo = nodo[k];
  return nodo;
}

/** An object's JSON text with one more key written by hand (so `__proto__` stays a plain key). */
function conClaveExtra(base: Json, ruta: Clave[], clave: string, valorTexto: string): string {
  const texto = JSON.stringify(poner(base, ruta, { [marca(1)]: 0 } as Json));
  // The marked object is `{"__hostil_crudo_1__":0}`; it becomes the original object plus the key.
  const original = obtener(base, ruta) as Record<string, Json>;
  const pares = [`${JSON.stringify(clave)}:${valorTexto}`, ...Object.entries(original).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)];
  return texto.replace(`{${JSON.stringify(marca(1))}:0}`, `{${pares.join(',')}}`);
}

/** JSON text where the key at `ruta` appears twice, with these two values in this order. */
function conClaveDoble(base: Json, ruta: Clave[], primero: string, segundo: string): string {
  const clave = ruta[ruta.length - 1] as string;
  const texto = JSON.stringify(poner(base, ruta, marca(2)));
  return texto.replace(JSON.stringify(marca(2)), `${primero},${JSON.stringify(clave)}:${segundo}`);
}

/** `ruta` as the API's error paths write it: conceptos[0].impuestos.traslados[1].tasa_o_cuota */
export function rutaTexto(ruta: Clave[]): string {
  let out = '';
  for (const k of ruta) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out || '(cuerpo)';
}

// ----------------------------------------------------------------------------------------------- schemas

/** Resolves `$ref`s to components/schemas (with a guard against cycles). */
export function desreferenciar(esquema: Esquema | undefined, componentes: Record<string, Esquema>, vistos = new Set<string>()): Esquema | undefined {
  if (!esquema) return undefined;
  if (esquema.$ref) {
    const nombre = esquema.$ref.split('/').pop()!;
    if (vistos.has(nombre)) return {};
    return desreferenciar(componentes[nombre], componentes, new Set([...vistos, nombre]));
  }
  const out: Esquema = { ...esquema };
  if (esquema.properties) out.properties = Object.fromEntries(Object.entries(esquema.properties).map(([k, v]) => [k, desreferenciar(v, componentes, vistos)!]));
  if (esquema.items) out.items = desreferenciar(esquema.items, componentes, vistos);
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) if (esquema[k]) out[k] = esquema[k]!.map((v) => desreferenciar(v, componentes, vistos)!);
  return out;
}

const variantes = (s: Esquema | undefined): Esquema[] => (s ? [s, ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])] : []);

function hijo(s: Esquema | undefined, k: Clave): Esquema | undefined {
  for (const v of variantes(s)) {
    if (typeof k === 'number' && v.items) return v.items;
    if (typeof k === 'string' && v.properties?.[k]) return v.properties[k];
  }
  return undefined;
}

const tipos = (s: Esquema | undefined) => variantes(s).flatMap((v) => (v.type === undefined ? [] : Array.isArray(v.type) ? v.type : [v.type]));
const maxLength = (s: Esquema | undefined) => variantes(s).find((v) => v.maxLength !== undefined)?.maxLength;
const propiedades = (s: Esquema | undefined): Record<string, Esquema> => Object.assign({}, ...variantes(s).map((v) => v.properties ?? {}));

type Forma = 'texto' | 'decimal' | 'entero' | 'fecha' | 'booleano';

function formaDe(valor: Json | undefined, s: Esquema | undefined): Forma {
  const t = tipos(s);
  if (typeof valor === 'boolean' || t.includes('boolean')) return 'booleano';
  if (t.includes('integer') || (typeof valor === 'number' && Number.isInteger(valor) && !t.includes('number'))) return 'entero';
  if (t.includes('number') || typeof valor === 'number' || variantes(s).some((v) => v.pattern?.startsWith('^\\d'))) return 'decimal';
  // Undocumented: an amount is a string with a decimal point (a code like "03" is text).
  if (!s && typeof valor === 'string' && /^\d+\.\d+$/.test(valor)) return 'decimal';
  if (typeof valor === 'string' && /^\d{4}-\d{2}-\d{2}/.test(valor)) return 'fecha';
  return 'texto';
}

interface Hoja {
  ruta: Clave[];
  valor: Json;
  esquema?: Esquema;
}
interface Contenedor {
  ruta: Clave[];
  valor: Json[] | { [k: string]: Json };
  esquema?: Esquema;
}

function recorrer(valor: Json, s: Esquema | undefined, ruta: Clave[], hojas: Hoja[], contenedores: Contenedor[]) {
  if (valor !== null && typeof valor === 'object') {
    contenedores.push({ ruta, valor, esquema: s });
    const entradas: [Clave, Json][] = Array.isArray(valor) ? valor.map((v, i) => [i, v]) : Object.entries(valor);
    for (const [k, v] of entradas) recorrer(v, hijo(s, k), [...ruta, k], hojas, contenedores);
  } else hojas.push({ ruta, valor, esquema: s });
}

// ------------------------------------------------------------------------------------------------- PRNG

/** mulberry32 over a string hash of the seed: the same seed, the same corpus. */
export function prng(semilla: string): () => number {
  let h = 1779033703 ^ semilla.length;
  for (let i = 0; i < semilla.length; i++) {
    h = Math.imul(h ^ semilla.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function muestra<T>(azar: () => number, lista: readonly T[], n: number): T[] {
  if (n >= lista.length) return [...lista];
  const copia = [...lista];
  for (let i = copia.length - 1; i > 0; i--) {
    const j = Math.floor(azar() * (i + 1));
    [copia[i], copia[j]] = [copia[j]!, copia[i]!];
  }
  return copia.slice(0, n);
}

// ---------------------------------------------------------------------------------------------- the corpus

const utf8 = new TextEncoder();
const JSON_TIPO = 'application/json';

function concat(...partes: (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(partes.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of partes) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

const anidarArreglos = (n: number, dentro = '') => '['.repeat(n) + dentro + ']'.repeat(n);
const anidarObjetos = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** The hostile bodies of one route, deduplicated, in a fixed order (the valid base first). */
export function generarCorpus(o: OpcionesCorpus): Cuerpo[] {
  const n = { ...MUESTRAS, ...o.muestras };
  const azar = prng(`${o.semilla ?? 'hexafac-hostil'} ${o.ruta}`);
  /** The values of a class in a seeded order, handed out in turn across the leaves. */
  const rotar = <T>(lista: readonly T[]) => {
    const orden = muestra(azar, lista, lista.length);
    let i = 0;
    return (k: number): T[] => Array.from({ length: Math.min(k, orden.length) }, () => orden[i++ % orden.length]!);
  };
  const cuerpos: Cuerpo[] = [];
  const vistos = new Set<string>();
  const agregar = (c: Omit<Cuerpo, 'id' | 'headers' | 'contentType'> & { headers?: Record<string, string>; contentType?: string | null }) => {
    const cuerpo: Cuerpo = { headers: {}, contentType: JSON_TIPO, ...c, id: `${c.clase} ${c.campo} ${c.mutacion}` };
    const huella = `${cuerpo.contentType}\u0000${JSON.stringify(cuerpo.headers)}\u0000${JSON.stringify(cuerpo.parametros ?? {})}\u0000${cuerpo.repetir ?? ''}\u0000${cuerpo.bytes.length}:${hash(cuerpo.bytes)}`;
    if (vistos.has(huella)) return;
    vistos.add(huella);
    cuerpos.push(cuerpo);
  };
  const texto = (clase: Clase, campo: string, mutacion: string, t: string, extra: Partial<Cuerpo> = {}) =>
    agregar({ clase, campo, mutacion, bytes: utf8.encode(t), ...extra });

  const base = o.base;
  const baseTexto = base === undefined ? '' : JSON.stringify(base);
  if (base !== undefined) texto('estructura', '(cuerpo)', 'base valida', baseTexto);

  if (base !== undefined && base !== null && typeof base === 'object') {
    const hojas: Hoja[] = [];
    const contenedores: Contenedor[] = [];
    recorrer(base, o.esquema, [], hojas, contenedores);
    const control = rotar(CONTROL);
    const especial = rotar(ESPECIALES);
    const inyeccion = rotar(INYECCIONES);
    const numeros = rotar(NUMEROS);
    const enteros = rotar(ENTEROS);
    const fechas = rotar(FECHAS);
    const largos = rotar(['multibyte', 'astral', 'vacio', 'espacios', '100000'] as const);
    const malosTipos = rotar(['null', 'otro', 'booleano', 'arreglo vacio', 'arreglo con el valor', 'objeto', 'objeto operador'] as const);

    for (const h of hojas) {
      const campo = rutaTexto(h.ruta);
      const forma = formaDe(h.valor, h.esquema);
      const leaf = (clase: Clase, mutacion: string, v: Json | Crudo) => texto(clase, campo, mutacion, conValor(base, h.ruta, v));

      // Wrong type: null, the other of number/string, boolean, array, object.
      const otro: Json =
        typeof h.valor === 'string' ? (/^-?\d+(\.\d+)?$/.test(h.valor) ? Number(h.valor) : 12345) : String(h.valor);
      const malos: Record<string, Json> = {
        null: null,
        otro,
        booleano: true,
        'arreglo vacio': [],
        'arreglo con el valor': [h.valor],
        objeto: { valor: h.valor },
        'objeto operador': { $gt: '' },
      };
      for (const m of malosTipos(n.tipo)) leaf('tipo', m === 'otro' ? (typeof otro === 'number' ? 'numero' : 'texto') : m, malos[m]!);

      if (forma === 'decimal' || forma === 'entero') {
        const obligados = forma === 'decimal' ? NUMEROS_OBLIGADOS : [];
        for (const [m, v] of [...obligados, ...(forma === 'decimal' ? numeros : enteros)(n.numero)]) leaf('numero', m, v);
        if (typeof h.valor === 'string') for (const [m, c] of control(1)) leaf('control', m, h.valor + c);
        continue;
      }
      if (typeof h.valor !== 'string') continue;
      const s = h.valor;
      const mitad = Math.ceil(s.length / 2);
      const insertar = (c: string) => s.slice(0, mitad) + c + s.slice(mitad);
      if (forma === 'fecha') for (const [m, v] of fechas(n.fecha)) leaf('fecha', m, v);
      for (const [m, c] of control(n.control)) leaf('control', m, insertar(c));
      for (const [m, c] of especial(n.especial)) leaf('especial', m, insertar(c));
      for (const [m, c] of inyeccion(n.inyeccion)) leaf('inyeccion', m, c);
      const max = maxLength(h.esquema);
      if (max !== undefined) {
        leaf('longitud', `${max} (el maximo)`, 'A'.repeat(max));
        leaf('longitud', `${max + 1} (uno mas)`, 'A'.repeat(max + 1));
      }
      for (const l of largos(n.longitud)) {
        if (l === 'multibyte') leaf('longitud', `${max ?? 1000} Ñ (multibyte al maximo)`, 'Ñ'.repeat(max ?? 1000));
        if (l === 'astral') leaf('longitud', `${max ?? 1000} emoji (astral al maximo)`, '😀'.repeat(max ?? 1000));
        if (l === 'vacio') leaf('longitud', 'vacio', '');
        if (l === 'espacios') leaf('longitud', 'solo espacios', '   ');
        if (l === '100000') leaf('longitud', '100000', 'A'.repeat(100_000));
      }
    }

    // Containers: a wrong type or a shape each (the root's prototype keys always), and keys removed.
    const formasArreglo = rotar(['null', 'objeto', 'texto', 'elemento null', 'elemento de otro tipo', 'primer elemento 50 veces', 'elemento anidado 10000'] as const);
    const formasObjeto = rotar(['null', 'arreglo', 'texto', 'clave desconocida', 'clave __proto__', 'clave con objetos anidados 10000'] as const);
    const faltantes: { ruta: Clave[] }[] = [];
    for (const c of contenedores) {
      const campo = rutaTexto(c.ruta);
      const conValorEn = (clase: Clase, m: string, v: Json | Crudo) => texto(clase, campo, m, conValor(base, c.ruta, v));
      if (Array.isArray(c.valor)) {
        if (c.valor.length === 0) continue;
        const primero = c.valor[0]!;
        // The SAT forbids repeating some nodes (two identical traslados); an empty list skips a minItems.
        conValorEn('estructura', 'arreglo vacio', []);
        conValorEn('estructura', 'primer elemento repetido', [primero, ...c.valor]);
        for (const m of formasArreglo(n.contenedor)) {
          if (m === 'null') conValorEn('tipo', m, null);
          if (m === 'objeto') conValorEn('tipo', m, {});
          if (m === 'texto') conValorEn('tipo', m, 'x');
          if (m === 'elemento null') conValorEn('estructura', m, [...c.valor, null]);
          if (m === 'elemento de otro tipo') conValorEn('estructura', m, [...c.valor, 'x']);
          if (m === 'primer elemento 50 veces') conValorEn('estructura', m, Array.from({ length: 50 }, () => primero));
          if (m === 'elemento anidado 10000') conValorEn('anidamiento', m, crudo(`[${anidarArreglos(10_000)}]`));
        }
      } else {
        for (const k of Object.keys(c.valor)) faltantes.push({ ruta: [...c.ruta, k] });
        // Keys the schema documents that the base leaves out (folio, fecha, folio_sustitucion…) get hostile values too.
        for (const [k, sk] of Object.entries(propiedades(c.esquema))) {
          if (k in c.valor) continue;
          const campoK = rutaTexto([...c.ruta, k]);
          // the values are drawn either way, so a smaller `ausentes` leaves the other leaves' samples as they were
          let puestos = 0;
          const poner = (clase: Clase, m: string, v: Json | Crudo) => {
            if (puestos++ < n.ausentes) texto(clase, campoK, `ausente en la base: ${m}`, conValor(base, [...c.ruta, k], v));
          };
          const forma = formaDe(undefined, sk);
          if (forma === 'decimal') for (const [m, v] of [...NUMEROS_OBLIGADOS.slice(0, 2), ...numeros(1)]) poner('numero', m, v);
          else if (forma === 'entero') for (const [m, v] of enteros(2)) poner('numero', m, v);
          else if (tipos(sk).includes('string') || forma === 'fecha') {
            for (const [m, v] of control(1)) poner('control', m, `A${v}B`);
            for (const [m, v] of inyeccion(1)) poner('inyeccion', m, v);
            const max = maxLength(sk);
            poner('longitud', max === undefined ? '10000' : `${max + 1} (uno mas)`, 'A'.repeat(max === undefined ? 10_000 : max + 1));
          } else for (const m of malosTipos(1)) poner('tipo', m === 'otro' ? 'texto' : m, m === 'otro' ? 'x' : ({ null: null, booleano: true, 'arreglo vacio': [], 'arreglo con el valor': ['x'], objeto: { valor: 'x' }, 'objeto operador': { $gt: '' } } as Record<string, Json>)[m]!);
        }
        const extra = (clase: Clase, m: string, clave: string, valor: string) => texto(clase, campo, m, conClaveExtra(base, c.ruta, clave, valor));
        if (c.ruta.length === 0) {
          extra('estructura', 'clave __proto__', '__proto__', '{"polluted":"hostil"}');
          extra('estructura', 'clave constructor.prototype', 'constructor', '{"prototype":{"polluted":"hostil"}}');
          extra('estructura', 'clave desconocida', 'x_hostil', '"valor"');
        }
        for (const m of formasObjeto(n.contenedor)) {
          if (c.ruta.length > 0 && m === 'null') conValorEn('tipo', m, null);
          if (c.ruta.length > 0 && m === 'arreglo') conValorEn('tipo', m, [c.valor]);
          if (c.ruta.length > 0 && m === 'texto') conValorEn('tipo', m, 'x');
          if (m === 'clave desconocida') extra('estructura', m, 'x_hostil', '"valor"');
          if (m === 'clave __proto__') extra('estructura', m, '__proto__', '{"polluted":"hostil"}');
          if (m === 'clave con objetos anidados 10000') extra('anidamiento', m, 'x_hostil', anidarObjetos(10_000));
        }
      }
    }
    for (const f of muestra(azar, faltantes, n.faltantes)) texto('estructura', rutaTexto(f.ruta), 'sin la clave', JSON.stringify(quitar(base, f.ruta)));

    // Duplicate keys: JSON.parse keeps the last; a parser that keeps the first would see the other value.
    const conClave = hojas.filter((h) => typeof h.ruta[h.ruta.length - 1] === 'string');
    for (const h of muestra(azar, conClave, n.claves_duplicadas)) {
      const campo = rutaTexto(h.ruta);
      const valido = JSON.stringify(h.valor);
      const hostil = JSON.stringify(typeof h.valor === 'string' ? `${h.valor}\u0000` : null);
      texto('claves_duplicadas', campo, 'hostil y luego valida', conClaveDoble(base, h.ruta, hostil, valido));
      texto('claves_duplicadas', campo, 'valida y luego hostil', conClaveDoble(base, h.ruta, valido, hostil));
    }
    if (!Array.isArray(base)) {
      const [primera] = Object.keys(base);
      if (primera) texto('claves_duplicadas', primera, 'objeto raiz repetido entero', `${baseTexto.slice(0, -1)},${JSON.stringify(primera)}:${JSON.stringify((base as Record<string, Json>)[primera])}}`);
    }

    // Invalid UTF-8 inside the first free-text leaf (bytes a TextDecoder must replace or refuse).
    const libre = hojas.find((h) => typeof h.valor === 'string' && formaDe(h.valor, h.esquema) === 'texto' && / /.test(h.valor)) ?? hojas.find((h) => typeof h.valor === 'string');
    if (libre) {
      const campo = rutaTexto(libre.ruta);
      const [antes, despues] = conValor(base, libre.ruta, `${libre.valor}${marca(3)}`).split(marca(3)) as [string, string];
      const bytes: [string, number[]][] = [
        ['byte 0xFF', [0xff]],
        ['secuencia cortada 0xC3 0x28', [0xc3, 0x28]],
        ['overlong 0xC0 0xAF', [0xc0, 0xaf]],
        ['surrogado codificado ED A0 80', [0xed, 0xa0, 0x80]],
        ['mas alla de U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
        ['multibyte truncado E2 82', [0xe2, 0x82]],
        ['latin-1 ñ (0xF1)', [0xf1]],
        ['NUL crudo en la cadena', [0x00]],
        ['U+001F crudo en la cadena', [0x1f]],
        ['LF crudo en la cadena', [0x0a]],
      ];
      for (const [m, b] of bytes) agregar({ clase: 'utf8', campo, mutacion: m, bytes: concat(utf8.encode(antes), b, utf8.encode(despues)) });
    }
  }

  if (base !== undefined) {
    const bytesBase = utf8.encode(baseTexto);
    // Encodings of the whole body.
    agregar({ clase: 'utf8', campo: '(cuerpo)', mutacion: 'BOM UTF-8', bytes: concat([0xef, 0xbb, 0xbf], bytesBase) });
    agregar({ clase: 'utf8', campo: '(cuerpo)', mutacion: 'UTF-16LE con BOM', bytes: concat([0xff, 0xfe], utf16(baseTexto, true)) });
    agregar({ clase: 'utf8', campo: '(cuerpo)', mutacion: 'UTF-16BE sin BOM', bytes: utf16(baseTexto, false) });

    // Content types of a valid body.
    const tiposContenido: [string, string | null][] = [
      ['sin Content-Type', null],
      ['text/plain', 'text/plain'],
      ['form-urlencoded', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=hostil'],
      ['application/xml', 'application/xml'],
      ['text/json', 'text/json'],
      ['application/jsonx', 'application/jsonx'],
      ['application/json-patch+json', 'application/json-patch+json'],
      ['mayusculas', 'APPLICATION/JSON'],
      ['charset latin1', 'application/json; charset=iso-8859-1'],
      ['charset utf-16', 'application/json; charset=utf-16'],
      ['parametro roto', 'application/json; ;;=='],
      ['vacio', ''],
      ['dos tipos', 'application/json, text/plain'],
    ];
    for (const [m, ct] of muestra(azar, tiposContenido, n.content_type)) agregar({ clase: 'content_type', campo: '(cuerpo)', mutacion: m, bytes: bytesBase, contentType: ct });

    // Sizes (in bytes, as the limit counts): padded with whitespace (still the valid body) at and past the
    // limit, and an unknown key whose string reaches it.
    if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
      const relleno = (total: number) => concat(bytesBase.subarray(0, bytesBase.length - 1), new Uint8Array(total - bytesBase.length).fill(0x20), [0x7d]);
      agregar({ clase: 'tamano', campo: '(cuerpo)', mutacion: 'exactamente el limite', bytes: relleno(o.limiteBytes) });
      agregar({ clase: 'tamano', campo: '(cuerpo)', mutacion: 'limite mas un byte', bytes: relleno(o.limiteBytes + 1) });
      agregar({ clase: 'tamano', campo: '(cuerpo)', mutacion: '4 veces el limite', bytes: relleno(o.limiteBytes * 4) });
      const prefijo = utf8.encode(`${baseTexto.slice(0, -1)}${baseTexto.length > 2 ? ',' : ''}"x_relleno":"`);
      const campoLargo = (total: number) => concat(prefijo, new Uint8Array(total - prefijo.length - 2).fill(0x41), utf8.encode('"}'));
      agregar({ clase: 'tamano', campo: 'x_relleno', mutacion: 'clave desconocida hasta el limite', bytes: campoLargo(o.limiteBytes) });
      agregar({ clase: 'tamano', campo: 'x_relleno', mutacion: 'clave desconocida un byte mas', bytes: campoLargo(o.limiteBytes + 1) });
    }
  }

  // Bodies that are not an object, broken JSON, and nesting at the top.
  const crudos: [string, string][] = [
    ['vacio', ''],
    ['espacios', '   '],
    ['null', 'null'],
    ['true', 'true'],
    ['numero', '0'],
    ['cadena', '"x"'],
    ['arreglo vacio', '[]'],
    ['objeto vacio', '{}'],
    ['arreglo con la base', `[${baseTexto || '{}'}]`],
    ['llave sin cerrar', '{'],
    ['cierre solo', '}'],
    ['coma final', '{"a":1,}'],
    ['comillas simples', "{'a':1}"],
    ['NaN literal', '{"a":NaN}'],
    ['comentario', '/* hostil */{}'],
    ['dos objetos', '{}{}'],
    ['basura al final', `${baseTexto || '{}'}x`],
    ['truncado a la mitad', (baseTexto || '{"a":"bcdef"}').slice(0, Math.floor((baseTexto || '{"a":"bcdef"}').length / 2))],
    ['undefined', 'undefined'],
    ['escape invalido', '{"a":"\\x41"}'],
    ['escape unicode corto', '{"a":"\\u12"}'],
    ['clave sin comillas', '{a:1}'],
  ];
  for (const [m, t] of muestra(azar, crudos, n.crudos)) texto('json_crudo', '(cuerpo)', m, t);
  texto('anidamiento', '(cuerpo)', 'arreglos anidados 10000', anidarArreglos(10_000));
  texto('anidamiento', '(cuerpo)', 'arreglos anidados 100000', anidarArreglos(100_000));
  texto('anidamiento', '(cuerpo)', 'objetos anidados 10000', anidarObjetos(10_000));
  texto('anidamiento', '(cuerpo)', 'arreglos anidados sin cerrar 10000', '['.repeat(10_000));

  // Headers on the valid body.
  if (base !== undefined) {
    const cab = (mutacion: string, headers: Record<string, string>, repetir = false) =>
      agregar({ clase: 'cabeceras', campo: '(cabeceras)', mutacion, bytes: utf8.encode(baseTexto), headers, repetir });
    cab('Idempotency-Key de 10000 caracteres', { 'Idempotency-Key': 'k'.repeat(10_000) });
    cab('Idempotency-Key con comillas, espacios y simbolos', { 'Idempotency-Key': `a b "c" ; =+&?/ ${o.ruta}` });
    cab('Idempotency-Key vacia', { 'Idempotency-Key': '' });
    cab('X-Request-Id con <script> y 300 caracteres', { 'X-Request-Id': `<script>${'r'.repeat(300)}` });
    if (o.idempotente) cab('misma Idempotency-Key dos veces', { 'Idempotency-Key': `hostil-repeticion ${o.ruta}` }, true);
  }

  for (const p of o.parametros ?? []) {
    const valores: [string, string][] = [
      ['sql', encodeURIComponent("' OR 1=1 --")],
      ['NUL', '%00'],
      ['punto punto', '..'],
      ['ruta codificada', '%2e%2e%2fclientes'],
      ['utf8 invalido', '%C0%AF'],
      ['5000 caracteres', 'a'.repeat(5000)],
      ['uuid inexistente', '00000000-0000-7000-8000-000000000000'],
      ['mayusculas', 'ABCDEF'],
    ];
    for (const [m, v] of valores) agregar({ clase: 'parametros', campo: p, mutacion: m, bytes: utf8.encode(baseTexto || '{}'), parametros: { [p]: v } });
  }

  return cuerpos;
}

function utf16(s: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i + (littleEndian ? 0 : 1)] = c & 0xff;
    out[2 * i + (littleEndian ? 1 : 0)] = c >> 8;
  }
  return out;
}

function hash(b: Uint8Array): number {
  let h = 2166136261;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 16777619);
  return h >>> 0;
}

/** How many bodies per class, for the report. */
export function porClase(cuerpos: Cuerpo[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cuerpos) out[c.clase] = (out[c.clase] ?? 0) + 1;
  return out;
}
