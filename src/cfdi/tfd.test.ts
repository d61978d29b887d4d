import { createVerify, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal, cadenaOriginalTfd } from './cadena';
import { leerCertificado, leerCsd, type Csd } from './csd';
import { parseXml } from './dom';
import { generarPdf } from './pdf';
import { leerComprobante } from './pdf-datos';
import { sellarCfdi } from './sello';
import { leerTimbre, timbrarCfdi } from './tfd';
import { verificarCfdi } from './verify';

const fixtures = path.resolve(__dirname, '../../test/fixtures');
const salida = path.resolve(__dirname, '../../test/output/cfdi');
const muestra = (n: string) => readFileSync(path.join(fixtures, 'sat/samples', n), 'utf8').replace(/<tfd:TimbreFiscalDigital[^>]*\/>/, '');
const pacCer = new Uint8Array(readFileSync(path.join(fixtures, 'pac/sandbox-pac.cer')));
const pacKeyPem = readFileSync(path.join(fixtures, 'pac/sandbox-pac.key.pem'), 'utf8');

let csd: Csd;
let llave: CryptoKey;
beforeAll(async () => {
  const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
  ({ csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: new Date('2025-06-01') }));
  const der = Buffer.from(pacKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  llave = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  mkdirSync(salida, { recursive: true });
});

const noCertificadoSAT = () => leerCertificado(pacCer).noCertificado;

async function timbrar(xml: string, leyenda?: string) {
  return timbrarCfdi(await sellarCfdi(xml, csd), {
    uuid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    fechaTimbrado: '2025-06-01T12:00:01',
    rfcProvCertif: 'SPR190613I52',
    noCertificadoSAT: noCertificadoSAT(),
    llave,
    ...(leyenda !== undefined ? { leyenda } : {}),
  });
}

