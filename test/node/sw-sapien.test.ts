// Contract tests of the SW Sapien adapter against a local server that replays SW's documented answers.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal, leerCertificado, leerCsd, leerTimbre, sellarCfdi, verificarCfdi, type Csd } from '../../src/cfdi';
import { cifrarPkcs8 } from '../../src/pac/pkcs8-cifrado';
import { esHostDePruebas, SwSapienPac, type SwSapienOptions } from '../../src/pac/sw-sapien';
import type { CsdPac, OpcionesTimbrado, SolicitudCancelacion } from '../../src/pac/types';
import { FakeSwSapien, fixtureSw, type Forma307, type OpcionesFake } from './fake-sw-sapien';

const fixtures = path.resolve(__dirname, '../fixtures');
const salida = path.resolve(__dirname, '../output/cfdi');
const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
const pacCer = leer('pac/sandbox-pac.cer');
const muestra = readFileSync(path.join(fixtures, 'sat/samples/created-with-discounts-40.xml'), 'utf8');
const USER = 'hexafac@pruebas.mx';
const PASSWORD = 'secreto-de-prueba';
const RFC_EMISOR = 'EKU9003173C9';

let csd: Csd;
let llave: CryptoKey;
let csdPac: CsdPac;
beforeAll(async () => {
  ({ csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: new Date('2025-06-01') }));
  const pem = readFileSync(path.join(fixtures, 'pac/sandbox-pac.key.pem'), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  llave = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const pkcs8 = createPrivateKey({ key: Buffer.from(leer('EKU9003173C9.key')), format: 'der', type: 'pkcs8', passphrase: '12345678a' });
  csdPac = { rfc: RFC_EMISOR, certificado: leer('EKU9003173C9.cer'), pkcs8: new Uint8Array(pkcs8.export({ format: 'der', type: 'pkcs8' })) };
});

