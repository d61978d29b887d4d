// Key pair and self-signed certificate for the sandbox PAC's TimbreFiscalDigital (SelloSAT).
// Clearly fictitious: no CFDI stamped with it is valid before the SAT. `npm start` calls
// generarCertificadoPacSandbox() for a fresh local pair; the committed test fixture
// (test/fixtures/pac/) was made with:  npx tsx scripts/sandbox-pac-cert.ts test/fixtures/pac 99999000000000000001
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';

export interface CertificadoPacSandbox {
  certDer: Uint8Array;
  certPem: string;
  keyPem: string;
  noCertificado: string;
}

/** The SAT writes the 20-digit certificate number as the ASCII bytes of the serial; so do we. */
function serialAscii(noCertificado: string): string {
  return Buffer.from(noCertificado, 'ascii').toString('hex');
}

export async function generarCertificadoPacSandbox(
  noCertificado = '99999' + String(randomInt(0, 1e9)).padStart(9, '0') + String(randomInt(0, 1e6)).padStart(6, '0'),
): Promise<CertificadoPacSandbox> {
  if (!/^[0-9]{20}$/.test(noCertificado)) throw new Error('noCertificado debe tener 20 dígitos');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = serialAscii(noCertificado);
  const desde = new Date();
  desde.setUTCHours(0, 0, 0, 0);
  const hasta = new Date(desde);
  hasta.setUTCFullYear(hasta.getUTCFullYear() + 10);
  cert.validity.notBefore = desde;
  cert.validity.notAfter = hasta;
  const nombre = [
    { shortName: 'CN', value: 'HexaFac Sandbox PAC (no valido ante el SAT)' },
    { shortName: 'O', value: 'HexaFac Sandbox - certificado ficticio de pruebas' },
    { shortName: 'C', value: 'MX' },
  ];
  cert.setSubject(nombre);
  cert.setIssuer(nombre);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const certDer = new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
  return { certDer, certPem: forge.pki.certificateToPem(cert), keyPem, noCertificado };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir = 'test/fixtures/pac', numero] = process.argv.slice(2);
  const c = await generarCertificadoPacSandbox(numero);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'sandbox-pac.cer'), c.certDer);
  writeFileSync(path.join(dir, 'sandbox-pac.cer.pem'), c.certPem);
  writeFileSync(path.join(dir, 'sandbox-pac.key.pem'), c.keyPem);
  console.log(`NoCertificado ${c.noCertificado} → ${dir}/sandbox-pac.{cer,cer.pem,key.pem}`);
}