describe('timbrarCfdi', () => {
  it('uses the sandbox PAC certificate number (ASCII serial, 20 digits)', () => {
    expect(noCertificadoSAT()).toBe('99999000000000000001');
  });

  it.each(['created-with-discounts-40.xml', 'created-cfdi40-pago20-valid.xml', 'cfdi40-valid.xml'])(
    'stamps %s so that SelloSAT verifies with the PAC certificate',
    async (nombre) => {
      const { xml, timbre } = await timbrar(muestra(nombre));
      expect(timbre.uuid).toBe('A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D');
      expect(leerTimbre(xml)).toEqual(timbre);
      // SelloSAT checked independently of our verifier, with node's OpenSSL
      const publica = new X509Certificate(Buffer.from(pacCer)).publicKey;
      expect(createVerify('RSA-SHA256').update(cadenaOriginalTfd(xml)).verify(publica, timbre.selloSAT, 'base64')).toBe(true);
      expect(timbre.selloCFD).toBe(/ Sello="([^"]*)"/.exec(xml)?.[1]);
      const v = await verificarCfdi(xml, { pacCertificates: [pacCer] });
      expect(v).toMatchObject({ valido: true, timbre: { selloCfdCoincide: true, selloSat: 'valido' } });
      const nombreSalida = `a-${nombre.replace(/\.xml$/, '')}-timbrado`;
      writeFileSync(path.join(salida, `${nombreSalida}.xml`), xml);
      writeFileSync(path.join(salida, `${nombreSalida}.txt`), cadenaOriginal(xml));
    },
  );

  it('reads a tree parsed once the same as the text: timbrar, verificar, leerTimbre, the printed data and the PDF', async () => {
    const sellado = await sellarCfdi(muestra('created-with-discounts-40.xml'), csd);
    const args = { uuid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', fechaTimbrado: '2025-06-01T12:00:01', rfcProvCertif: 'SPR190613I52', noCertificadoSAT: noCertificadoSAT(), llave };
    const conArbol = await timbrarCfdi(sellado, { ...args, arbol: parseXml(sellado) });
    expect(conArbol).toEqual(await timbrarCfdi(sellado, args));
    const arbol = parseXml(conArbol.xml);
    expect(await verificarCfdi(arbol, { pacCertificates: [pacCer] })).toEqual(await verificarCfdi(conArbol.xml, { pacCertificates: [pacCer] }));
    expect(leerTimbre(arbol)).toEqual(conArbol.timbre);
    expect(leerComprobante(arbol)).toEqual(leerComprobante(conArbol.xml));
    expect((await generarPdf(arbol)).length).toBeGreaterThan(1000);
  });

  it('appends the stamp at the end of an existing cfdi:Complemento', async () => {
    const { xml } = await timbrar(muestra('created-cfdi40-pago20-valid.xml'));
    expect(xml).toMatch(/<\/pago20:Pagos>\s*<tfd:TimbreFiscalDigital [^>]*\/><\/cfdi:Complemento>/);
  });

  it('creates cfdi:Complemento before the Addenda, with the document prefix', async () => {
    const base = muestra('created-with-discounts-40.xml').replace('</cfdi:Comprobante>', '<cfdi:Addenda><x:y xmlns:x="urn:x"/></cfdi:Addenda></cfdi:Comprobante>');
    const { xml } = await timbrar(base);
    expect(xml).toMatch(/<cfdi:Complemento><tfd:TimbreFiscalDigital [^>]*\/><\/cfdi:Complemento><cfdi:Addenda>/);
    expect((await verificarCfdi(xml, { pacCertificates: [pacCer] })).valido).toBe(true);
  });

  it('fills an empty <cfdi:Complemento/>', async () => {
    const base = muestra('created-with-discounts-40.xml').replace('</cfdi:Comprobante>', '<cfdi:Complemento/></cfdi:Comprobante>');
    const { xml } = await timbrar(base);
    expect(xml).toMatch(/<cfdi:Complemento><tfd:TimbreFiscalDigital [^>]*\/><\/cfdi:Complemento><\/cfdi:Comprobante>/);
  });

  it('declares the TFD namespace and schema location, and escapes the Leyenda', async () => {
    const { xml, timbre } = await timbrar(muestra('created-with-discounts-40.xml'), 'Leyenda  "A" & <B>');
    expect(xml).toContain('xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital"');
    expect(xml).toContain('xsi:schemaLocation="http://www.sat.gob.mx/TimbreFiscalDigital http://www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd"');
    expect(xml).toContain('Leyenda="Leyenda  &quot;A&quot; &amp; &lt;B&gt;"');
    expect(cadenaOriginalTfd(xml)).toContain('|Leyenda "A" & <B>|');
    expect(timbre.leyenda).toBe('Leyenda  "A" & <B>');
    expect((await verificarCfdi(xml, { pacCertificates: [pacCer] })).timbre?.selloSat).toBe('valido');
    writeFileSync(path.join(salida, 'a-leyenda-timbrado.xml'), xml);
    writeFileSync(path.join(salida, 'a-leyenda-timbrado.txt'), cadenaOriginal(xml));
  });

  it('refuses an unsealed CFDI and a CFDI already stamped', async () => {
    const args = { uuid: 'x', fechaTimbrado: 'y', rfcProvCertif: 'z', noCertificadoSAT: '1', llave };
    await expect(timbrarCfdi(muestra('created-with-discounts-40.xml').replace(/ Sello="[^"]*"/, ''), args)).rejects.toThrow(/Sello/);
    const { xml } = await timbrar(muestra('created-with-discounts-40.xml'));
    await expect(timbrarCfdi(xml, args)).rejects.toThrow(/TimbreFiscalDigital/);
  });
});

describe('leerTimbre', () => {
  it('reads a real stamp and returns null without one', () => {
    const real = readFileSync(path.join(fixtures, 'sat/samples/cfdi40-real.xml'), 'utf8');
    expect(leerTimbre(real)).toMatchObject({ version: '1.1', uuid: 'C2832671-DA6D-11EF-A83D-00155D012007', noCertificadoSAT: '00001000000708361114', rfcProvCertif: 'TBN040609RKA' });
    expect(leerTimbre(muestra('created-with-discounts-40.xml'))).toBeNull();
  });
});