/** A freshly sealed CFDI 4.0 (EKU9003173C9 → COSC8001137NA, Total 3248.00); the folio makes it distinct. */
const cfdi = (folio: string) => sellarCfdi(muestra.replace(/Folio="[^"]*"/, `Folio="${folio}"`), csd);
/** Options of one invoice: its reference (a UUIDv7 in the application; any stable string here). */
const op = (referencia: string = randomUUID()): OpcionesTimbrado => ({ referencia, cuenta: 'app_1' });

let fake: FakeSwSapien | undefined;
afterEach(async () => {
  await fake?.cerrar();
  fake = undefined;
});

async function montar(opts: Partial<OpcionesFake> = {}, pac: Partial<SwSapienOptions> = {}) {
  fake = await FakeSwSapien.iniciar({ user: USER, password: PASSWORD, llave, noCertificadoSAT: leerCertificado(pacCer).noCertificado, ...opts });
  const adapter = new SwSapienPac({ baseUrl: `${fake.url}/`, apiUrl: fake.url, user: USER, password: PASSWORD, timeoutMs: 2_000, ...pac });
  return { fake, adapter };
}

const deTimbrado = (f: FakeSwSapien) => f.solicitudes.filter((s) => s.path === '/v4/cfdi33/stamp/v4');
const deAuth = (f: FakeSwSapien) => f.solicitudes.filter((s) => s.path === '/v2/security/authenticate');

describe('SwSapienPac.timbrar', () => {
  it('authenticates, stamps through the customid route and returns the real TFD', async () => {
    const { fake, adapter } = await montar();
    const xml = await cfdi('SW-1');
    const r = await adapter.timbrar(xml, op('0190f4c2-7d1e-7a3b-8c4d-5e6f7a8b9c0d'));

    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.recuperado).toBe(false);
    const tfd = leerTimbre(r.timbre.xml);
    expect(r.timbre).toMatchObject({ uuid: tfd?.uuid, fechaTimbrado: tfd?.fechaTimbrado, noCertificadoSAT: leerCertificado(pacCer).noCertificado });
    expect(fake.porUuid(r.timbre.uuid)).toBeDefined();
    const v = await verificarCfdi(r.timbre.xml, { pacCertificates: [pacCer] });
    expect(v.errores).toEqual([]);
    expect(v.timbre?.selloSat).toBe('valido');

    const [auth] = deAuth(fake);
    expect(JSON.parse(auth.body)).toEqual({ user: USER, password: PASSWORD });
    const [stamp] = deTimbrado(fake);
    expect(stamp.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(stamp.headers.customid).toBe('0190f4c2-7d1e-7a3b-8c4d-5e6f7a8b9c0d');
    expect(stamp.headers.authorization).toMatch(/^Bearer tok\./);
    expect(stamp.xml).toBe(xml);

    mkdirSync(salida, { recursive: true });
    writeFileSync(path.join(salida, 'sw-sapien-fake.xml'), r.timbre.xml);
    writeFileSync(path.join(salida, 'sw-sapien-fake.txt'), cadenaOriginal(r.timbre.xml));
  });

  it('reuses the token while valid; renews it shortly before expiry, and at half the life of a short one', async () => {
    let reloj = Date.parse('2025-06-01T12:00:00Z');
    const ahora = () => reloj;
    const { fake, adapter } = await montar({ ahora, tokenTtlSeg: 7200 }, { now: ahora });
    const [a, b] = await Promise.all([adapter.timbrar(await cfdi('SW-2'), op()), adapter.timbrar(await cfdi('SW-3'), op())]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    reloj += 60 * 60_000;
    expect((await adapter.timbrar(await cfdi('SW-4'), op())).ok).toBe(true);
    expect(fake.autenticaciones).toBe(1);
    reloj += 57 * 60_000; // 3 min before expiry: renew first
    expect((await adapter.timbrar(await cfdi('SW-5'), op())).ok).toBe(true);
    expect(fake.autenticaciones).toBe(2);
    expect(fake.solicitudes.filter((s) => s.status === 401)).toEqual([]);

    const corto = await montar({ ahora, tokenTtlSeg: 60 }, { now: ahora });
    await corto.adapter.timbrar(await cfdi('SW-6'), op());
    reloj += 20_000;
    await corto.adapter.timbrar(await cfdi('SW-7'), op());
    expect(corto.fake.autenticaciones).toBe(1);
    reloj += 11_000;
    await corto.adapter.timbrar(await cfdi('SW-8'), op());
    expect(corto.fake.autenticaciones).toBe(2);
    await fake.cerrar();
  });

  it('on a 401 authenticates once more and retries once; a 401 that persists is the account (no_timbrado, cuenta)', async () => {
    const { fake, adapter } = await montar();
    expect((await adapter.timbrar(await cfdi('SW-9'), op())).ok).toBe(true);
    fake.expirarTokens();
    expect((await adapter.timbrar(await cfdi('SW-10'), op())).ok).toBe(true);
    expect(deTimbrado(fake).map((s) => s.status)).toEqual([200, 401, 200]);

    fake.siguiente({ tipo: 'http', status: 401 }, { tipo: 'http', status: 401 });
    const r = await adapter.timbrar(await cfdi('SW-11'), op());
    expect(r).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'cuenta' });
    expect(deTimbrado(fake)).toHaveLength(5);
    expect(fake.autenticaciones).toBe(3);
  });

  it('uses a long-lived token as given, with no authentication call', async () => {
    const { fake, adapter } = await montar({ tokenInfinito: 'infinito-123' }, { user: undefined, password: undefined, token: 'infinito-123' });
    expect((await adapter.timbrar(await cfdi('SW-12'), op())).ok).toBe(true);
    expect(deAuth(fake)).toEqual([]);
    expect(deTimbrado(fake)[0].headers.authorization).toBe('Bearer infinito-123');
  });

  it('wrong credentials (AU2000) are the account, and the CFDI is never sent', async () => {
    const { fake, adapter } = await montar({}, { password: 'otra' });
    const r = await adapter.timbrar(await cfdi('SW-13'), op());
    expect(r).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'cuenta', errores: [{ code: 'AU2000' }] });
    expect(!r.ok && r.errores[0].message).toMatch(/Revisa el usuario y la contraseña/);
    expect(deTimbrado(fake)).toEqual([]);
  });

  it('a CFDI the SAT\'s matrix refuses (CFDI40102) or SW\'s structural check (301) is rechazo', async () => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status: 400, fixture: 'error-cfdi40102' });
    expect(await adapter.timbrar(await cfdi('SW-14'), op())).toEqual({
      ok: false,
      tipo: 'rechazo',
      errores: [{ code: 'CFDI40102', message: 'El resultado de la digestión debe ser igual al resultado de la desencripción del sello. (Sello inválido)' }],
    });
    const mal = await adapter.timbrar('<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4"', op());
    expect(mal).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '301' }] });
    expect(fake.timbresEmitidos).toBe(0);
  });

  it.each([
    ['au2001', 'AU2001', /recárguela/],
    ['au2003', 'AU2003', /firmar.*manifiesto|manifiesto.*portal/],
    ['co1000', 'CO1000', /operador/],
  ])('%s is the account\'s state: no_timbrado, causa cuenta, saying what to do', async (fixture, code, consejo) => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status: 400, fixture });
    const r = await adapter.timbrar(await cfdi(`SW-${code}`), op());
    expect(r).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'cuenta', errores: [{ code }] });
    expect(!r.ok && r.errores[0].message).toMatch(consejo);
  });

  it('a wrong URL (SW\'s 404 page) is the account\'s configuration, not SW failing', async () => {
    const { fake, adapter } = await montar();
    const mal = new SwSapienPac({ baseUrl: `${fake.url}/api/v9`, user: USER, password: PASSWORD, timeoutMs: 2_000 });
    const r = await mal.timbrar(await cfdi('SW-15'), op());
    expect(r).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'cuenta', errores: [{ code: 'HTTP404' }] });
    expect(!r.ok && r.errores[0].message).toMatch(/revisa la URL/);
    expect(adapter.nombre).toBe('sw-sapien');
  });

  it.each([
    [429, 'no_timbrado'],
    [503, 'no_timbrado'],
    [500, 'incierto'],
    [502, 'incierto'],
  ] as const)('HTTP %i is %s', async (status, tipo) => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status, cuerpo: { message: `${status} - no disponible`, messageDetail: null, data: null, status: 'error' } });
    const r = await adapter.timbrar(await cfdi(`SW-${status}`), op());
    expect(r).toMatchObject({ ok: false, tipo, errores: [{ code: String(status) }] });
    if (tipo === 'no_timbrado') expect(r).toMatchObject({ causa: 'servicio' });
  });

  it('a request that hangs past the timeout is incierto; a refused connection is no_timbrado (servicio)', async () => {
    const { fake, adapter } = await montar({}, { timeoutMs: 200 });
    fake.siguiente({ tipo: 'colgar' });
    const inicio = Date.now();
    expect(await adapter.timbrar(await cfdi('SW-16'), op())).toMatchObject({ ok: false, tipo: 'incierto', errores: [{ code: 'timeout' }] });
    expect(Date.now() - inicio).toBeLessThan(1_500);
    await fake.cerrar();
    expect(await adapter.timbrar(await cfdi('SW-17'), op())).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'servicio', errores: [{ code: 'red' }] });
  });

  it.each(['307-timbre-previo-v4', '307-timbre-previo-v2', '307-cfdi-en-messagedetail', '307-data-texto'] satisfies Forma307[])(
    'a lost answer is incierto, and the retry recovers the same stamp from the %s answer',
    async (forma) => {
      const { fake, adapter } = await montar({}, { timeoutMs: 300 });
      fake.forma307 = forma;
      const xml = await cfdi('SW-18');
      const opciones = op();
      fake.siguiente({ tipo: 'timbrarYCortar' });
      expect(await adapter.timbrar(xml, opciones)).toMatchObject({ ok: false, tipo: 'incierto' });
      const [original] = fake.timbres.values();

      const r = await adapter.timbrar(xml, opciones);
      if (!r.ok) throw new Error(JSON.stringify(r));
      expect(r.recuperado).toBe(true);
      expect(r.timbre.uuid).toBe(original.uuid);
      expect(leerTimbre(r.timbre.xml)?.uuid).toBe(original.uuid);
      expect(fake.timbresEmitidos).toBe(1);
    },
  );

  it('a 307 with only the earlier UUID is recovered from SW\'s datawarehouse, and is incierto when that has no XML yet', async () => {
    const { fake, adapter } = await montar();
    const xml = await cfdi('SW-19');
    const primero = await adapter.timbrar(xml, op());
    if (!primero.ok) throw new Error('setup');
    const [t] = fake.timbres.values();
    const soloTfd = { ...fixtureSw('cfdi3307-customid-duplicado'), data: { tfd: t.datos.tfd } };
    fake.siguiente({ tipo: 'http', status: 400, cuerpo: soloTfd });
    const r = await adapter.timbrar(xml, op());
    expect(r).toMatchObject({ ok: true, recuperado: true, timbre: { uuid: primero.timbre.uuid } });
    expect(fake.solicitudes.map((s) => s.path)).toContain(`/datawarehouse/v1/live/${t.uuid}`);

    fake.almacenDisponible = false;
    fake.siguiente({ tipo: 'http', status: 400, cuerpo: soloTfd });
    const sinXml = await adapter.timbrar(xml, op());
    expect(sinXml).toMatchObject({ ok: false, tipo: 'incierto', errores: [{ code: 'CFDI3307' }] });
    expect(!sinXml.ok && sinXml.errores[0].message).toContain(primero.timbre.uuid);
  });

  it('the same reference with another sealed XML (CFDI3307) is incierto naming the UUID SW has, never a second stamp', async () => {
    const { fake, adapter } = await montar();
    const referencia = randomUUID();
    const primero = await adapter.timbrar(await cfdi('SW-20'), op(referencia));
    if (!primero.ok) throw new Error('setup');
    const r = await adapter.timbrar(await cfdi('SW-20-resellado'), op(referencia));
    expect(r).toMatchObject({ ok: false, tipo: 'incierto', errores: [{ code: 'CFDI3307' }] });
    expect(!r.ok && r.errores[0].message).toContain(primero.timbre.uuid);
    expect(fake.timbresEmitidos).toBe(1);
  });

  it('a 307 without data is incierto; so is one carrying another CFDI\'s stamp', async () => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status: 400, fixture: '307-sin-datos' });
    expect(await adapter.timbrar(await cfdi('SW-21'), op())).toMatchObject({ ok: false, tipo: 'incierto', errores: [{ code: '307' }] });

    await adapter.timbrar(await cfdi('SW-22'), op());
    const [t] = fake.timbres.values();
    fake.siguiente({ tipo: 'http', status: 400, cuerpo: { ...fixtureSw('307-timbre-previo-v4'), data: t.datos } });
    expect(await adapter.timbrar(await cfdi('SW-23'), op())).toMatchObject({ ok: false, tipo: 'incierto', errores: [{ code: '307' }] });
  });

  it('reads the duplicate from the body whatever its HTTP status', async () => {
    const { fake, adapter } = await montar({ status307: 200 });
    const xml = await cfdi('SW-24');
    const primero = await adapter.timbrar(xml, op());
    const segundo = await adapter.timbrar(xml, op());
    expect(primero.ok && segundo.ok && segundo.recuperado && segundo.timbre.uuid === primero.timbre.uuid).toBe(true);
    expect(deTimbrado(fake).map((s) => s.status)).toEqual([200, 200]);
  });

  it('a success without a readable CFDI is incierto; a reference SW cannot carry is refused before sending', async () => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status: 200, cuerpo: { data: { cfdi: '<roto' }, status: 'success' } });
    expect(await adapter.timbrar(await cfdi('SW-25'), op())).toMatchObject({ ok: false, tipo: 'incierto', errores: [{ code: 'respuesta_invalida' }] });
    expect(await adapter.timbrar(await cfdi('SW-26'), op('x'.repeat(101)))).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'cuenta' });
    expect(deTimbrado(fake)).toHaveLength(1);
  });
});

