// Bytes ↔ base64 and PEM → DER, on btoa/atob (both runtimes have them; atob skips ASCII whitespace,
// so base64 wrapped over several lines decodes as it is).

/** The bytes as a binary string (one char per byte), what btoa and node-forge take. */
export function bytesToBinary(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

export function binaryToBytes(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export const toBase64 = (bytes: Uint8Array): string => btoa(bytesToBinary(bytes));

export const fromBase64 = (b64: string): Uint8Array<ArrayBuffer> => binaryToBytes(atob(b64));

/** The DER bytes of a PEM block (certificate or key): the base64 between its BEGIN and END lines. */
export const pemToDer = (pem: string): Uint8Array<ArrayBuffer> => fromBase64(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, ''));
