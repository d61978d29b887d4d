import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verificarCfdi } from './verify';

const fixtures = path.resolve(__dirname, '../../test/fixtures');
const muestra = (n: string) => readFileSync(path.join(fixtures, 'sat/samples', n), 'utf8');
// the real SAT stamping certificate that signed cfdi40-real.xml's SelloSAT
const satCer = new Uint8Array(readFileSync(path.join(fixtures, 'sat/00001000000708361114.cer')));
const pacCer = new Uint8Array(readFileSync(path.join(fixtures, 'pac/sandbox-pac.cer')));
const real = muestra('cfdi40-real.xml');

describe('verificarCfdi', () => {
  it('accepts a real stamped CFDI, SelloSAT included', async () => {
    expect(await verificarCfdi(real, { pacCertificates: [pacCer, satCer] })).toEqual({
      valido: true,
      sello: { valido: true, noCertificado: '00001000000510877575', rfc: 'ISD950921HE5' },
      timbre: {
        presente: true,
        selloCfdCoincide: true,
        selloSat: 'valido',
        uuid: 'C2832671-DA6D-11EF-A83D-00155D012007',
        fechaTimbrado: '2025-01-24T10:10:42',
        rfcProvCertif: 'TBN040609RKA',
        noCertificadoSAT: '00001000000708361114',
      },
      errores: [],
    });
  });

  it.each(['cfdi40-valid.xml', 'created-cfdi40-pago20-valid.xml', 'created-with-discounts-40.xml'])('accepts %s', async (n) => {
    expect((await verificarCfdi(muestra(n))).valido).toBe(true);
  });

  it('cannot judge SelloSAT without the PAC certificate, and does not call that invalid', async () => {
    const v = await verificarCfdi(real);
    expect(v.valido).toBe(true);
    expect(v.timbre?.selloSat).toBe('certificado_desconocido');
  });

  it('detects a changed amount', async () => {
    const v = await verificarCfdi(real.replace('Total="1000.00"', 'Total="1001.00"'));
    expect(v.valido).toBe(false);
    expect(v.sello.motivo).toMatch(/no corresponde a la cadena/);
  });

  it('ignores changes outside the cadena (formatting, the Addenda)', async () => {
    const v = await verificarCfdi(real.replace('</cfdi:Comprobante>', '<cfdi:Addenda><a xmlns="urn:a">x</a></cfdi:Addenda>\n</cfdi:Comprobante>'));
    expect(v.valido).toBe(true);
  });

  it('detects a NoCertificado that is not the certificate’s', async () => {
    const v = await verificarCfdi(real.replace('NoCertificado="00001000000510877575"', 'NoCertificado="00001000000510877576"'));
    expect(v.sello).toMatchObject({ valido: false, motivo: expect.stringMatching(/NoCertificado/) });
  });

  it('detects a certificate that is not the emisor’s', async () => {
    const v = await verificarCfdi(real.replace('Rfc="ISD950921HE5"', 'Rfc="EKU9003173C9"'));
    expect(v.sello).toMatchObject({ valido: false, motivo: expect.stringMatching(/no del emisor EKU9003173C9/) });
  });

  it('detects a stamp whose SelloCFD is not the Sello', async () => {
    const v = await verificarCfdi(real.replace('SelloCFD="WZzQ', 'SelloCFD="XZzQ'), { pacCertificates: [satCer] });
    expect(v.valido).toBe(false);
    expect(v.timbre?.selloCfdCoincide).toBe(false);
    expect(v.timbre?.selloSat).toBe('invalido'); // SelloCFD is inside the TFD cadena too
  });

  it('detects a forged SelloSAT', async () => {
    const forged = real.replace(/SelloSAT="./, (m) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A'));
    const v = await verificarCfdi(forged, { pacCertificates: [satCer] });
    expect(v.timbre?.selloSat).toBe('invalido');
    expect(v.errores).toEqual(['TimbreFiscalDigital: SelloSAT no verifica con el certificado del PAC']);
  });

  it('reports unsealed, malformed and non-CFDI documents', async () => {
    expect((await verificarCfdi(real.replace(/ Sello="[^"]*"/, ''))).sello.motivo).toBe('El comprobante no tiene Sello');
    expect(await verificarCfdi('<cfdi:Comprobante')).toMatchObject({ valido: false, timbre: null });
    expect((await verificarCfdi('<a/>')).errores[0]).toMatch(/no es un cfdi:Comprobante/);
  });
});