describe('SwSapienPac.buscarTimbre', () => {
  it('after a lost answer finds the stamp by sending it again under the same customid', async () => {
    const { fake, adapter } = await montar({}, { timeoutMs: 300 });
    const xml = await cfdi('SW-B1');
    const opciones = op();
    fake.siguiente({ tipo: 'timbrarYColgar' });
    expect(await adapter.timbrar(xml, opciones)).toMatchObject({ tipo: 'incierto' });
    const [original] = fake.timbres.values();
    expect(await adapter.buscarTimbre(xml, opciones)).toMatchObject({ estado: 'timbrado', timbre: { uuid: original.uuid } });
    expect(fake.timbresEmitidos).toBe(1);
  });

  it('a CFDI SW never saw is stamped now (one UUID); a refusal of the CFDI means never stamped; unreachable is desconocido', async () => {
    const { fake, adapter } = await montar();
    expect(await adapter.buscarTimbre(await cfdi('SW-B2'), op())).toMatchObject({ estado: 'timbrado' });
    expect(fake.timbresEmitidos).toBe(1);
    fake.siguiente({ tipo: 'http', status: 400, fixture: 'error-cfdi40102' });
    expect(await adapter.buscarTimbre(await cfdi('SW-B3'), op())).toEqual({ estado: 'no_timbrado' });
    // 401: more than 72 h since Fecha, checked again now: it may have been stamped while it was young
    fake.siguiente({ tipo: 'http', status: 400, cuerpo: { message: '401 - El rango de la fecha de generación no debe de ser mayor a 72 horas para la emisión del timbre.', messageDetail: null, data: null, status: 'error' } });
    expect(await adapter.buscarTimbre(await cfdi('SW-B4'), op())).toMatchObject({ estado: 'desconocido', errores: [{ code: '401' }] });
    await fake.cerrar();
    expect(await adapter.buscarTimbre(await cfdi('SW-B5'), op())).toMatchObject({ estado: 'desconocido' });
  });
});

