import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { attr, emitirCfdi, fromBase64, leerCsd, parseXml, pemToDer, type Csd } from '../cfdi';
import { facturaBase } from '../../test/factura-base';
import { sha256Hex } from '../lib/crypto';
import { SandboxConsultaSat, SandboxPac, SANDBOX_RESPALDO } from './sandbox';
import { verificarAcuseSandbox } from './sandbox-cancelacion';
import { crearSolicitudRecibida, estadoSolicitudRecibida, RFC_PROVEEDOR_SANDBOX } from './sandbox-recibidas';
import type { CsdPac, OpcionesTimbrado, Simulacion, SolicitudCancelacion, Timbre } from './types';

// The sandbox PAC against the real R2 binding: its two instances' own records, the failure triggers of
// X-HexaFac-Simular, the outage of one account, the SAT's status service and the receptor's inbox.

const EMISOR = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
const RECEPTOR = 'EKU9003173C9';
const store = env.CFDI_BUCKET;
let csd: Csd;
let csdPac: CsdPac;

beforeAll(async () => {
  const leido = await leerCsd(fromBase64(env.TEST_CSD_CER), fromBase64(env.TEST_CSD_KEY), '12345678a');
  csd = leido.csd;
  csdPac = { rfc: EMISOR.rfc, certificado: fromBase64(env.TEST_CSD_CER), pkcs8: leido.pkcs8 };
});

/** A clock the test moves; starts at the real now, so freshly sealed CFDIs are within the 72 hours. */
function reloj() {
  let t = Date.now();
  return { now: () => new Date(t), avanzar: (ms: number) => (t += ms) };
}

const pac = (over: { nombre?: string; now?: () => Date } = {}) =>
  new SandboxPac({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store, ...over });
const respaldo = (now?: () => Date) => pac({ nombre: SANDBOX_RESPALDO, ...(now ? { now } : {}) });

/** A new sealed CFDI (its own folio, so its own Sello) and the options of a fresh account. */
async function nuevo(simulacion?: Simulacion) {
  const r = await emitirCfdi(facturaBase({ folio: crypto.randomUUID().slice(0, 8) }), EMISOR, csd);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const opts: OpcionesTimbrado = { referencia: crypto.randomUUID(), cuenta: `cuenta-${crypto.randomUUID()}`, ...(simulacion ? { simulacion } : {}) };
  return { xml: r.xml, opts };
}

async function timbrado(p: SandboxPac, xml: string, opts: OpcionesTimbrado): Promise<Timbre> {
  const r = await p.timbrar(xml, opts);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.timbre;
}

const claveTimbre = async (prefijo: string, xml: string) => `${prefijo}/timbres/${await sha256Hex(attr(parseXml(xml), 'Sello')!)}.xml`;

describe('sandbox PAC: each instance keeps its own stamps', () => {
  it('a second send returns the first stamp; buscarTimbre finds it; the other instance does not know it', async () => {
    const { xml, opts } = await nuevo();
    const primero = await pac().timbrar(xml, opts);
    expect(primero).toMatchObject({ ok: true, recuperado: false });
    const t = primero.ok ? primero.timbre : undefined;
    expect(await pac().timbrar(xml, opts)).toMatchObject({ ok: true, recuperado: true, timbre: { uuid: t!.uuid } });
    expect(await pac().buscarTimbre(xml, opts)).toEqual({ estado: 'timbrado', timbre: t });
    expect(await store.head(await claveTimbre('sandbox-pac', xml))).not.toBeNull();

    expect(await respaldo().buscarTimbre(xml, opts)).toEqual({ estado: 'no_timbrado' });
    const otro = await timbrado(respaldo(), xml, opts);
    expect(otro.uuid).not.toBe(t!.uuid);
    expect(await store.head(await claveTimbre('sandbox-pac/sandbox-respaldo', xml))).not.toBeNull();
    expect(respaldo().nombre).toBe('sandbox-respaldo');
  });

  it('buscarTimbre: a CFDI never sent, or not even XML, was not stamped', async () => {
    const { xml, opts } = await nuevo();
    expect(await pac().buscarTimbre(xml, opts)).toEqual({ estado: 'no_timbrado' });
    expect(await pac().buscarTimbre('<no', opts)).toEqual({ estado: 'no_timbrado' });
  });

  it('refuses a name that would collide with the shared folders', () => {
    expect(() => pac({ nombre: 'uuids' })).toThrow(/nombre/);
  });
});

