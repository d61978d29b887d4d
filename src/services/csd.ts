import { eq } from 'drizzle-orm';
import type { CsdPac } from '../pac/types';
import { CsdError, type CsdErrorCode, csdDesdePkcs8, leerCsd, type Csd } from '../cfdi';
import { clientApplications } from '../db/schema';
import type { Deps } from '../deps';
import { decryptSecret, encryptSecret, fromBase64 } from '../lib/crypto';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { cargarAplicacion, type Aplicacion } from './comprobantes';

// The issuer's Certificado de Sello Digital: checked when it is uploaded (a CSD, not a FIEL, of the
// application's RFC, vigente, the key its own, the password right), the private key kept re-encrypted
// with AES-GCM under the master key. The SAT password is used once here and never stored nor logged.

export interface ArchivosCsd {
  cer?: Uint8Array;
  key?: Uint8Array;
  password: string;
}

// A .cer or .key is a few KB; anything this size is the wrong file.
const MAX_FILE_BYTES = 64 * 1024;

// Which file each check of the fiscal core points at, so the message sits next to what must change.
const CAMPO: Record<CsdErrorCode, keyof ArchivosCsd> = {
  csd_invalido: 'cer',
  csd_es_fiel: 'cer',
  csd_rfc_distinto: 'cer',
  csd_vencido: 'cer',
  csd_llave_no_corresponde: 'key',
  csd_password_incorrecto: 'password',
};

const MENSAJE: Partial<Record<CsdErrorCode, (app: Aplicacion, detalle: string) => string>> = {
  csd_es_fiel: () => 'Este certificado es una e.firma (FIEL). Sube el Certificado de Sello Digital (CSD), no la FIEL.',
  csd_rfc_distinto: (app, detalle) => `${detalle}. El CSD debe ser del RFC del emisor (${app.rfc}).`,
  csd_vencido: (_app, detalle) => `${detalle}. Tramita un CSD vigente en el SAT.`,
  csd_llave_no_corresponde: () => 'Esta llave privada no corresponde al certificado: sube el .key que se generó junto con este .cer.',
  csd_password_incorrecto: () => 'La contraseña no abre la llave privada.',
};

function faltantes(a: ArchivosCsd): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!a.cer?.length) out.push({ path: 'cer', message: 'Elige el archivo .cer del CSD.' });
  else if (a.cer.length > MAX_FILE_BYTES) out.push({ path: 'cer', message: 'El archivo es demasiado grande para ser un certificado.' });
  if (!a.key?.length) out.push({ path: 'key', message: 'Elige el archivo .key del CSD.' });
  else if (a.key.length > MAX_FILE_BYTES) out.push({ path: 'key', message: 'El archivo es demasiado grande para ser una llave privada.' });
  if (!a.password) out.push({ path: 'password', message: 'Escribe la contraseña de la llave privada.' });
  return out;
}

const invalido = (details: ErrorDetail[]) => DomainError.validation(details, 'El CSD no es válido.');

/** Checks and stores (or replaces) the application's CSD; returns the application with it. */
export async function guardarCsd(deps: Pick<Deps, 'db' | 'd1' | 'clock' | 'masterKey'>, applicationId: string, a: ArchivosCsd): Promise<Aplicacion> {
  const app = await cargarAplicacion(deps, { applicationId });
  const falta = faltantes(a);
  if (falta.length) throw invalido(falta);
  let leido: Awaited<ReturnType<typeof leerCsd>>;
  try {
    leido = await leerCsd(a.cer!, a.key!, a.password, { rfcEmisor: app.rfc, ahora: deps.clock() });
  } catch (e) {
    if (!(e instanceof CsdError)) throw e;
    // A key file that is not a PKCS#8 key is the .key's problem, not the certificate's.
    const path = e.code === 'csd_invalido' && /\.key|llave/i.test(e.message) ? 'key' : CAMPO[e.code];
    throw invalido([{ path, message: MENSAJE[e.code]?.(app, e.message) ?? `${e.message}.`, code: e.code }]);
  }
  const { csd, pkcs8 } = leido;
  const fila = await deps.db
    .update(clientApplications)
    .set({
      csd_certificado: csd.certificadoBase64,
      csd_no_certificado: csd.noCertificado,
      csd_valido_hasta: csd.validoHasta.toISOString(),
      csd_llave_cifrada: await encryptSecret(deps.masterKey, new Uint8Array(pkcs8)),
      updated_at: deps.clock().toISOString(),
    })
    .where(eq(clientApplications.id, app.id))
    .returning()
    .get();
  if (!fila) throw DomainError.notFound('La aplicación');
  return fila;
}

// The issuer's CSD, decrypted and imported once per isolate and certificate.
const cache = new Map<string, Promise<Csd>>();

export function csdDeAplicacion(masterKey: string, app: Aplicacion): Promise<Csd> | null {
  if (!app.csd_certificado || !app.csd_llave_cifrada || !app.csd_no_certificado) return null;
  const key = `${app.id}:${app.csd_no_certificado}`;
  let csd = cache.get(key);
  if (!csd) {
    csd = decryptSecret(masterKey, app.csd_llave_cifrada).then((pkcs8) => csdDesdePkcs8(fromBase64(app.csd_certificado!), pkcs8));
    csd.catch(() => cache.delete(key));
    cache.set(key, csd);
  }
  return csd;
}

/** The CSD as a PAC needs it to sign a cancellation or a receptor's answer: HexaFac signs, the PAC keeps no copy. */
export async function csdParaPac(masterKey: string, app: Aplicacion): Promise<CsdPac | null> {
  if (!app.csd_certificado || !app.csd_llave_cifrada) return null;
  return { rfc: app.rfc, certificado: fromBase64(app.csd_certificado), pkcs8: await decryptSecret(masterKey, app.csd_llave_cifrada) };
}
