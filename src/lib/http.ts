// HTTP header values built from stored data. A file name comes from a comprobante's serie and folio, which are
// the client's text: a CR, LF or NUL in a header value makes the runtime refuse the whole response (a 500 on
// every download), and a `"` would close the quoted string and add parameters of the client's choosing.

/** RFC 5987 attr-char: what `filename*` may carry unencoded; every other byte of the UTF-8 is %XX. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/**
 * `attachment` with the name twice (RFC 6266): `filename*` in UTF-8 for clients that read it, and a
 * `filename` fallback of printable ASCII for those that do not. Control characters become `_` in both, so not
 * even the decoded name carries one; the fallback also replaces non-ASCII, `"`, `\` and `%` (some clients
 * percent-decode `filename`).
 */
export function contentDisposition(nombre: string): string {
  const limpio = nombre.replace(/[\u0000-\u001f\u007f-\u009f]/g, '_');
  const ascii = limpio.replace(/[^\u0020-\u007e]|["\\%]/g, '_');
  // TextEncoder writes a lone surrogate as U+FFFD, where encodeURIComponent would throw.
  let codificado = '';
  for (const byte of new TextEncoder().encode(limpio)) {
    const c = String.fromCharCode(byte);
    codificado += byte < 0x80 && ATTR_CHAR.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `attachment; filename="${ascii}"; filename*=UTF-8''${codificado}`;
}