describe('sandbox PAC: stamping triggers apply once per CFDI and instance', () => {
  it('timeout: uncertain, nothing stamped; the next send stamps normally', async () => {
    const { xml, opts } = await nuevo({ timbrado: 'timeout' });
    expect(await pac().timbrar(xml, opts)).toMatchObject({ ok: false, tipo: 'incierto', errores: [{ code: 'timeout' }] });
    expect(await pac().buscarTimbre(xml, opts)).toEqual({ estado: 'no_timbrado' });
    expect(await pac().timbrar(xml, opts)).toMatchObject({ ok: true, recuperado: false });
    // the other instance consumes its own
    expect(await respaldo().timbrar(xml, opts)).toMatchObject({ ok: false, tipo: 'incierto' });
    expect(await respaldo().timbrar(xml, opts)).toMatchObject({ ok: true, recuperado: false });
  });

  it('timeout_tras_timbrar: uncertain, but stamped; buscarTimbre and a new send recover that UUID', async () => {
    const { xml, opts } = await nuevo({ timbrado: 'timeout_tras_timbrar' });
    expect(await pac().timbrar(xml, opts)).toMatchObject({ ok: false, tipo: 'incierto' });
    const buscado = await pac().buscarTimbre(xml, opts);
    if (buscado.estado !== 'timbrado') throw new Error(JSON.stringify(buscado));
    expect(await pac().timbrar(xml, opts)).toMatchObject({ ok: true, recuperado: true, timbre: { uuid: buscado.timbre.uuid } });
  });

  it('error_5xx: uncertain with HTTP500, nothing stamped', async () => {
    const { xml, opts } = await nuevo({ timbrado: 'error_5xx' });
    expect(await pac().timbrar(xml, opts)).toMatchObject({ ok: false, tipo: 'incierto', errores: [{ code: 'HTTP500' }] });
    expect(await pac().buscarTimbre(xml, opts)).toEqual({ estado: 'no_timbrado' });
  });

  it('csd_revocado: refused with the SAT code 304; rechazo: refused with the code asked', async () => {
    const revocado = await nuevo({ timbrado: 'csd_revocado' });
    expect(await pac().timbrar(revocado.xml, revocado.opts)).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '304' }] });
    expect(await pac().buscarTimbre(revocado.xml, revocado.opts)).toEqual({ estado: 'no_timbrado' });
    expect(await pac().timbrar(revocado.xml, revocado.opts)).toMatchObject({ ok: true });

    const { xml, opts } = await nuevo({ timbrado: { rechazo: 'CFDI40108' } });
    const r = await pac().timbrar(xml, opts);
    expect(r).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: 'CFDI40108' }] });
    expect(!r.ok && r.errores[0]!.message).toMatch(/simulado/);
  });

  it('a real refusal comes first: an invalid CFDI is refused and does not consume the trigger', async () => {
    const { xml, opts } = await nuevo({ timbrado: 'timeout' });
    expect(await pac().timbrar(xml.replace('Nombre="', 'Nombre="\u0001'), opts)).toMatchObject({ tipo: 'rechazo', errores: [{ code: '301' }] });
    expect(await pac().timbrar(xml, opts)).toMatchObject({ ok: false, tipo: 'incierto' });
  });
});

describe('sandbox PAC: pac-caido takes the first instance down for one account', () => {
  it('refuses every request of that account until the time passes; other accounts and the backup are unaffected', async () => {
    const r = reloj();
    const { xml, opts } = await nuevo({ pacCaidoSegundos: 30 });
    const caido = pac({ now: r.now });
    const refusal = await caido.timbrar(xml, opts);
    expect(refusal).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'servicio', errores: [{ code: 'red' }] });
    expect(!refusal.ok && refusal.errores[0]!.message).toMatch(/conexión rechazada \(simulación/);
    expect(await store.head(`sandbox-pac/caidas/${opts.cuenta}`)).not.toBeNull();

    const otra = await nuevo();
    expect(await caido.timbrar(otra.xml, { ...otra.opts, cuenta: opts.cuenta })).toMatchObject({ tipo: 'no_timbrado' });
    expect(await caido.buscarTimbre(xml, opts)).toMatchObject({ estado: 'desconocido', errores: [{ code: 'red' }] });
    expect(await caido.cancelar(solicitud('00000000-0000-4000-8000-000000000000', opts.cuenta))).toMatchObject({ ok: false, tipo: 'transitorio' });
    expect(await caido.cancelacionesRecibidas({ rfcReceptor: RECEPTOR, csd: csdPac, cuenta: opts.cuenta })).toMatchObject({ ok: false });
    expect(await caido.timbrar(otra.xml, otra.opts)).toMatchObject({ ok: true });
    const enRespaldo = await timbrado(respaldo(r.now), xml, opts);

    r.avanzar(31_000);
    // the trigger was consumed: the same CFDI, sent again with it, does not take the instance down again
    expect(await caido.timbrar(xml, opts)).toMatchObject({ ok: true, recuperado: false });
    expect(await caido.buscarTimbre(xml, opts)).toMatchObject({ estado: 'timbrado' });
    expect(enRespaldo.uuid).toBeTruthy();
  });
});

