// An email as RFC 5322 / MIME bytes, built here rather than by the send_email binding's builder form: the
// binding's raw form (EmailMessage from cloudflare:email) sends exactly these bytes, and miniflare (wrangler
// dev, the test pool) parses them with postal-mime and keeps them as a .eml, so a test can read the very
// message the binding accepted. The builder form would be serialised by Cloudflare itself, out of reach of
// any local check (miniflare only writes its fields to separate files).

export interface Adjunto {
  nombre: string;
  /** e.g. `application/xml; charset=utf-8` */
  tipo: string;
  contenido: Uint8Array;
}

export interface Correo {
  de: { nombre: string; email: string };
  para: string[];
  cc?: string[];
  asunto: string;
  texto: string;
  html: string;
  adjuntos: Adjunto[];
  /** `<…@dominio>`; the same on every try, so a resend after a partial failure is recognisably the same message. */
  messageId: string;
  fecha: Date;
}

const ascii = /^[\x20-\x7e]*$/;
const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Base64 in lines of 76 (RFC 2045). */
const lineas = (b64: string) => b64.replace(/.{76}/g, '$&\r\n');

/** A header value outside ASCII as RFC 2047 encoded-words (UTF-8, B), each short enough for a 78-column line. */
function palabra(s: string): string {
  if (ascii.test(s)) return s;
  const trozos: string[] = [];
  let actual = '';
  for (const ch of s) {
    if (encoder.encode(actual + ch).length > 45) (trozos.push(actual), (actual = ''));
    actual += ch;
  }
  trozos.push(actual);
  return trozos.map((t) => `=?UTF-8?B?${base64(encoder.encode(t))}?=`).join('\r\n ');
}

/**
 * A From display name: non-ASCII as encoded-words, and an ASCII one with RFC 5322 specials (a razón social with a
 * comma, a period, parentheses) as a quoted-string, or a reader would split it into several addresses.
 */
function nombreVisible(s: string): string {
  if (!ascii.test(s)) return palabra(s);
  return /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(s) ? s : `"${s.replace(/["\\]/g, '\\$&')}"`;
}

const nombreArchivo = (n: string) => n.replace(/["\\\r\n]/g, '_');

const parte = (tipo: string, contenido: Uint8Array, extra: string[] = []) =>
  [`Content-Type: ${tipo}`, 'Content-Transfer-Encoding: base64', ...extra, '', lineas(base64(contenido))].join('\r\n');

/** The whole message as a string of ASCII lines ended by CRLF: multipart/mixed (alternative text+html, then the files). */
export function mime(c: Correo): string {
  const semilla = c.messageId.replace(/[^A-Za-z0-9]/g, '');
  const mixto = `mixto_${semilla}`;
  const alternativo = `alt_${semilla}`;
  const cabeceras = [
    `From: ${nombreVisible(c.de.nombre)} <${c.de.email}>`,
    `To: ${c.para.join(', ')}`,
    ...(c.cc?.length ? [`Cc: ${c.cc.join(', ')}`] : []),
    `Subject: ${palabra(c.asunto)}`,
    `Date: ${c.fecha.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${c.messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${mixto}"`,
  ];
  const cuerpo = [
    `--${mixto}`,
    `Content-Type: multipart/alternative; boundary="${alternativo}"`,
    '',
    `--${alternativo}`,
    parte('text/plain; charset=utf-8', encoder.encode(c.texto)),
    `--${alternativo}`,
    parte('text/html; charset=utf-8', encoder.encode(c.html)),
    `--${alternativo}--`,
    ...c.adjuntos.flatMap((a) => [
      `--${mixto}`,
      parte(`${a.tipo}; name="${nombreArchivo(a.nombre)}"`, a.contenido, [`Content-Disposition: attachment; filename="${nombreArchivo(a.nombre)}"`]),
    ]),
    `--${mixto}--`,
    '',
  ];
  return [...cabeceras, '', ...cuerpo].join('\r\n');
}

/**
 * An address the API accepts: one ASCII mailbox (RFC 5321 dot-atom local part, a domain of LDH labels), no display
 * name. Anything else (a control character, a space, non-ASCII) would break or smuggle a header of the raw message.
 */
export const EMAIL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
