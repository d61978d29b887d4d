// Contract tests of the SW Sapien adapter against a local server that speaks SW's published API.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal, leerCertificado, leerCsd, type Csd, sellarCfdi, leerTimbre, verificarCfdi } from '../../src/cfdi';
import { ConsultaEstadoError, SwSapienPac, type SwSapienOptions } from '../../src/pac/sw-sapien';
import { FakeSwSapien, type OpcionesFake } from './fake-sw-sapien';

const fixtures = path.resolve(__dirname, '../fixtures');
const salida = path.resolve(__dirname, '../output/cfdi');
const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
const pacCer = leer('pac/sandbox-pac.cer');
const muestra = readFileSync(path.join(fixtures, 'sat/samples/created-with-discounts-40.xml'), 'utf8');
const USER = 'hexafac@pruebas.mx';
const PASSWORD = 'secreto-de-prueba';

let csd: Csd;
let llave: CryptoKey;
beforeAll(async () => {
  ({ csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: new Date('2025-06-01') }));
  const pem = readFileSync(path.join(fixtures, 'pac/sandbox-pac.key.pem'), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  llave = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
});

/** A freshly sealed CFDI 4.0 (EKU9003173C9 → COSC8001137NA, Total 3248.00); the folio makes it distinct. */
const cfdi = (folio: string) => sellarCfdi(muestra.replace(/Folio="[^"]*"/, `Folio="${folio}"`), csd);

let fake: FakeSwSapien | undefined;
afterEach(async () => {
  await fake?.cerrar();
  fake = undefined;
});

async function montar(opts: Partial<OpcionesFake> = {}, pac: Partial<SwSapienOptions> = {}) {
  fake = await FakeSwSapien.iniciar({ user: USER, password: PASSWORD, llave, noCertificadoSAT: leerCertificado(pacCer).noCertificado, ...opts });
  const adapter = new SwSapienPac({
    baseUrl: `${fake.url}/`,
    user: USER,
    password: PASSWORD,
    timeoutMs: 2_000,
    consultaUrl: `${fake.url}/ConsultaCFDIService.svc`,
    ...pac,
  });
  return { fake, adapter };
}

const deTimbrado = (f: FakeSwSapien) => f.solicitudes.filter((s) => s.path === '/cfdi33/stamp/v4');
const deAuth = (f: FakeSwSapien) => f.solicitudes.filter((s) => s.path === '/v2/security/authenticate');

describe('SwSapienPac.timbrar', () => {
  it('authenticates, stamps through /cfdi33/stamp/v4 and returns the real TFD', async () => {
    const { fake, adapter } = await montar();
    const xml = await cfdi('SW-1');
    const r = await adapter.timbrar(xml);

    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.recuperado).toBe(false);
    const tfd = leerTimbre(r.timbre.xml);
    expect(r.timbre).toMatchObject({ uuid: tfd?.uuid, fechaTimbrado: tfd?.fechaTimbrado, noCertificadoSAT: leerCertificado(pacCer).noCertificado });
    expect(r.timbre.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(fake.porUuid(r.timbre.uuid)).toBeDefined();
    const v = await verificarCfdi(r.timbre.xml, { pacCertificates: [pacCer] });
    expect(v.errores).toEqual([]);
    expect(v.timbre?.selloSat).toBe('valido');

    const [auth] = deAuth(fake);
    expect(auth.headers['content-type']).toBe('application/json');
    expect(JSON.parse(auth.body)).toEqual({ user: USER, password: PASSWORD });
    const [stamp] = deTimbrado(fake);
    expect(stamp.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(stamp.xml).toBe(xml);
    expect(stamp.headers.authorization).toMatch(/^Bearer tok\./);

    mkdirSync(salida, { recursive: true });
    writeFileSync(path.join(salida, 'sw-sapien-fake.xml'), r.timbre.xml);
    writeFileSync(path.join(salida, 'sw-sapien-fake.txt'), cadenaOriginal(r.timbre.xml));
  });

  it('reuses the token while valid and sends it as Bearer on every call', async () => {
    const { fake, adapter } = await montar();
    const [a, b] = await Promise.all([adapter.timbrar(await cfdi('SW-2')), adapter.timbrar(await cfdi('SW-3'))]);
    const c = await adapter.timbrar(await cfdi('SW-4'));
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, true]);
    expect(fake.autenticaciones).toBe(1);
    const tokens = new Set(deTimbrado(fake).map((s) => s.headers.authorization));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^Bearer tok\./);
    expect(fake.timbresEmitidos).toBe(3);
  });

  it('authenticates again shortly before the token expires, without waiting for a 401', async () => {
    let reloj = Date.parse('2025-06-01T12:00:00Z');
    const ahora = () => reloj;
    const { fake, adapter } = await montar({ ahora, tokenTtlSeg: 7200 }, { now: ahora });
    expect((await adapter.timbrar(await cfdi('SW-5'))).ok).toBe(true);
    reloj += 60 * 60_000; // 1 h: still valid
    expect((await adapter.timbrar(await cfdi('SW-6'))).ok).toBe(true);
    expect(fake.autenticaciones).toBe(1);
    reloj += 57 * 60_000; // 3 min before expiry: renew first
    expect((await adapter.timbrar(await cfdi('SW-7'))).ok).toBe(true);
    expect(fake.autenticaciones).toBe(2);
    expect(fake.solicitudes.filter((s) => s.status === 401)).toEqual([]);
  });

  it('renews a short-lived token at half its life instead of on every call', async () => {
    let reloj = Date.parse('2025-06-01T12:00:00Z');
    const ahora = () => reloj;
    const { fake, adapter } = await montar({ ahora, tokenTtlSeg: 60 }, { now: ahora });
    await adapter.timbrar(await cfdi('SW-5b'));
    reloj += 20_000;
    await adapter.timbrar(await cfdi('SW-6b'));
    expect(fake.autenticaciones).toBe(1);
    reloj += 11_000;
    await adapter.timbrar(await cfdi('SW-7b'));
    expect(fake.autenticaciones).toBe(2);
    expect(fake.timbresEmitidos).toBe(3);
  });

  it('on a 401 authenticates once more and retries the same request once', async () => {
    const { fake, adapter } = await montar();
    expect((await adapter.timbrar(await cfdi('SW-8'))).ok).toBe(true);
    fake.expirarTokens();
    const r = await adapter.timbrar(await cfdi('SW-9'));
    expect(r.ok).toBe(true);
    expect(fake.autenticaciones).toBe(2);
    expect(deTimbrado(fake).map((s) => s.status)).toEqual([200, 401, 200]);
    expect(fake.timbresEmitidos).toBe(2);
  });

  it('a 401 that persists after re-authenticating is transient, and is retried only once', async () => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status: 401 }, { tipo: 'http', status: 401 });
    const r = await adapter.timbrar(await cfdi('SW-10'));
    expect(r).toMatchObject({ ok: false, tipo: 'transitorio' });
    expect(deTimbrado(fake)).toHaveLength(2);
    expect(fake.autenticaciones).toBe(2);
  });

  it('uses a long-lived token as given, with no authentication call', async () => {
    const { fake, adapter } = await montar({ tokenInfinito: 'infinito-123' }, { user: undefined, password: undefined, token: 'infinito-123' });
    expect((await adapter.timbrar(await cfdi('SW-11'))).ok).toBe(true);
    expect(deAuth(fake)).toEqual([]);
    expect(deTimbrado(fake)[0].headers.authorization).toBe('Bearer infinito-123');
  });

  it('wrong credentials are transient (our configuration, not the CFDI) and carry SW\'s code', async () => {
    const { fake, adapter } = await montar({}, { password: 'otra' });
    const r = await adapter.timbrar(await cfdi('SW-12'));
    expect(r).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: 'AU2000' }] });
    expect(deTimbrado(fake)).toEqual([]);
  });

  it('maps a validation error to rechazo with SW\'s code and message', async () => {
    const { fake, adapter } = await montar();
    fake.siguiente({
      tipo: 'http',
      status: 400,
      cuerpo: {
        message: 'CFDI40102 - El resultado de la digestión debe ser igual al resultado de la desencripción del sello.',
        messageDetail: 'Sello inválido',
        data: null,
        status: 'error',
      },
    });
    const r = await adapter.timbrar(await cfdi('SW-13'));
    expect(r).toEqual({
      ok: false,
      tipo: 'rechazo',
      errores: [{ code: 'CFDI40102', message: 'El resultado de la digestión debe ser igual al resultado de la desencripción del sello. (Sello inválido)' }],
    });
    expect(fake.timbresEmitidos).toBe(0);
  });

  it('maps the fake PAC\'s own structural check (301) to rechazo', async () => {
    const { adapter } = await montar();
    const r = await adapter.timbrar('<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4"');
    expect(r).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '301' }] });
  });

  it.each([500, 502, 503, 429])('HTTP %i is transitorio', async (status) => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status, cuerpo: { message: `${status} - no disponible`, messageDetail: null, data: null, status: 'error' } });
    const r = await adapter.timbrar(await cfdi(`SW-${status}`));
    expect(r).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: String(status) }] });
  });

  it('a request that hangs past the timeout is transitorio', async () => {
    const { fake, adapter } = await montar({}, { timeoutMs: 200 });
    fake.siguiente({ tipo: 'colgar' });
    const inicio = Date.now();
    const r = await adapter.timbrar(await cfdi('SW-14'));
    expect(r).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: 'timeout' }] });
    expect(Date.now() - inicio).toBeLessThan(1_500);
    expect(fake.timbresEmitidos).toBe(0);
  });

  it('a refused connection is transitorio', async () => {
    const { fake, adapter } = await montar();
    await fake.cerrar();
    const r = await adapter.timbrar(await cfdi('SW-15'));
    expect(r).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: 'red' }] });
  });

  it.each(['timbrarYCortar', 'timbrarYColgar'] as const)(
    'a stamp whose answer is lost (%s) is recovered from the 307 with the same UUID, never stamped twice',
    async (tipo) => {
      const { fake, adapter } = await montar({}, { timeoutMs: 300 });
      const xml = await cfdi('SW-16');
      fake.siguiente({ tipo });
      const perdido = await adapter.timbrar(xml);
      expect(perdido).toMatchObject({ ok: false, tipo: 'transitorio' });
      expect(fake.timbresEmitidos).toBe(1);
      const [original] = fake.timbres.values();

      const r = await adapter.timbrar(xml);
      if (!r.ok) throw new Error(JSON.stringify(r));
      expect(r.recuperado).toBe(true);
      expect(r.timbre.uuid).toBe(original.uuid);
      expect(leerTimbre(r.timbre.xml)?.uuid).toBe(original.uuid);
      expect(fake.timbresEmitidos).toBe(1);
      expect(deTimbrado(fake)).toHaveLength(2);
    },
  );

  it('reads the 307 from the body whatever its HTTP status', async () => {
    const { fake, adapter } = await montar({ status307: 200 });
    const xml = await cfdi('SW-17');
    const primero = await adapter.timbrar(xml);
    const segundo = await adapter.timbrar(xml);
    expect(primero.ok && segundo.ok && segundo.recuperado && segundo.timbre.uuid === primero.timbre.uuid).toBe(true);
    expect(deTimbrado(fake).map((s) => s.status)).toEqual([200, 200]);
  });

  it('a 307 without the earlier CFDI is transitorio (never a new stamp)', async () => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status: 400, cuerpo: { message: '307. El comprobante contiene un timbre previo.', messageDetail: null, data: null, status: 'error' } });
    const r = await adapter.timbrar(await cfdi('SW-18'));
    expect(r).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: '307' }] });
  });

  it('does not accept a stamp of another CFDI as this one\'s', async () => {
    const { fake, adapter } = await montar();
    const otro = await adapter.timbrar(await cfdi('SW-19'));
    if (!otro.ok) throw new Error('setup');
    const [t] = fake.timbres.values();
    fake.siguiente({ tipo: 'http', status: 400, cuerpo: { message: '307. El comprobante contiene un timbre previo.', messageDetail: null, data: t.datos, status: 'error' } });
    const r = await adapter.timbrar(await cfdi('SW-20'));
    expect(r).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: '307' }] });
  });
});