const solicitud = (uuid: string, cuenta: string, simulacion?: Simulacion): SolicitudCancelacion => ({
  rfcEmisor: EMISOR.rfc,
  rfcReceptor: RECEPTOR,
  total: '1160.00',
  uuid,
  motivo: '02',
  csd: csdPac,
  cuenta,
  ...(simulacion ? { simulacion } : {}),
});

describe('sandbox cancellation triggers and SandboxConsultaSat', () => {
  const consulta = (t: Timbre, over: { total?: string; sello?: string } = {}) =>
    new SandboxConsultaSat({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store }).consultar({ rfcEmisor: EMISOR.rfc, rfcReceptor: RECEPTOR, total: '1160.00', uuid: t.uuid, ...over });

  it('without a trigger the documented rule stays: a fresh CFDI is cancelled at once', async () => {
    const { xml, opts } = await nuevo();
    const t = await timbrado(pac(), xml, opts);
    const sello = attr(parseXml(xml), 'Sello')!.slice(-8);
    expect(await consulta(t, { sello })).toEqual({ estado: 'vigente', esCancelable: 'Cancelable sin aceptación', validacionEfos: '200' });
    expect(await consulta(t, { total: '1160.01' })).toEqual({ estado: 'no_encontrado' });
    expect(await consulta(t, { sello: 'AAAAAAAA' })).toEqual({ estado: 'no_encontrado' });
    expect(await pac().cancelar(solicitud(t.uuid, opts.cuenta))).toMatchObject({ ok: true, estado: 'cancelada' });
    expect(await consulta(t)).toMatchObject({ estado: 'cancelado', estatusCancelacion: 'Cancelado sin aceptación', validacionEfos: '200' });
  });

  const CASOS: [NonNullable<Simulacion['cancelacion']>, string, string][] = [
    ['aceptada', 'cancelado', 'Cancelado con aceptación'],
    ['rechazada', 'vigente', 'Solicitud rechazada'],
    ['vencida', 'cancelado', 'Plazo vencido'],
  ];
  for (const [respuesta, estado, estatusCancelacion] of CASOS) {
    it(`cancelacion=${respuesta}: needs acceptance, then ${estatusCancelacion}`, async () => {
      const { xml, opts } = await nuevo();
      // stamped at the backup, cancelled through the first instance: the SAT's side is shared
      const t = await timbrado(respaldo(), xml, opts);
      const r = await pac().cancelar(solicitud(t.uuid, opts.cuenta, { cancelacion: respuesta }));
      if (!r.ok) throw new Error(JSON.stringify(r));
      expect(r.estado).toBe('en_proceso');
      expect(await verificarAcuseSandbox(r.acuse, pemToDer(env.SANDBOX_PAC_CERT_PEM))).toMatchObject({ valido: true, estatusUUID: '201' });
      expect(await consulta(t)).toEqual({ estado, esCancelable: 'Cancelable con aceptación', estatusCancelacion, validacionEfos: '200' });
    });
  }
});

