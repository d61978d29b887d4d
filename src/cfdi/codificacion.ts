/**
 * The text of an XML file given as bytes, decoded as an XML processor does (XML 1.0 §4.3.3 and appendix F):
 * a byte-order mark first, else the encoding the XML declaration names, else UTF-8. The SAT's older tooling
 * writes ISO-8859-1 and Windows-1252 files; those decode as libxml2 decodes them (ISO-8859-1 maps every byte
 * to the code point of the same number, Windows-1252 gives 0x80–0x9F its printable characters).
 * Bytes that are not valid in the declared encoding are refused with their offset, never replaced.
 */
import { XmlError } from './dom';

// Windows-1252 0x80–0x9F; 0 marks the five bytes it leaves undefined (libxml2 through iconv refuses them)
const CP1252 = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

type Decodificador = (bytes: Uint8Array, desde: number) => string;

function utf8(bytes: Uint8Array, desde: number): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(desde));
  } catch {
    const i = primerByteInvalido(bytes, desde);
    throw new XmlError(`el archivo no es UTF-8 válido (byte 0x${bytes[i].toString(16).toUpperCase()}); declare su codificación en <?xml … encoding="…"?>`, i);
  }
}

/** Offset of the first byte that breaks UTF-8 (for the message: TextDecoder does not say where). */
function primerByteInvalido(b: Uint8Array, desde: number): number {
  for (let i = desde; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    // overlong, surrogate and beyond-U+10FFFF forms
    if ((c === 0xe0 && b[i + 1] < 0xa0) || (c === 0xed && b[i + 1] > 0x9f) || (c === 0xf0 && b[i + 1] < 0x90) || (c === 0xf4 && b[i + 1] > 0x8f)) return i;
    i += n + 1;
  }
  return b.length - 1;
}

function ascii(bytes: Uint8Array, desde: number): string {
  for (let i = desde; i < bytes.length; i++) if (bytes[i] > 0x7f) throw new XmlError(`el byte 0x${bytes[i].toString(16).toUpperCase()} no es US-ASCII`, i);
  return latin1(bytes, desde);
}

/** UTF-16 code units to a string, in chunks (a spread of a whole file would overflow the call stack). */
function deUnidades(unidades: Uint8Array | Uint16Array): string {
  let out = '';
  for (let i = 0; i < unidades.length; i += 8192) out += String.fromCharCode(...unidades.subarray(i, i + 8192));
  return out;
}

const latin1 = (bytes: Uint8Array, desde: number) => deUnidades(bytes.subarray(desde));

function windows1252(bytes: Uint8Array, desde: number): string {
  // every Windows-1252 character is in the BMP: one code unit each
  const unidades = new Uint16Array(bytes.length - desde);
  for (let i = desde; i < bytes.length; i++) {
    const b = bytes[i];
    const cp = b >= 0x80 && b <= 0x9f ? CP1252[b - 0x80] : b;
    if (cp === 0) throw new XmlError(`el byte 0x${b.toString(16).toUpperCase()} no existe en Windows-1252`, i);
    unidades[i - desde] = cp;
  }
  return deUnidades(unidades);
}

function utf16(le: boolean): Decodificador {
  return (bytes, desde) => {
    if ((bytes.length - desde) % 2) throw new XmlError('UTF-16 con un número impar de bytes', bytes.length - 1);
    try {
      return new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(desde));
    } catch {
      throw new XmlError('el archivo no es UTF-16 válido', desde);
    }
  };
}

// Encoding names as the IANA registers them (case-insensitive), the ones CFDI files use
const POR_NOMBRE: Record<string, Decodificador> = {
  'utf-8': utf8,
  utf8: utf8,
  'us-ascii': ascii,
  ascii: ascii,
  'iso-8859-1': latin1,
  'iso_8859-1': latin1,
  latin1: latin1,
  'l1': latin1,
  'windows-1252': windows1252,
  cp1252: windows1252,
};

const DECLARACION = /^<\?xml[ \t\r\n][^>]*?encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/;

/** Decodes an XML document's bytes into the text parseXml reads (the BOM, if any, left out). */
export function textoXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes, 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(true)(bytes, 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(false)(bytes, 2);
  // the declaration is ASCII in every encoding these files use: read it as Latin-1 to find the name
  const inicio = latin1(bytes.subarray(0, Math.min(bytes.length, 200)), 0);
  const nombre = DECLARACION.exec(inicio)?.[2];
  if (nombre === undefined) return utf8(bytes, 0);
  const decodificar = POR_NOMBRE[nombre.toLowerCase()];
  if (!decodificar) throw new XmlError(`codificación "${nombre}" no soportada (se leen UTF-8, UTF-16, ISO-8859-1 y Windows-1252)`, inicio.indexOf(nombre));
  return decodificar(bytes, 0);
}
