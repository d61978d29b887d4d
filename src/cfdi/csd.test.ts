import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { csdDesdePkcs8, CsdError, leerCertificado, leerCsd } from './csd';
import { firmarRsaSha256 } from './sello';

const fixtures = path.resolve(__dirname, '../../test/fixtures');
const cer = new Uint8Array(readFileSync(path.join(fixtures, 'EKU9003173C9.cer')));
const key = new Uint8Array(readFileSync(path.join(fixtures, 'EKU9003173C9.key')));
const PASSWORD = '12345678a';
const EN_VIGENCIA = new Date('2025-06-01T00:00:00Z');

/** A self-signed certificate shaped like the SAT's, for the negative cases. */
function certificado(opts: {
  rfc?: string;
  ou?: string | null;
  keyUsage?: Record<string, boolean>;
  extKeyUsage?: boolean;
  desde?: Date;
  hasta?: Date;
}): Uint8Array {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = Buffer.from('30001000000500009999').toString('hex');
  cert.validity.notBefore = opts.desde ?? new Date('2023-01-01T00:00:00Z');
  cert.validity.notAfter = opts.hasta ?? new Date('2030-01-01T00:00:00Z');
  const subject: forge.pki.CertificateField[] = [
    { shortName: 'CN', value: 'PRUEBA SA DE CV' },
    { type: '2.5.4.45', value: `${opts.rfc ?? 'EKU9003173C9'} / VADA800927DJ3` },
  ];
  if (opts.ou !== null) subject.push({ shortName: 'OU', value: opts.ou ?? 'Sucursal 1' });
  cert.setSubject(subject);
  cert.setIssuer([{ shortName: 'CN', value: 'AC de prueba' }]);
  const ext: object[] = [{ name: 'keyUsage', ...(opts.keyUsage ?? { digitalSignature: true, nonRepudiation: true }) }];
  if (opts.extKeyUsage) ext.push({ name: 'extKeyUsage', emailProtection: true, clientAuth: true });
  cert.setExtensions(ext);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), forge.md.sha256.create());
  return new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
}

async function codigo(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CsdError) return e.code;
    throw e;
  }
  return 'sin error';
}

describe('leerCertificado', () => {
  it('reads the SAT test CSD', () => {
    const c = leerCertificado(cer);
    expect(c).toMatchObject({
      rfc: 'EKU9003173C9',
      nombre: 'ESCUELA KEMPER URGATE SA DE CV',
      noCertificado: '30001000000500003416',
      esFiel: false,
    });
    expect(c.validoHasta.toISOString()).toBe('2027-05-18T11:43:51.000Z');
    expect(c.certificadoBase64).toBe(Buffer.from(cer).toString('base64'));
  });

  it('tells a FIEL apart: no OU, extra key usages, or extended key usages', () => {
    expect(leerCertificado(certificado({ ou: null })).esFiel).toBe(true);
    expect(leerCertificado(certificado({ keyUsage: { digitalSignature: true, nonRepudiation: true, dataEncipherment: true, keyAgreement: true } })).esFiel).toBe(true);
    expect(leerCertificado(certificado({ extKeyUsage: true })).esFiel).toBe(true);
    expect(leerCertificado(certificado({})).esFiel).toBe(false);
  });

  it('rejects bytes that are not a certificate', () => {
    expect(() => leerCertificado(new Uint8Array([1, 2, 3]))).toThrow(CsdError);
  });
});

describe('leerCsd', () => {
  it('opens the SAT test CSD and returns a key that signs', async () => {
    const { csd, pkcs8 } = await leerCsd(cer, key, PASSWORD, { rfcEmisor: 'eku9003173c9', ahora: EN_VIGENCIA });
    expect(csd.rfc).toBe('EKU9003173C9');
    expect(csd.noCertificado).toBe('30001000000500003416');
    // a signature made with the decrypted key verifies with the certificate's public key
    const sello = await firmarRsaSha256('||hola||', csd.privateKey);
    const pub = forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(cer).toString('binary'))).publicKey as forge.pki.rsa.PublicKey;
    const md = forge.md.sha256.create().update('||hola||', 'utf8');
    expect(pub.verify(md.digest().getBytes(), Buffer.from(sello, 'base64').toString('binary'))).toBe(true);
    expect(pkcs8[0]).toBe(0x30);
    const again = await csdDesdePkcs8(cer, pkcs8);
    expect(await firmarRsaSha256('||hola||', again.privateKey)).toBe(sello);
    expect(await codigo(csdDesdePkcs8(certificado({}), pkcs8))).toBe('csd_llave_no_corresponde');
  });

  it.each([
    ['a wrong password', () => leerCsd(cer, key, 'incorrecta', { ahora: EN_VIGENCIA }), 'csd_password_incorrecto'],
    ['another RFC', () => leerCsd(cer, key, PASSWORD, { rfcEmisor: 'AAA010101AAA', ahora: EN_VIGENCIA }), 'csd_rfc_distinto'],
    ['an expired certificate', () => leerCsd(cer, key, PASSWORD, { ahora: new Date('2027-05-19T00:00:00Z') }), 'csd_vencido'],
    ['a certificate not yet valid', () => leerCsd(cer, key, PASSWORD, { ahora: new Date('2023-05-01T00:00:00Z') }), 'csd_vencido'],
    ['a FIEL', () => leerCsd(certificado({ ou: null }), key, PASSWORD, { ahora: EN_VIGENCIA }), 'csd_es_fiel'],
    ['a key of another certificate', () => leerCsd(certificado({}), key, PASSWORD, { ahora: EN_VIGENCIA }), 'csd_llave_no_corresponde'],
    ['a .key that is not DER', () => leerCsd(cer, new Uint8Array([0x30, 0x82, 0x10]), PASSWORD, { ahora: EN_VIGENCIA }), 'csd_invalido'],
    ['a .cer that is not DER', () => leerCsd(key, key, PASSWORD, { ahora: EN_VIGENCIA }), 'csd_invalido'],
  ])('rejects %s', async (_, llamar, esperado) => {
    expect(await codigo(llamar())).toBe(esperado);
  });
});