describe('SwSapienPac.cancelar and consultarEstado', () => {
  async function timbrada(folio: string) {
    const m = await montar();
    const r = await m.adapter.timbrar(await cfdi(folio));
    if (!r.ok) throw new Error(JSON.stringify(r));
    const solicitud = { rfcEmisor: 'EKU9003173C9', rfcReceptor: 'COSC8001137NA', total: '3248.00', uuid: r.timbre.uuid };
    return { ...m, solicitud };
  }
  const deCancelacion = (f: FakeSwSapien) => f.solicitudes.filter((s) => s.path.startsWith('/cfdi33/cancel/'));

  it('cancels by UUID with the CSD stored at SW and returns the acuse', async () => {
    const { fake, adapter, solicitud } = await timbrada('SW-C1');
    expect(await adapter.consultarEstado(solicitud)).toMatchObject({ estado: 'vigente', esCancelable: 'Cancelable sin aceptación' });

    const r = await adapter.cancelar({ ...solicitud, motivo: '02' });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.estado).toBe('cancelada');
    expect(r.acuse).toContain(`<UUID>${solicitud.uuid}</UUID><EstatusUUID>201</EstatusUUID>`);
    const [req] = deCancelacion(fake);
    expect(req.path).toBe(`/cfdi33/cancel/EKU9003173C9/${solicitud.uuid}/02`);
    expect(req.headers.authorization).toMatch(/^Bearer tok\./);
    expect(req.body).toBe('');
    expect(await adapter.consultarEstado(solicitud)).toMatchObject({ estado: 'cancelado', estatusCancelacion: 'Cancelado sin aceptación' });

    expect(await adapter.cancelar({ ...solicitud, motivo: '02' })).toMatchObject({ ok: true, estado: 'cancelada' });
  });

  it('a cancellation awaiting the receptor is en_proceso', async () => {
    const { fake, adapter, solicitud } = await timbrada('SW-C2');
    fake.requiereAceptacion = true;
    expect(await adapter.cancelar({ ...solicitud, motivo: '03' })).toMatchObject({ ok: true, estado: 'en_proceso' });
    expect(await adapter.consultarEstado(solicitud)).toMatchObject({ estado: 'vigente', estatusCancelacion: 'En proceso' });
  });

  it('motivo 01 sends the folio de sustitución; without it nothing is sent', async () => {
    const { fake, adapter, solicitud } = await timbrada('SW-C3');
    const sinFolio = await adapter.cancelar({ ...solicitud, motivo: '01' });
    expect(sinFolio).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: 'folio_sustitucion_requerido' }] });
    expect(deCancelacion(fake)).toEqual([]);
    const folio = 'F0E1D2C3-B4A5-4968-8776-655443322110';
    expect(await adapter.cancelar({ ...solicitud, motivo: '01', folioSustitucion: folio })).toMatchObject({ ok: true });
    expect(deCancelacion(fake)[0].path).toBe(`/cfdi33/cancel/EKU9003173C9/${solicitud.uuid}/01/${folio}`);
  });

  it('the SAT refusing (EstatusUUID 205, 203) is rechazo with the acuse', async () => {
    const { adapter, solicitud } = await timbrada('SW-C4');
    const desconocido = await adapter.cancelar({ ...solicitud, uuid: '00000000-0000-4000-8000-000000000000', motivo: '02' });
    expect(desconocido).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '205' }] });
    expect(!desconocido.ok && desconocido.tipo === 'rechazo' && desconocido.acuse).toContain('<EstatusUUID>205</EstatusUUID>');
    expect(await adapter.cancelar({ ...solicitud, rfcEmisor: 'XAXX010101000', motivo: '02' })).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '203' }] });
    expect(await adapter.consultarEstado(solicitud)).toMatchObject({ estado: 'vigente' });
  });

  it('SW refusing the request is rechazo; 500 and timeouts are transitorio', async () => {
    const { fake, adapter, solicitud } = await timbrada('SW-C5');
    fake.siguiente(
      { tipo: 'http', status: 400, cuerpo: { message: 'CACFDI33 - El certificado del emisor no está cargado en la cuenta.', messageDetail: null, data: null, status: 'error' } },
      { tipo: 'http', status: 500 },
    );
    expect(await adapter.cancelar({ ...solicitud, motivo: '02' })).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: 'CACFDI33' }] });
    expect(await adapter.cancelar({ ...solicitud, motivo: '02' })).toMatchObject({ ok: false, tipo: 'transitorio' });
    expect(await adapter.consultarEstado(solicitud)).toMatchObject({ estado: 'vigente' });
  });

  it('consultarEstado speaks the SAT\'s SOAP Consulta; unknown CFDIs are no_encontrado; failures throw', async () => {
    const { fake, adapter, solicitud } = await timbrada('SW-C6');
    expect(await adapter.consultarEstado({ ...solicitud, total: '1.00' })).toEqual({ estado: 'no_encontrado' });
    const req = fake.solicitudes.filter((s) => s.path === '/ConsultaCFDIService.svc').at(-1);
    expect(req?.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(req?.headers.soapaction).toBe('"http://tempuri.org/IConsultaCFDIService/Consulta"');
    expect(req?.body).toContain(`?re=EKU9003173C9&amp;rr=COSC8001137NA&amp;tt=1.00&amp;id=${solicitud.uuid}`);
    await fake.cerrar();
    await expect(adapter.consultarEstado(solicitud)).rejects.toBeInstanceOf(ConsultaEstadoError);
  });
});
