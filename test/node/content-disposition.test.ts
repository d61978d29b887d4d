import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../../src/lib/http';

// Exactly two parameters: a quoted fallback without `"` or `\`, and the RFC 5987 value of attr-chars and %XX.
const FORMA = /^attachment; filename="([\x20\x21\x23-\x5b\x5d-\x7e]*)"; filename\*=UTF-8''((?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})*)$/;

function partes(nombre: string) {
  const valor = contentDisposition(nombre);
  const m = FORMA.exec(valor);
  if (!m) throw new Error(`not a safe Content-Disposition: ${JSON.stringify(valor)}`);
  // What a header (Node's, like the Workers runtime) accepts: a ByteString without NUL, CR or LF.
  expect(new Headers({ 'Content-Disposition': valor }).get('Content-Disposition')).toBe(valor);
  return { fallback: m[1]!, utf8: decodeURIComponent(m[2]!) };
}

describe('contentDisposition', () => {
  it('keeps an ordinary name as it is, in both parameters', () => {
    expect(contentDisposition('F123-3F2504E0-4F89-41D3-9A0C-0305E82C3301.xml')).toBe(
      `attachment; filename="F123-3F2504E0-4F89-41D3-9A0C-0305E82C3301.xml"; filename*=UTF-8''F123-3F2504E0-4F89-41D3-9A0C-0305E82C3301.xml`,
    );
  });

  it.each([
    ['NUL', 'A\u0000B.xml', 'A_B.xml'],
    ['CR LF (header injection)', 'A\r\nSet-Cookie: x=1.xml', 'A__Set-Cookie: x=1.xml'],
    ['a lone LF, TAB, DEL and C1', 'A\nB\tC\u007fD\u0085.pdf', 'A_B_C_D_.pdf'],
  ])('never lets a control character through (%s), not even percent-encoded', (_, nombre, esperado) => {
    const { fallback, utf8 } = partes(nombre);
    expect(fallback).toBe(esperado);
    expect(utf8).toBe(esperado);
  });

  it('a quote or a backslash cannot end the quoted string or add parameters', () => {
    const { fallback, utf8 } = partes('F"; filename="evil.exe\\.xml');
    expect(fallback).toBe('F_; filename=_evil.exe_.xml');
    expect(utf8).toBe('F"; filename="evil.exe\\.xml');
  });

  it('non-ASCII goes UTF-8 in filename* and `_` in the fallback; % is not left for a client to decode', () => {
    expect(partes('Ñandú-ÁÉ 100%.pdf')).toEqual({ fallback: '_and_-__ 100_.pdf', utf8: 'Ñandú-ÁÉ 100%.pdf' });
    expect(contentDisposition('Ñ')).toContain("filename*=UTF-8''%C3%91");
    // RFC 5987 leaves out of attr-char what encodeURIComponent keeps: ' ( ) *
    expect(contentDisposition("a'(b)*")).toContain("filename*=UTF-8''a%27%28b%29%2A");
  });

  it('an astral character is one code point; a lone surrogate becomes U+FFFD instead of throwing', () => {
    expect(partes('F😀.xml')).toEqual({ fallback: 'F__.xml', utf8: 'F😀.xml' });
    expect(partes('F\ud800.xml').utf8).toBe('F\ufffd.xml');
  });
});
