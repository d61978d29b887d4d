// What every answer to a hostile body must satisfy, as plain functions over text: the one error shape, no
// internals in any response, XML that XML 1.0 can carry, and a Content-Disposition a client can parse.
// Each returns the problems found (empty when the answer is right), in words a failure report can show.

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The documented error body (src/lib/errors.ts ErrorBodySchema), exactly: no other keys, no missing ones. */
export function problemasDeError(cuerpo: string, requestIdCabecera: string | null, contentType: string | null): string[] {
  const p: string[] = [];
  if (!/^application\/json\b/i.test(contentType ?? '')) p.push(`Content-Type ${contentType ?? '(ninguno)'} en vez de application/json`);
  let body: any;
  try {
    body = JSON.parse(cuerpo);
  } catch {
    return [...p, `el cuerpo no es JSON: ${cuerpo.slice(0, 120)}`];
  }
  const claves = (o: unknown) => (o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o).sort().join(',') : typeof o);
  if (claves(body) !== 'error') return [...p, `no es {error}: claves ${claves(body)}`];
  const e = body.error;
  if (claves(e) !== 'code,details,message,request_id') p.push(`error con claves ${claves(e)}`);
  if (typeof e?.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(e.code)) p.push(`code ${JSON.stringify(e?.code)}`);
  if (typeof e?.message !== 'string' || !e.message) p.push(`message ${JSON.stringify(e?.message)}`);
  if (typeof e?.request_id !== 'string' || !e.request_id) p.push(`request_id ${JSON.stringify(e?.request_id)}`);
  else if (e.request_id !== requestIdCabecera) p.push(`request_id ${e.request_id} no es la cabecera X-Request-Id ${requestIdCabecera}`);
  if (!Array.isArray(e?.details)) p.push(`details no es arreglo: ${JSON.stringify(e?.details)}`);
  else
    for (const [i, d] of e.details.entries()) {
      const k = claves(d);
      if (k !== 'message,path' && k !== 'code,message,path') p.push(`details[${i}] con claves ${k}`);
      else if (typeof d.path !== 'string' || typeof d.message !== 'string' || (d.code !== undefined && typeof d.code !== 'string'))
        p.push(`details[${i}] con tipos ${JSON.stringify(d)}`);
    }
  return p;
}

export const requestIdValido = (v: string | null) => v !== null && REQUEST_ID.test(v);

// What only an internal error shows: stack frames, source paths, runtime error names, storage internals.
// Linear patterns only: a response may echo a 100,000-character value.
const INTERNOS: RegExp[] = [
  /\n[ \t]*at [^\n]*:\d+:\d+/,
  /\bat [\w$.<>[\]]{1,200} \([^)\n]{0,500}:\d+:\d+\)/,
  /\.(?:ts|mts|js|mjs|cjs):\d+(?::\d+)?/,
  /node_modules/,
  /file:\/\//,
  /\/(?:work|home|root|usr|tmp|var)\/[\w.-]+\//,
  /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|InternalError|AggregateError)\b/,
  /\bD1_[A-Z_]+\b|SQLITE_[A-Z]+|\bsqlite_master\b|\bdrizzle\b/i,
  /Maximum call stack/i,
];

/** The first internal detail in `respuesta` that the request itself did not carry (a body may echo its input). */
export function rastroInterno(respuesta: string, peticion: string): string | null {
  for (const re of INTERNOS) {
    const m = re.exec(respuesta);
    if (m && !peticion.includes(m[0])) return m[0];
  }
  return null;
}

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
const NO_CHAR_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** A character no XML 1.0 document can contain (the project's reader does not look for them), or null. */
export function caracterNoXml(xml: string): string | null {
  const m = NO_CHAR_XML.exec(xml);
  if (!m) return null;
  const cp = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${cp} en la posición ${m.index}: …${JSON.stringify(xml.slice(Math.max(0, m.index - 40), m.index + 20))}…`;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Content-Disposition as RFC 6266 defines it: a disposition type, then `; name=value` parameters whose value
 * is a token or a quoted-string (`filename*` an RFC 8187 ext-value), each name once, nothing left over.
 */
export function problemaContentDisposition(v: string | null): string | null {
  if (v === null) return 'sin Content-Disposition';
  if (/[\u0000-\u001f\u007f]/.test(v)) return `carácter de control en ${JSON.stringify(v)}`;
  let i = 0;
  const ows = () => {
    while (v[i] === ' ' || v[i] === '\t') i++;
  };
  const token = () => {
    const s = i;
    while (i < v.length && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(v[i]!)) i++;
    return v.slice(s, i);
  };
  const tipo = token().toLowerCase();
  if (tipo !== 'attachment' && tipo !== 'inline') return `tipo ${JSON.stringify(tipo)} en ${JSON.stringify(v)}`;
  const nombres = new Set<string>();
  for (;;) {
    ows();
    if (i >= v.length) break;
    if (v[i] !== ';') return `se esperaba ";" en la posición ${i} de ${JSON.stringify(v)}`;
    i++;
    ows();
    const nombre = token().toLowerCase();
    if (!nombre || v[i] !== '=') return `parámetro mal formado en la posición ${i} de ${JSON.stringify(v)}`;
    i++;
    if (nombres.has(nombre)) return `parámetro ${nombre} repetido en ${JSON.stringify(v)}`;
    nombres.add(nombre);
    if (nombre.endsWith('*')) {
      const valor = token();
      if (!/^[A-Za-z0-9!#$&+.^_`|~-]*'[A-Za-z0-9-]*'(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+.^_`|~-])*$/.test(valor))
        return `${nombre} no es un ext-value en ${JSON.stringify(v)}`;
    } else if (v[i] === '"') {
      i++;
      while (i < v.length && v[i] !== '"') i += v[i] === '\\' ? 2 : 1;
      if (v[i] !== '"') return `comillas sin cerrar en ${JSON.stringify(v)}`;
      i++;
    } else if (!TOKEN.test(token())) return `valor vacío en ${JSON.stringify(v)}`;
  }
  return null;
}
