// Opt-in smoke test against SW's test environment (SW_TEST_USER, SW_TEST_PASSWORD): the same calls against
// services.test.sw.com.mx and against the fake, comparing what matters to the adapter in each answer: the
// HTTP status and the keys of the body and of its `data`. A difference means the fake (and its fixtures)
// no longer answers as SW does.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fechaLocal, leerCertificado, leerCsd, sellarCfdi } from '../../src/cfdi';
import { SwSapienPac } from '../../src/pac/sw-sapien';
import type { CsdPac } from '../../src/pac/types';
import { FakeSwSapien } from './fake-sw-sapien';

const URL_PRUEBAS = 'https://services.test.sw.com.mx';
const fixtures = path.resolve(__dirname, '../fixtures');
const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));

interface Forma {
  ruta: string;
  status: number;
  claves: string[];
  clavesData: string[];
}

/** A fetch that notes the shape of every answer. */
function anotador(formas: Forma[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const texto = await res.clone().text();
    let cuerpo: Record<string, unknown> = {};
    try {
      cuerpo = JSON.parse(texto);
    } catch {
      // not JSON: no keys
    }
    const data = cuerpo?.data && typeof cuerpo.data === 'object' ? Object.keys(cuerpo.data as object) : [];
    const ruta = new URL(String(input instanceof Request ? input.url : input)).pathname.replace(/[0-9a-f-]{36}/gi, '{uuid}').replace(/[A-Z&Ñ]{3,4}\d{6}[A-Z0-9]{3}/g, '{rfc}');
    formas.push({ ruta, status: res.status, claves: Object.keys(cuerpo ?? {}).sort(), clavesData: data.sort() });
    return res;
  };
}

/** FechaTimbrado-style local time in central Mexico, a minute ago (SW refuses Fechas in the future). */
const fechaMexicoReciente = () => fechaLocal(new Date(Date.now() - 60_000), 'America/Mexico_City');

describe.skipIf(!process.env.SW_TEST_USER)('SW Sapien test environment answers as the fake does', () => {
  it('stamp, duplicate, cancellation and inbox have the same answer shapes', { timeout: 120_000 }, async () => {
    const { csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a');
    const pkcs8 = createPrivateKey({ key: Buffer.from(leer('EKU9003173C9.key')), format: 'der', type: 'pkcs8', passphrase: '12345678a' });
    const csdPac: CsdPac = { rfc: 'EKU9003173C9', certificado: leer('EKU9003173C9.cer'), pkcs8: new Uint8Array(pkcs8.export({ format: 'der', type: 'pkcs8' })) };
    const muestra = readFileSync(path.join(fixtures, 'sat/samples/created-with-discounts-40.xml'), 'utf8');
    const pem = readFileSync(path.join(fixtures, 'pac/sandbox-pac.key.pem'), 'utf8');
    const llave = await crypto.subtle.importKey('pkcs8', Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    const user = process.env.SW_TEST_USER!;
    const password = process.env.SW_TEST_PASSWORD ?? '';
    const fake = await FakeSwSapien.iniciar({ user, password, llave, noCertificadoSAT: leerCertificado(leer('pac/sandbox-pac.cer')).noCertificado });

    async function recorrer(baseUrl: string, apiUrl?: string): Promise<Forma[]> {
      const formas: Forma[] = [];
      const pac = new SwSapienPac({ baseUrl, apiUrl, user, password, fetch: anotador(formas), timeoutMs: 60_000 });
      const xml = await sellarCfdi(muestra.replace(/Folio="[^"]*"/, `Folio="LIVE-${Date.now()}"`).replace(/Fecha="[^"]*"/, `Fecha="${fechaMexicoReciente()}"`), csd);
      const opciones = { referencia: randomUUID(), cuenta: 'live' };
      const primero = await pac.timbrar(xml, opciones);
      await pac.timbrar(xml, opciones);
      if (primero.ok) {
        await pac.cancelar({ rfcEmisor: 'EKU9003173C9', rfcReceptor: 'COSC8001137NA', total: '3248.00', uuid: primero.timbre.uuid, motivo: '02', csd: csdPac, cuenta: 'live' });
      }
      await pac.cancelacionesRecibidas({ rfcReceptor: 'EKU9003173C9', csd: csdPac, cuenta: 'live' });
      return formas;
    }

    try {
      const real = await recorrer(URL_PRUEBAS);
      const local = await recorrer(fake.url, fake.url);
      // the datawarehouse and the XML download happen only on some duplicate shapes: compare the rest
      const comparables = (f: Forma[]) => f.filter((x) => !/datawarehouse|^\/xml\//.test(x.ruta));
      expect(comparables(local)).toEqual(comparables(real));
    } finally {
      await fake.cerrar();
    }
  });
});
