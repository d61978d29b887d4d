import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import forge from 'node-forge';
import { prepararComprobante } from '../src/cfdi';
import { getDb } from '../src/db/client';
import { clientApplications, recibos } from '../src/db/schema';
import { depsDe } from '../src/deps';
import { encryptSecret } from '../src/lib/crypto';
import { uuidv7 } from '../src/lib/ids';
import type { Mode } from '../src/lib/mode';

// Test support of the factura global's suites: recibos straight into D1 (as a point of sale leaves them) and a
// persona física CSD for régimen 621, which the SAT's public test CSDs (personas morales) cannot seal for.

export const IVA16 = { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] };
export const IVA0 = { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.000000' }] };

export const linea = (valor: string, impuestos: unknown = IVA16, over: Record<string, unknown> = {}) => ({
  clave_prod_serv: '50192100',
  cantidad: '1',
  clave_unidad: 'H87',
  descripcion: 'Torta de jamón',
  valor_unitario: valor,
  objeto_imp: '02',
  impuestos,
  ...over,
});

const EMISOR = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };

/** A vigente recibo of `applicationId` with its amounts as the fiscal core computes them. */
export async function insertarRecibo(
  applicationId: string,
  r: { fecha: string; forma_pago?: string; conceptos?: unknown[]; mode?: Mode; moneda?: string },
): Promise<typeof recibos.$inferSelect> {
  const conceptos = r.conceptos ?? [linea('100.00')];
  const prep = prepararComprobante(
    { receptor: { rfc: 'XAXX010101000', nombre: 'PUBLICO EN GENERAL', domicilio_fiscal: '42501', regimen_fiscal: '616', uso_cfdi: 'S01' }, conceptos, forma_pago: '01', metodo_pago: 'PUE', informacion_global: { periodicidad: '04', meses: '01', año: 2026 } },
    EMISOR,
    { tipo: 'I' },
  );
  if (!prep.ok) throw new Error(JSON.stringify(prep.errors));
  const c = prep.comprobante;
  const id = uuidv7();
  const [fila] = await getDb(env)
    .insert(recibos)
    .values({
      id,
      client_application_id: applicationId,
      mode: r.mode ?? 'test',
      status: 'vigente',
      folio: `T-${id.slice(-10)}`,
      clave: `clave-${id}`,
      fecha: r.fecha,
      forma_pago: r.forma_pago ?? '01',
      moneda: r.moneda ?? 'MXN',
      datos: { conceptos },
      subtotal: c.subTotal,
      descuento: c.descuento ?? null,
      total_impuestos_trasladados: c.impuestos?.totalImpuestosTrasladados ?? null,
      total: c.total,
      vigente_hasta: '2099-01-01T00:00:00.000Z',
    })
    .returning();
  return fila!;
}

/**
 * A self-signed CSD of a persona física (CACX7605101P8, one of the SAT's test RFCs) loaded into the application:
 * shaped like the SAT's (RFC in x500UniqueIdentifier, 20-digit serial), valid today. No chain is checked anywhere
 * (the oracle verifies the sello with the certificate in the XML), so a fictitious issuer is enough.
 */
export async function cargarCsdPersonaFisica(applicationId: string): Promise<void> {
  const par = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey('pkcs8', par.privateKey)) as ArrayBuffer);
  const spki = new Uint8Array((await crypto.subtle.exportKey('spki', par.publicKey)) as ArrayBuffer);
  const binario = (b: Uint8Array) => String.fromCharCode(...b);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(binario(spki)));
  const noCertificado = '30001000000500001234';
  cert.serialNumber = [...noCertificado].map((ch) => ch.charCodeAt(0).toString(16)).join('');
  const hoy = new Date();
  cert.validity.notBefore = new Date(hoy.getTime() - 86_400_000);
  cert.validity.notAfter = new Date(hoy.getTime() + 365 * 86_400_000);
  cert.setSubject([
    { shortName: 'CN', value: 'XOCHILT CASAS CHAVEZ' },
    { type: '2.5.4.45', value: 'CACX7605101P8' },
    { shortName: 'OU', value: 'Prueba HexaFac (ficticio)' },
  ]);
  cert.setIssuer([{ shortName: 'CN', value: 'AC de prueba HexaFac (ficticia)' }]);
  cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
  cert.sign(forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(binario(pkcs8))) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  await getDb(env)
    .update(clientApplications)
    .set({
      csd_certificado: btoa(der),
      csd_no_certificado: noCertificado,
      csd_valido_hasta: cert.validity.notAfter.toISOString(),
      csd_llave_cifrada: await encryptSecret(depsDe(env).masterKey, pkcs8),
    })
    .where(eq(clientApplications.id, applicationId));
}
