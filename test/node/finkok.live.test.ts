// Opt-in smoke test against Finkok's demo host (FINKOK_TEST_USER / FINKOK_TEST_PASSWORD): the answers must
// have the shapes the fake gives, so the contract tests stay honest. The demo accepts the SAT's test CSD.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fechaLocal, leerCsd, sellarCfdi } from '../../src/cfdi';
import { FinkokPac } from '../../src/pac/finkok';
import type { PacAdapter } from '../../src/pac/types';

const fixtures = path.resolve(__dirname, '../fixtures');
const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));

describe.skipIf(!process.env.FINKOK_TEST_USER)('Finkok demo (live)', () => {
  const pac = (): PacAdapter =>
    new FinkokPac({ baseUrl: 'https://demo-facturacion.finkok.com', user: process.env.FINKOK_TEST_USER ?? '', password: process.env.FINKOK_TEST_PASSWORD ?? '' });

  it('stamps, recovers the duplicate, finds it with stamped and cancels it', { timeout: 120_000 }, async () => {
    const { csd, pkcs8 } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a');
    const muestra = readFileSync(path.join(fixtures, 'sat/samples/created-with-discounts-40.xml'), 'utf8');
    const fecha = fechaLocal(new Date(Date.now() - 60_000), 'America/Mexico_City');
    const xml = await sellarCfdi(muestra.replace(/Folio="[^"]*"/, `Folio="LIVE-${Date.now()}"`).replace(/Fecha="[^"]*"/, `Fecha="${fecha}"`), csd);
    const opts = { referencia: `live_${Date.now()}`, cuenta: 'live' };
    const finkok = pac();

    const a = await finkok.timbrar(xml, opts);
    if (!a.ok) throw new Error(JSON.stringify(a));
    expect(a.recuperado).toBe(false);
    expect(await finkok.timbrar(xml, opts)).toMatchObject({ ok: true, recuperado: true, timbre: { uuid: a.timbre.uuid } });
    expect(await finkok.buscarTimbre(xml, opts)).toMatchObject({ estado: 'timbrado', timbre: { uuid: a.timbre.uuid } });

    const c = await finkok.cancelar({
      rfcEmisor: csd.rfc,
      rfcReceptor: 'COSC8001137NA',
      total: '3248.00',
      uuid: a.timbre.uuid,
      motivo: '02',
      timbradoEn: new Date().toISOString(),
      csd: { rfc: csd.rfc, certificado: leer('EKU9003173C9.cer'), pkcs8 },
      cuenta: 'live',
    });
    // right after stamping the SAT may still answer 205: transitorio, as the adapter maps it
    expect(c.ok || c.tipo === 'transitorio').toBe(true);
  });

  it('an unknown CFDI is no_timbrado for stamped, and get_pending answers a list', { timeout: 60_000 }, async () => {
    const { csd, pkcs8 } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a');
    const muestra = readFileSync(path.join(fixtures, 'sat/samples/created-with-discounts-40.xml'), 'utf8');
    const xml = await sellarCfdi(muestra.replace(/Folio="[^"]*"/, `Folio="NUNCA-${Date.now()}"`), csd);
    expect(await pac().buscarTimbre(xml, { referencia: 'x', cuenta: 'live' })).toEqual({ estado: 'no_timbrado' });
    const p = await pac().cancelacionesRecibidas({ rfcReceptor: csd.rfc, csd: { rfc: csd.rfc, certificado: leer('EKU9003173C9.cer'), pkcs8 }, cuenta: 'live' });
    expect(p.ok).toBe(true);
  });
});
