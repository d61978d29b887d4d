// Certificado de Sello Digital (CSD): reads the SAT .cer (DER X.509) and .key (DER PKCS#8
// EncryptedPrivateKeyInfo, PBES2 + PBKDF2-SHA1 + des-ede3-cbc as the SAT issues them).
// node-forge does the ASN.1 and the 3DES decryption (Web Crypto has no 3DES); the decrypted key then
// lives in Web Crypto as a non-extractable RSASSA-PKCS1-v1_5/SHA-256 CryptoKey.
import forge from 'node-forge';
import { binaryToBytes, bytesToBinary, toBase64 } from './base64';

export interface CertificadoSat {
  rfc: string;
  nombre: string;
  noCertificado: string;
  certificadoBase64: string;
  validoDesde: Date;
  validoHasta: Date;
  esFiel: boolean;
}

/** A CSD ready to seal: its certificate's data and the decrypted key, imported once into Web Crypto. */
export interface Csd extends Omit<CertificadoSat, 'esFiel'> {
  privateKey: CryptoKey;
}

export type CsdErrorCode =
  | 'csd_invalido'
  | 'csd_es_fiel'
  | 'csd_rfc_distinto'
  | 'csd_vencido'
  | 'csd_llave_no_corresponde'
  | 'csd_password_incorrecto';

export class CsdError extends Error {
  constructor(
    readonly code: CsdErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CsdError';
  }
}

const OID_X500_UNIQUE_IDENTIFIER = '2.5.4.45'; // "RFC / RFC del representante legal"
const OID_CN = '2.5.4.3';
const OID_NAME = '2.5.4.41';
const OID_O = '2.5.4.10';
const OID_OU = '2.5.4.11';
const SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

function subjectField(cert: forge.pki.Certificate, oid: string): string {
  const a = cert.subject.attributes.find((x) => x.type === oid);
  return typeof a?.value === 'string' ? a.value.trim() : '';
}

/** The SAT encodes the certificate number as ASCII digits inside the serial: hex 3330... → "30...". */
function noCertificadoDeSerie(serialHex: string): string {
  const hex = serialHex.length % 2 ? '0' + serialHex : serialHex;
  let s = '';
  for (let i = 0; i < hex.length; i += 2) s += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return /^[0-9]+$/.test(s) ? s : serialHex.toUpperCase();
}

/**
 * FIEL (e.firma) vs CSD. The rule of phpcfdi/credentials and @nodecfdi/credentials is that only a CSD has
 * a subject OU (the branch, "sucursal"); in addition, a CSD's keyUsage is exactly digitalSignature +
 * nonRepudiation, while a FIEL adds dataEncipherment/keyAgreement (and extended key usages for
 * e-mail protection / client auth). We call it FIEL when either signal says so.
 */
function esFiel(cert: forge.pki.Certificate): boolean {
  if (!subjectField(cert, OID_OU)) return true;
  const ku = cert.getExtension('keyUsage') as Record<string, unknown> | null;
  if (ku && (ku.keyEncipherment || ku.dataEncipherment || ku.keyAgreement || ku.keyCertSign || ku.cRLSign)) return true;
  return cert.getExtension('extKeyUsage') !== null;
}

function parseCertificado(cer: Uint8Array): forge.pki.Certificate {
  try {
    return forge.pki.certificateFromAsn1(forge.asn1.fromDer(bytesToBinary(cer)));
  } catch (e) {
    throw new CsdError('csd_invalido', `El archivo .cer no es un certificado X.509 DER válido: ${(e as Error).message}`);
  }
}

function datosCertificado(cert: forge.pki.Certificate, cer: Uint8Array): CertificadoSat {
  const rfc = subjectField(cert, OID_X500_UNIQUE_IDENTIFIER).split('/')[0].trim().toUpperCase();
  return {
    rfc,
    nombre: subjectField(cert, OID_CN) || subjectField(cert, OID_NAME) || subjectField(cert, OID_O),
    noCertificado: noCertificadoDeSerie(cert.serialNumber),
    certificadoBase64: toBase64(cer),
    validoDesde: cert.validity.notBefore,
    validoHasta: cert.validity.notAfter,
    esFiel: esFiel(cert),
  };
}

// Every stamp and every verification reads the certificate the CFDI carries, and forge's X.509 parse costs
// milliseconds: each certificate (there are few, one per issuer) is read once per isolate.
interface Leido {
  cert: forge.pki.Certificate;
  datos: CertificadoSat;
  llave?: Promise<CryptoKey>;
}
const leidos = new Map<string, Leido>();
const MAX_LEIDOS = 1000;

function leido(cer: Uint8Array): Leido {
  const clave = bytesToBinary(cer);
  let l = leidos.get(clave);
  if (!l) {
    const cert = parseCertificado(cer);
    l = { cert, datos: datosCertificado(cert, cer) };
    if (leidos.size >= MAX_LEIDOS) leidos.clear();
    leidos.set(clave, l);
  }
  return l;
}

/** Reads a SAT certificate (.cer, DER X.509): RFC, name, NoCertificado, validity and whether it is a FIEL. */
export function leerCertificado(cer: Uint8Array): CertificadoSat {
  return leido(cer).datos;
}

