// XML-DSig enveloped signatures for the SAT's cancellation documents (Cancelacion, SolicitudAceptacionRechazo),
// signed with the issuer's CSD so the key never leaves HexaFac. The form is the one phpcfdi/xml-cancelacion
// builds and the SAT accepts through the PACs: root in http://cancelacfd.sat.gob.mx declaring xsd and xsi,
// Signature as its last child with inclusive C14N 1.0 (REC-xml-c14n-20010315), RSA-SHA1, one Reference
// URI="" with the enveloped-signature transform and a SHA-1 digest, KeyInfo carrying the certificate.
//
// Canonicalization by construction: we write the document ourselves, already canonical (no XML declaration
// inside the signed bytes, namespace declarations first — default, then by prefix —, attributes sorted by
// name, no empty-element tags, C14N escaping, no whitespace between elements). So the document without its
// Signature is its own C14N, and SignedInfo's C14N is its text plus the namespaces in scope there (the
// Signature's default one and the root's xsd/xsi, which inclusive C14N carries onto the subset's apex).
import { toBase64 } from '../cfdi';
import type { CsdPac } from './types';

export const NS_CANCELACION = 'http://cancelacfd.sat.gob.mx';
const NS_DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const NS_EXTRA = ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const SHA1 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } as const;
const encoder = new TextEncoder();

const ESCAPE_ATRIBUTO: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
const ESCAPE_TEXTO: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/** Text content escaped as C14N writes it. */
export const texto = (v: string): string => v.replace(/[&<>\r]/g, (c) => ESCAPE_TEXTO[c]);

/**
 * An element in canonical form: unprefixed attributes sorted by name (undefined ones left out), start and
 * end tag even when empty. `xmlns` goes first, as C14N orders namespace declarations before attributes.
 */
export function elemento(nombre: string, atributos: Record<string, string | undefined>, contenido = '', xmlns = ''): string {
  const attrs = Object.keys(atributos)
    .filter((k) => atributos[k] !== undefined)
    .sort()
    .map((k) => ` ${k}="${(atributos[k] as string).replace(/[&<"\t\n\r]/g, (c) => ESCAPE_ATRIBUTO[c])}"`)
    .join('');
  return `<${nombre}${xmlns}${attrs}>${contenido}</${nombre}>`;
}

async function sha1Base64(s: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.digest('SHA-1', encoder.encode(s))));
}

function signedInfo(digest: string): string {
  const algoritmo = (nombre: string, uri: string) => elemento(nombre, { Algorithm: uri });
  return (
    algoritmo('CanonicalizationMethod', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315') +
    algoritmo('SignatureMethod', `${NS_DSIG}rsa-sha1`) +
    elemento(
      'Reference',
      { URI: '' },
      elemento('Transforms', {}, algoritmo('Transform', `${NS_DSIG}enveloped-signature`)) +
        algoritmo('DigestMethod', `${NS_DSIG}sha1`) +
        elemento('DigestValue', {}, digest),
    )
  );
}

export interface DocumentoFirmado {
  xml: string;
  /** The exact bytes signed (SignedInfo in C14N), for verification in tests. */
  signedInfoCanonico: string;
}

/**
 * Signs `raiz` (local name) with attributes and canonical content in the cancellation namespace, the
 * Signature enveloped as its last child. The key is the CSD's unencrypted PKCS#8, imported for RSA-SHA1.
 */
export async function firmarEnvuelto(
  raiz: string,
  atributos: Record<string, string | undefined>,
  contenido: string,
  csd: CsdPac,
): Promise<DocumentoFirmado> {
  const xmlns = ` xmlns="${NS_CANCELACION}"${NS_EXTRA}`;
  const digest = await sha1Base64(elemento(raiz, atributos, contenido, xmlns));
  const info = signedInfo(digest);
  const signedInfoCanonico = elemento('SignedInfo', {}, info, ` xmlns="${NS_DSIG}"${NS_EXTRA}`);
  const llave = await crypto.subtle.importKey('pkcs8', csd.pkcs8, SHA1, false, ['sign']);
  const firma = toBase64(new Uint8Array(await crypto.subtle.sign(SHA1, llave, encoder.encode(signedInfoCanonico))));
  const signature = elemento(
    'Signature',
    {},
    elemento('SignedInfo', {}, info) +
      elemento('SignatureValue', {}, firma) +
      elemento('KeyInfo', {}, elemento('X509Data', {}, elemento('X509Certificate', {}, toBase64(csd.certificado)))),
    ` xmlns="${NS_DSIG}"`,
  );
  return { xml: `<?xml version="1.0" encoding="UTF-8"?>${elemento(raiz, atributos, contenido + signature, xmlns)}`, signedInfoCanonico };
}