describe('SwSapienPac.cancelar', () => {
  async function timbrada(folio: string) {
    const m = await montar();
    const r = await m.adapter.timbrar(await cfdi(folio), op());
    if (!r.ok) throw new Error(JSON.stringify(r));
    const solicitud: SolicitudCancelacion = {
      rfcEmisor: RFC_EMISOR,
      rfcReceptor: 'COSC8001137NA',
      total: '3248.00',
      uuid: r.timbre.uuid,
      motivo: '02',
      csd: csdPac,
      cuenta: 'app_1',
    };
    return { ...m, solicitud };
  }
  const deCancelacion = (f: FakeSwSapien) => f.solicitudes.filter((s) => s.path === '/cfdi33/cancel/csd');

  it('sends the CSD HexaFac holds (the .key encrypted, a fresh password each time); 201 is en_proceso, 202 cancelada', async () => {
    const { fake, adapter, solicitud } = await timbrada('SW-C1');
    const r = await adapter.cancelar(solicitud);
    expect(r).toMatchObject({ ok: true, estado: 'en_proceso' });
    expect(r.ok && r.acuse).toContain(`<UUID>${solicitud.uuid}</UUID><EstatusUUID>201</EstatusUUID>`);
    expect(await adapter.cancelar(solicitud)).toMatchObject({ ok: true, estado: 'cancelada' });

    const [a, b] = deCancelacion(fake).map((s) => JSON.parse(s.body));
    expect(Object.keys(a).sort()).toEqual(['b64Cer', 'b64Key', 'motivo', 'password', 'rfc', 'uuid']);
    expect(a).toMatchObject({ uuid: solicitud.uuid, rfc: RFC_EMISOR, motivo: '02', b64Cer: Buffer.from(csdPac.certificado).toString('base64') });
    expect(a.password).not.toBe(b.password);
    expect(a.b64Key).not.toBe(b.b64Key);
    expect(deCancelacion(fake)[0].headers['content-type']).toBe('application/json');
  });

  it('motivo 01 sends the folio de sustitución; without it nothing is sent', async () => {
    const { fake, adapter, solicitud } = await timbrada('SW-C2');
    expect(await adapter.cancelar({ ...solicitud, motivo: '01' })).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: 'folio_sustitucion_requerido' }] });
    expect(deCancelacion(fake)).toEqual([]);
    const folio = 'F0E1D2C3-B4A5-4968-8776-655443322110';
    expect(await adapter.cancelar({ ...solicitud, motivo: '01', folioSustitucion: folio })).toMatchObject({ ok: true });
    expect(JSON.parse(deCancelacion(fake)[0].body)).toMatchObject({ motivo: '01', folioSustitucion: folio });
  });

  it('205 within 48 h of the stamp is the SAT propagating (transitorio); later, or unknown when, it is rechazo; 203 is rechazo', async () => {
    const ahora = Date.parse('2025-06-03T12:00:00Z');
    const { adapter, solicitud } = await timbrada('SW-C3');
    const otro = { ...solicitud, uuid: '00000000-0000-4000-8000-000000000000' };
    const pac = new SwSapienPac({ baseUrl: fake!.url, user: USER, password: PASSWORD, now: () => ahora });
    expect(await pac.cancelar({ ...otro, timbradoEn: '2025-06-02T12:00:00Z' })).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: '205' }] });
    const tarde = await pac.cancelar({ ...otro, timbradoEn: '2025-06-01T11:00:00Z' });
    expect(tarde).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '205' }] });
    expect(!tarde.ok && tarde.tipo === 'rechazo' && tarde.acuse).toContain('<EstatusUUID>205</EstatusUUID>');
    expect(await adapter.cancelar(otro)).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '205' }] });
    expect(await adapter.cancelar({ ...solicitud, rfcEmisor: 'XAXX010101000' })).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '203' }] });
  });

  it('SW refusing the request is rechazo; 500, the account and timeouts are transitorio', async () => {
    const { fake, adapter, solicitud } = await timbrada('SW-C4');
    const ajeno = { ...solicitud, csd: { ...csdPac, certificado: pacCer } };
    expect(await adapter.cancelar(ajeno)).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: 'HTTP400' }] });
    fake.siguiente({ tipo: 'http', status: 500 }, { tipo: 'http', status: 400, fixture: 'au2001' }, { tipo: 'colgar' });
    expect(await adapter.cancelar(solicitud)).toMatchObject({ ok: false, tipo: 'transitorio' });
    expect(await adapter.cancelar(solicitud)).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: 'AU2001' }] });
    const lento = new SwSapienPac({ baseUrl: fake.url, user: USER, password: PASSWORD, timeoutMs: 200 });
    expect(await lento.cancelar(solicitud)).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: 'timeout' }] });
  });
});