/** The certificate's public key as a Web Crypto key that verifies RSA-SHA256 signatures. */
export function llavePublica(cer: Uint8Array): Promise<CryptoKey> {
  const l = leido(cer);
  l.llave ??= crypto.subtle.importKey('spki', binaryToBytes(forge.asn1.toDer(forge.pki.publicKeyToAsn1(l.cert.publicKey)).getBytes()), SIGNING, false, ['verify']);
  return l.llave;
}

async function importarLlave(pkcs8: Uint8Array): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8, SIGNING, false, ['sign']);
  } catch (e) {
    throw new CsdError('csd_invalido', `La llave privada no es una llave RSA PKCS#8 válida: ${(e as Error).message}`);
  }
}

function esEncryptedPrivateKeyInfo(asn1: forge.asn1.Asn1): boolean {
  const v = asn1.value;
  return (
    asn1.type === forge.asn1.Type.SEQUENCE &&
    Array.isArray(v) &&
    v.length === 2 &&
    v[0].type === forge.asn1.Type.SEQUENCE &&
    v[1].type === forge.asn1.Type.OCTETSTRING
  );
}

function descifrarLlave(key: Uint8Array, password: string): forge.asn1.Asn1 {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(bytesToBinary(key));
  } catch (e) {
    throw new CsdError('csd_invalido', `El archivo .key no es DER válido: ${(e as Error).message}`);
  }
  if (!esEncryptedPrivateKeyInfo(asn1)) {
    throw new CsdError('csd_invalido', 'El archivo .key no es una llave PKCS#8 cifrada como las emite el SAT');
  }
  let info: forge.asn1.Asn1 | null = null;
  try {
    info = forge.pki.decryptPrivateKeyInfo(asn1, password);
  } catch {
    // a wrong password usually yields bad padding (null) but sometimes garbage that fails to parse
  }
  if (!info) throw new CsdError('csd_password_incorrecto', 'La contraseña de la llave privada es incorrecta');
  return info;
}

/** The key must be RSA and have the certificate's modulus. */
function comprobarPar(cert: forge.pki.Certificate, privateKeyInfo: forge.asn1.Asn1): void {
  let privada: forge.pki.rsa.PrivateKey;
  try {
    privada = forge.pki.privateKeyFromAsn1(privateKeyInfo) as forge.pki.rsa.PrivateKey;
  } catch (e) {
    throw new CsdError('csd_invalido', `La llave privada no es RSA: ${(e as Error).message}`);
  }
  const publica = cert.publicKey as forge.pki.rsa.PublicKey;
  if (!publica.n || privada.n.compareTo(publica.n) !== 0) {
    throw new CsdError('csd_llave_no_corresponde', 'La llave privada no corresponde al certificado');
  }
}

/**
 * Reads and checks a CSD: it must be a CSD (not a FIEL), belong to opts.rfcEmisor when given, be valid at
 * opts.ahora (default now), the password must open the key and the key must match the certificate.
 * Returns the Csd and the decrypted PKCS#8 DER (to be stored re-encrypted; the SAT password is not kept).
 */
export async function leerCsd(
  cer: Uint8Array,
  key: Uint8Array,
  password: string,
  opts: { rfcEmisor?: string; ahora?: Date } = {},
): Promise<{ csd: Csd; pkcs8: Uint8Array }> {
  const cert = parseCertificado(cer);
  const datos = datosCertificado(cert, cer);
  if (datos.esFiel) {
    throw new CsdError('csd_es_fiel', 'El certificado es una e.firma (FIEL), no un Certificado de Sello Digital');
  }
  if (!datos.rfc) throw new CsdError('csd_invalido', 'El certificado no indica un RFC (x500UniqueIdentifier)');
  if (opts.rfcEmisor && opts.rfcEmisor.trim().toUpperCase() !== datos.rfc) {
    throw new CsdError('csd_rfc_distinto', `El CSD es del RFC ${datos.rfc}, no de ${opts.rfcEmisor}`);
  }
  const ahora = opts.ahora ?? new Date();
  if (ahora < datos.validoDesde || ahora > datos.validoHasta) {
    throw new CsdError(
      'csd_vencido',
      `El CSD no está vigente (${datos.validoDesde.toISOString()} a ${datos.validoHasta.toISOString()})`,
    );
  }
  const info = descifrarLlave(key, password);
  comprobarPar(cert, info);
  const pkcs8 = binaryToBytes(forge.asn1.toDer(info).getBytes());
  const { esFiel: _, ...campos } = datos;
  return { csd: { ...campos, privateKey: await importarLlave(pkcs8) }, pkcs8 };
}

/**
 * Rebuilds a Csd from the certificate and the decrypted PKCS#8 key kept by the API (checked by leerCsd
 * when it was loaded; here only that the pair still matches). Callers cache the result.
 */
export async function csdDesdePkcs8(cer: Uint8Array, pkcs8: Uint8Array): Promise<Csd> {
  const cert = parseCertificado(cer);
  let info: forge.asn1.Asn1;
  try {
    info = forge.asn1.fromDer(bytesToBinary(pkcs8));
  } catch (e) {
    throw new CsdError('csd_invalido', `La llave privada no es DER válido: ${(e as Error).message}`);
  }
  comprobarPar(cert, info);
  const { esFiel: _, ...campos } = datosCertificado(cert, cer);
  return { ...campos, privateKey: await importarLlave(pkcs8) };
}
