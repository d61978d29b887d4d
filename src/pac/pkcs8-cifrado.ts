// A PKCS#8 private key encrypted as the SAT issues the .key file: DER EncryptedPrivateKeyInfo under PBES2
// (RFC 8018). SW's cancellation and answer services take the .key plus its password, and HexaFac holds the
// key unencrypted, so every request gets a fresh random password. WebCrypto only: PBKDF2-HMAC-SHA256 and
// AES-256-CBC (the SAT's own files use 3DES, which WebCrypto lacks; PBES2 names the algorithms it uses).

import { toBase64 } from '../cfdi';

export interface Pkcs8Cifrada {
  /** DER EncryptedPrivateKeyInfo */
  der: Uint8Array;
  password: string;
}

// The password is 192 random bits, so the iteration count guards nothing; OpenSSL's default keeps it ordinary.
const ITERACIONES = 2048;

const OID_PBES2 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d]; // 1.2.840.113549.1.5.13
const OID_PBKDF2 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c]; // 1.2.840.113549.1.5.12
const OID_HMAC_SHA256 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09]; // 1.2.840.113549.2.9
const OID_AES256_CBC = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a]; // 2.16.840.1.101.3.4.1.42

/** One DER TLV; lengths in short form below 128, long form above. */
function tlv(tag: number, contenido: ArrayLike<number>): Uint8Array {
  const n = contenido.length;
  const largo: number[] = [];
  if (n < 0x80) largo.push(n);
  else {
    for (let r = n; r > 0; r >>= 8) largo.unshift(r & 0xff);
    largo.unshift(0x80 | largo.length);
  }
  const out = new Uint8Array(1 + largo.length + n);
  out[0] = tag;
  out.set(largo, 1);
  out.set(Array.from(contenido), 1 + largo.length);
  return out;
}

const concatenar = (...partes: Uint8Array[]) => {
  const out = new Uint8Array(partes.reduce((s, p) => s + p.length, 0));
  let i = 0;
  for (const p of partes) {
    out.set(p, i);
    i += p.length;
  }
  return out;
};
const secuencia = (...partes: Uint8Array[]) => tlv(0x30, concatenar(...partes));
const oid = (bytes: number[]) => tlv(0x06, bytes);
const octetos = (b: Uint8Array) => tlv(0x04, b);
// positive and below 0x8000, as ITERACIONES is
const entero = (v: number) => tlv(0x02, v < 0x80 ? [v] : [v >> 8, v & 0xff]);
const NULO = new Uint8Array([0x05, 0x00]);

export async function cifrarPkcs8(pkcs8: Uint8Array): Promise<Pkcs8Cifrada> {
  const aleatorio = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  // base64url of random bytes: ASCII, so every client reads the same password bytes
  const password = toBase64(aleatorio(24)).replace(/\+/g, '-').replace(/\//g, '_');
  const salt = aleatorio(16);
  const iv = aleatorio(16);
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
  const clave = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt, iterations: ITERACIONES, hash: 'SHA-256' },
    base,
    { name: 'AES-CBC', length: 256 },
    false,
    ['encrypt'],
  );
  // AES-CBC in WebCrypto pads with PKCS#7, as PBES2 requires
  const cifrado = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, clave, pkcs8));
  const der = secuencia(
    secuencia(
      oid(OID_PBES2),
      secuencia(
        secuencia(oid(OID_PBKDF2), secuencia(octetos(salt), entero(ITERACIONES), secuencia(oid(OID_HMAC_SHA256), NULO))),
        secuencia(oid(OID_AES256_CBC), octetos(iv)),
      ),
    ),
    octetos(cifrado),
  );
  return { der, password };
}