describe('SwSapienPac receptor inbox', () => {
  const RECEPTOR = 'COSC8001137NA';
  const csdReceptor = () => ({ ...csdPac, rfc: RECEPTOR });

  it('lists the pending requests (GET /pendings/{rfc}); none is SW\'s CA1101, an empty inbox', async () => {
    const { fake, adapter } = await montar();
    const args = { rfcReceptor: RECEPTOR, csd: csdReceptor(), cuenta: 'app_1' };
    expect(await adapter.cancelacionesRecibidas(args)).toEqual({ ok: true, solicitudes: [] });
    fake.pendientes.set(RECEPTOR, ['c8cf18a2-be6d-420d-80af-a0dac6a7e267']);
    expect(await adapter.cancelacionesRecibidas(args)).toMatchObject({ ok: true, solicitudes: [{ uuid: 'C8CF18A2-BE6D-420D-80AF-A0DAC6A7E267', rfcReceptor: RECEPTOR }] });
    expect(fake.solicitudes.at(-1)).toMatchObject({ method: 'GET', path: `/pendings/${RECEPTOR}` });
    fake.siguiente({ tipo: 'http', status: 200, fixture: 'pendientes' }, { tipo: 'http', status: 500 });
    expect(await adapter.cancelacionesRecibidas(args)).toMatchObject({ ok: true, solicitudes: [{ uuid: 'C8CF18A2-BE6D-420D-80AF-A0DAC6A7E267' }] });
    expect(await adapter.cancelacionesRecibidas(args)).toMatchObject({ ok: false });
  });

  it('answers one with the receptor\'s CSD (POST /acceptreject/csd); a UUID with no pending request is rechazo', async () => {
    const { fake, adapter } = await montar();
    const uuid = 'C8CF18A2-BE6D-420D-80AF-A0DAC6A7E267';
    fake.pendientes.set(RECEPTOR, [uuid]);
    const r = await adapter.responderCancelacion({ uuid, respuesta: 'aceptar', csd: csdReceptor(), cuenta: 'app_1' });
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.acuse).toContain('AcuseAceptacionRechazo');
    const cuerpo = JSON.parse(fake.solicitudes.at(-1)!.body);
    expect(cuerpo).toMatchObject({ rfc: RECEPTOR, uuids: [{ uuid, action: 'Aceptacion' }] });
    expect(Object.keys(cuerpo).sort()).toEqual(['b64Cer', 'b64Key', 'password', 'rfc', 'uuids']);

    expect(await adapter.responderCancelacion({ uuid, respuesta: 'rechazar', csd: csdReceptor(), cuenta: 'app_1' })).toMatchObject({
      ok: false,
      tipo: 'rechazo',
      errores: [{ code: '1001' }],
    });
    expect(JSON.parse(fake.solicitudes.at(-1)!.body).uuids[0].action).toBe('Rechazo');
    fake.siguiente({ tipo: 'http', status: 503 });
    expect(await adapter.responderCancelacion({ uuid, respuesta: 'aceptar', csd: csdReceptor(), cuenta: 'app_1' })).toMatchObject({ ok: false, tipo: 'transitorio' });
  });
});