describe('sandbox receptor inbox', () => {
  it('creates requests deterministically, lists the pending ones of the account, takes one answer each', async () => {
    const r = reloj();
    const cuenta = `cuenta-${crypto.randomUUID()}`;
    const ahora = r.now();
    const s1 = await crearSolicitudRecibida(store, { cuenta, rfcReceptor: RECEPTOR, ahora });
    expect(s1).toMatchObject({ rfcEmisor: RFC_PROVEEDOR_SANDBOX, rfcReceptor: RECEPTOR, total: '11600.00', solicitadaEn: ahora.toISOString() });
    expect(s1.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(await crearSolicitudRecibida(store, { cuenta, rfcReceptor: RECEPTOR, ahora: new Date(ahora.getTime() + 5000) })).toEqual(s1);
    const s2 = await crearSolicitudRecibida(store, { cuenta, rfcReceptor: RECEPTOR, n: 2, ahora: new Date(ahora.getTime() + 1000) });
    expect(s2.uuid).not.toBe(s1.uuid);
    const vieja = await crearSolicitudRecibida(store, { cuenta, rfcReceptor: RECEPTOR, n: 3, ahora: new Date(ahora.getTime() - 73 * 3600_000) });
    await crearSolicitudRecibida(store, { cuenta, rfcReceptor: 'URE180429TM6', ahora });

    const p = pac({ now: r.now });
    const pendientes = (c = cuenta) => p.cancelacionesRecibidas({ rfcReceptor: RECEPTOR, csd: csdPac, cuenta: c });
    expect(await pendientes()).toEqual({ ok: true, solicitudes: [s1, s2] });
    expect(await pendientes(`cuenta-${crypto.randomUUID()}`)).toEqual({ ok: true, solicitudes: [] });

    const respuesta = await p.responderCancelacion({ uuid: s1.uuid.toLowerCase(), respuesta: 'aceptar', csd: csdPac, cuenta });
    if (!respuesta.ok) throw new Error(JSON.stringify(respuesta));
    expect(await verificarAcuseSandbox(respuesta.acuse!, pemToDer(env.SANDBOX_PAC_CERT_PEM))).toMatchObject({
      valido: true,
      uuid: s1.uuid,
      rfcReceptor: RECEPTOR,
      estatusUUID: '1000',
      respuesta: 'Aceptacion',
    });
    expect(await pendientes()).toEqual({ ok: true, solicitudes: [s2] });
    expect(await estadoSolicitudRecibida(store, cuenta, s1.uuid, r.now())).toMatchObject({ estado: 'aceptada', solicitud: s1 });
    expect(await p.responderCancelacion({ uuid: s1.uuid, respuesta: 'rechazar', csd: csdPac, cuenta })).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '1002' }] });

    expect(await p.responderCancelacion({ uuid: s2.uuid, respuesta: 'rechazar', csd: { ...csdPac, rfc: 'URE180429TM6' }, cuenta })).toMatchObject({
      errores: [{ code: '1003' }],
    });
    expect(await p.responderCancelacion({ uuid: s2.uuid, respuesta: 'rechazar', csd: csdPac, cuenta })).toMatchObject({ ok: true });
    expect(await estadoSolicitudRecibida(store, cuenta, s2.uuid, r.now())).toMatchObject({ estado: 'rechazada' });

    expect(await estadoSolicitudRecibida(store, cuenta, vieja.uuid, r.now())).toMatchObject({ estado: 'vencida' });
    expect(await p.responderCancelacion({ uuid: vieja.uuid, respuesta: 'aceptar', csd: csdPac, cuenta })).toMatchObject({ errores: [{ code: '1001' }] });
    const desconocido = await p.responderCancelacion({ uuid: '00000000-0000-4000-8000-000000000000', respuesta: 'aceptar', csd: csdPac, cuenta });
    expect(desconocido).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '1001' }] });
    expect(await estadoSolicitudRecibida(store, cuenta, '../x', r.now())).toBeNull();

    // a request left 72 hours leaves the inbox
    r.avanzar(72 * 3600_000);
    expect(await estadoSolicitudRecibida(store, cuenta, s1.uuid, r.now())).toMatchObject({ estado: 'aceptada' });
    expect(await pendientes()).toEqual({ ok: true, solicitudes: [] });
  });
});

describe('sandbox PAC: the codes it answers are the SAT’s own', () => {
  it('a seal that does not verify is CFDI40102, a certificate not of the Emisor CFDI40106, a Fecha past 72 h 401', async () => {
    const { xml, opts } = await nuevo();
    const otroEmisor = await pac().timbrar(xml.replace(/(<cfdi:Emisor[^>]*\bRfc=")EKU9003173C9"/, '$1URE180429TM6"'), opts);
    expect(otroEmisor.ok || otroEmisor.errores.map((e) => e.code).sort()).toEqual(['CFDI40102', 'CFDI40106']);
    const r = reloj();
    r.avanzar(73 * 3600e3);
    const vieja = await pac({ now: r.now }).timbrar(xml, opts);
    expect(vieja.ok || vieja.errores.map((e) => e.code)).toEqual(['401']);
  });
});