describe('pkcs8-cifrado and esHostDePruebas', () => {
  it('encrypts the PKCS#8 so that openssl decrypts it, with its password, to the same key', async () => {
    const { der, password } = await cifrarPkcs8(csdPac.pkcs8);
    const dir = mkdtempSync(path.join(tmpdir(), 'pkcs8-'));
    const archivo = path.join(dir, 'llave.key');
    writeFileSync(archivo, der);
    const pem = execFileSync('openssl', ['pkcs8', '-inform', 'DER', '-in', archivo, '-passin', `pass:${password}`]).toString();
    const descifrada = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
    expect(Buffer.compare(descifrada, Buffer.from(csdPac.pkcs8))).toBe(0);
    expect(() => execFileSync('openssl', ['pkcs8', '-inform', 'DER', '-in', archivo, '-passin', 'pass:otra'], { stdio: 'pipe' })).toThrow();
    const asn1 = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', archivo]).toString();
    expect(asn1).toMatch(/PBES2[\s\S]*PBKDF2[\s\S]*hmacWithSHA256[\s\S]*aes-256-cbc/);
  });

  it('knows SW\'s test host', () => {
    expect(esHostDePruebas('https://services.test.sw.com.mx')).toBe(true);
    expect(esHostDePruebas('https://services.test.sw.com.mx/')).toBe(true);
    expect(esHostDePruebas('https://services.sw.com.mx')).toBe(false);
    expect(esHostDePruebas('http://127.0.0.1:8080')).toBe(false);
    expect(esHostDePruebas('no es url')).toBe(false);
    expect(new SwSapienPac({ baseUrl: 'https://services.sw.com.mx', token: 't', nombre: 'sw-2' }).nombre).toBe('sw-2');
  });
});
