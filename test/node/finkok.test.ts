// Contract tests of the Finkok adapter against a local server that answers with Finkok's SOAP envelopes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leerCertificado, leerCsd, leerTimbre, sellarCfdi, verificarCfdi, type Csd } from '../../src/cfdi';
import { FinkokPac, type FinkokOptions } from '../../src/pac/finkok';
import { firmarEnvuelto } from '../../src/pac/firma-xml';
import type { CsdPac, PacAdapter, SolicitudCancelacion } from '../../src/pac/types';
import { FakeFinkok, type OpcionesFake } from './fake-finkok';

const fixtures = path.resolve(__dirname, '../fixtures');
const leer = (f: string) => new Uint8Array(readFileSync(path.join(fixtures, f)));
const pacCer = leer('pac/sandbox-pac.cer');
const muestra = readFileSync(path.join(fixtures, 'sat/samples/created-with-discounts-40.xml'), 'utf8');
const USER = 'hexafac@pruebas.mx';
const PASSWORD = 'secreto-de-prueba';

let csd: Csd;
let csdPac: CsdPac;
let llave: CryptoKey;
beforeAll(async () => {
  const leido = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora: new Date('2025-06-01') });
  csd = leido.csd;
  csdPac = { rfc: csd.rfc, certificado: leer('EKU9003173C9.cer'), pkcs8: leido.pkcs8 };
  const pem = readFileSync(path.join(fixtures, 'pac/sandbox-pac.key.pem'), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  llave = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
});

/** A freshly sealed CFDI 4.0 (EKU9003173C9 → COSC8001137NA); the folio makes it distinct. */
const cfdi = (folio: string) => sellarCfdi(muestra.replace(/Folio="[^"]*"/, `Folio="${folio}"`), csd);
const opts = { referencia: 'comp_1', cuenta: 'app_1' };

let fake: FakeFinkok | undefined;
afterEach(async () => {
  await fake?.cerrar();
  fake = undefined;
});

async function montar(o: Partial<OpcionesFake> = {}, pac: Partial<FinkokOptions> = {}) {
  fake = await FakeFinkok.iniciar({ user: USER, password: PASSWORD, llave, noCertificadoSAT: leerCertificado(pacCer).noCertificado, ...o });
  const adapter: PacAdapter = new FinkokPac({ baseUrl: `${fake.url}/`, user: USER, password: PASSWORD, timeoutMs: 1_000, ...pac });
  return { fake, adapter };
}

const solicitud = (uuid: string, extra: Partial<SolicitudCancelacion> = {}): SolicitudCancelacion => ({
  rfcEmisor: 'EKU9003173C9',
  rfcReceptor: 'COSC8001137NA',
  total: '3248.00',
  uuid,
  motivo: '02',
  csd: csdPac,
  cuenta: 'app_1',
  ...extra,
});

describe('FinkokPac.timbrar', () => {
  it('stamps through stamp with the xml in base64 and returns the real TFD', async () => {
    const { fake, adapter } = await montar();
    const xml = await cfdi('FK-1');
    const r = await adapter.timbrar(xml, opts);
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.recuperado).toBe(false);
    expect(r.timbre).toMatchObject({ uuid: leerTimbre(r.timbre.xml)?.uuid, noCertificadoSAT: leerCertificado(pacCer).noCertificado });
    const v = await verificarCfdi(r.timbre.xml, { pacCertificates: [pacCer] });
    expect(v.errores).toEqual([]);
    const [s] = fake.de('stamp');
    expect(s).toMatchObject({ path: '/servicios/soap/stamp', soapAction: 'stamp', params: { xml, username: USER, password: PASSWORD } });
  });

  it('a duplicate gets the 307 with the earlier stamp: ok, recuperado, same UUID', async () => {
    const { fake, adapter } = await montar();
    const xml = await cfdi('FK-2');
    const a = await adapter.timbrar(xml, opts);
    const b = await adapter.timbrar(xml, opts);
    if (!a.ok || !b.ok) throw new Error(JSON.stringify(b));
    expect(b).toMatchObject({ recuperado: true, timbre: { uuid: a.timbre.uuid } });
    expect(fake.timbres.size).toBe(1);
  });

  it('a 307 without the XML asks stamped for it', async () => {
    const { fake, adapter } = await montar();
    const xml = await cfdi('FK-3');
    const a = await adapter.timbrar(xml, opts);
    fake.siguiente({ tipo: '307SinXml' });
    const b = await adapter.timbrar(xml, opts);
    expect(b).toMatchObject({ ok: true, recuperado: true, timbre: { uuid: a.ok && a.timbre.uuid } });
    expect(fake.de('stamped')).toHaveLength(1);
  });

  it('never takes a stamp whose SelloCFD is not our Sello', async () => {
    const { fake, adapter } = await montar();
    const otro = await adapter.timbrar(await cfdi('FK-4a'), opts);
    if (!otro.ok) throw new Error('no timbró');
    const ajeno = readFileSync(path.join(fixtures, 'pac/finkok/stamp-respuesta.xml'), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, k: string) =>
      k === 'metodo' ? 'stamp' : k === 'ns' ? 'http://facturacion.finkok.com/stamp' : k === 'xml' ? otro.timbre.xml.replace(/&/g, '&amp;').replace(/</g, '&lt;') : '',
    );
    fake.siguiente({ tipo: 'http', status: 200, cuerpo: ajeno });
    expect(await adapter.timbrar(await cfdi('FK-4b'), opts)).toMatchObject({ ok: false, tipo: 'incierto' });
  });

  it('reads the stamp answer Finkok sent to satcfdi (verbatim capture)', async () => {
    const { fake, adapter } = await montar();
    const respuesta = readFileSync(path.join(fixtures, 'pac/finkok/stamp-satcfdi.xml'), 'utf8');
    const cfdiFinkok = /<s0:xml>([^<]*)<\/s0:xml>/.exec(respuesta)?.[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&') ?? '';
    fake.siguiente({ tipo: 'http', status: 200, cuerpo: respuesta });
    const r = await adapter.timbrar(cfdiFinkok, opts);
    expect(r).toMatchObject({ ok: true, recuperado: false, timbre: { uuid: '1E5A6E1B-9C1B-5319-BFED-123BD143A310', noCertificadoSAT: '30001000000500003456' } });
  });

  it.each([
    ['CFDI40108', 'El TipoDeComprobante no es válido'],
    ['302', 'Sello mal formado o inválido'],
    ['401', 'Fecha y hora de generación fuera de rango'],
    ['705', 'XML Estructura inválida'],
  ])('incidencia %s is a rechazo', async (codigo, mensaje) => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'incidencia', codigo, mensaje });
    expect(await adapter.timbrar(await cfdi('FK-5'), opts)).toEqual({ ok: false, tipo: 'rechazo', errores: [{ code: codigo, message: mensaje }] });
  });

  it.each([
    ['702', 'No se encontró el RFC del emisor'],
    ['703', 'Cuenta suspendida'],
    ['720', 'El usuario no tiene timbres disponibles'],
  ])('account fault %s is no_timbrado/cuenta', async (codigo, mensaje) => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'incidencia', codigo, mensaje });
    expect(await adapter.timbrar(await cfdi('FK-6'), opts)).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'cuenta' });
  });

  it('wrong credentials are no_timbrado/cuenta', async () => {
    const { adapter } = await montar({}, { password: 'otra' });
    expect(await adapter.timbrar(await cfdi('FK-7'), opts)).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'cuenta', errores: [{ code: '300' }] });
  });

  it.each([503, 429])('HTTP %i is no_timbrado/servicio', async (status) => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'http', status, cuerpo: 'busy' });
    expect(await adapter.timbrar(await cfdi('FK-8'), opts)).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'servicio' });
  });

  it('connection refused is no_timbrado/servicio', async () => {
    const { fake: cerrado, adapter } = await montar();
    await cerrado.cerrar();
    fake = undefined;
    expect(await adapter.timbrar(await cfdi('FK-9'), opts)).toMatchObject({ ok: false, tipo: 'no_timbrado', causa: 'servicio' });
  });

  it.each([
    ['timeout', { tipo: 'colgar' } as const],
    ['stamp then hang', { tipo: 'procesarYColgar' } as const],
    ['502', { tipo: 'http', status: 502, cuerpo: '<html>Bad gateway</html>' } as const],
    ['SOAP fault', { tipo: 'fault', mensaje: 'Internal Error' } as const],
    ['unreadable 200', { tipo: 'http', status: 200, cuerpo: '<senv:Envelope' } as const],
  ])('%s is incierto', async (_, c) => {
    const { fake, adapter } = await montar();
    fake.siguiente(c);
    expect(await adapter.timbrar(await cfdi('FK-10'), opts)).toMatchObject({ ok: false, tipo: 'incierto' });
  });

  it('stamp then hang: buscarTimbre finds the stamp, and a retry recovers it with no second UUID', async () => {
    const { fake, adapter } = await montar();
    const xml = await cfdi('FK-11');
    fake.siguiente({ tipo: 'procesarYColgar' });
    expect((await adapter.timbrar(xml, opts)).ok).toBe(false);
    const b = await adapter.buscarTimbre(xml, opts);
    expect(b).toMatchObject({ estado: 'timbrado', timbre: { uuid: [...fake.timbres.values()][0].uuid } });
    expect(await adapter.timbrar(xml, opts)).toMatchObject({ ok: true, recuperado: true });
    expect(fake.timbres.size).toBe(1);
  });
});

describe('FinkokPac.buscarTimbre', () => {
  it('603 is no_timbrado; no answer is desconocido', async () => {
    const { fake, adapter } = await montar();
    const xml = await cfdi('FK-12');
    expect(await adapter.buscarTimbre(xml, opts)).toEqual({ estado: 'no_timbrado' });
    fake.siguiente({ tipo: 'colgar' });
    expect(await adapter.buscarTimbre(xml, opts)).toMatchObject({ estado: 'desconocido' });
    expect(fake.de('stamped')[0]).toMatchObject({ soapAction: 'stamped', params: { xml } });
  });

  it('reads the stamped answer Finkok sent to satcfdi (verbatim capture)', async () => {
    const { fake, adapter } = await montar();
    const respuesta = readFileSync(path.join(fixtures, 'pac/finkok/stamped-satcfdi.xml'), 'utf8');
    const cfdiFinkok = /<s0:xml>([^<]*)<\/s0:xml>/.exec(respuesta)?.[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&') ?? '';
    fake.siguiente({ tipo: 'http', status: 200, cuerpo: respuesta });
    expect(await adapter.buscarTimbre(cfdiFinkok, opts)).toMatchObject({ estado: 'timbrado', timbre: { uuid: 'F08A8B8C-26DB-5385-86AF-2A1D354C5CC3' } });
  });
});

describe('FinkokPac.cancelar', () => {
  async function timbrado(adapter: PacAdapter, folio: string) {
    const r = await adapter.timbrar(await cfdi(folio), opts);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.timbre.uuid;
  }

  it('sends a signed Cancelacion through cancel_signature; 201 + Cancelado sin aceptación is cancelada, with the acuse', async () => {
    const { fake, adapter } = await montar();
    const uuid = await timbrado(adapter, 'FK-C1');
    const r = await adapter.cancelar(solicitud(uuid));
    expect(r).toMatchObject({ ok: true, estado: 'cancelada' });
    expect(r.ok && r.acuse).toContain('<EstatusUUID>201</EstatusUUID>');
    const [s] = fake.de('cancel_signature');
    expect(s).toMatchObject({ path: '/servicios/soap/cancel', params: { store_pending: 'false', username: USER } });
    expect(s.params.xml).toMatch(new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?><Cancelacion xmlns="http://cancelacfd.sat.gob.mx" [^>]* Fecha="\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d" RfcEmisor="EKU9003173C9"><Folios><Folio Motivo="02" UUID="${uuid}"></Folio></Folios><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">`));
  });

  it('en_proceso when the receptor must accept; 202 is cancelada', async () => {
    const { fake, adapter } = await montar();
    const uuid = await timbrado(adapter, 'FK-C2');
    fake.requiereAceptacion = true;
    expect(await adapter.cancelar(solicitud(uuid))).toMatchObject({ ok: true, estado: 'en_proceso' });
    fake.siguiente({ tipo: 'estatusUUID', estatus: '202' });
    expect(await adapter.cancelar(solicitud(uuid))).toMatchObject({ ok: true, estado: 'cancelada' });
  });

  it('motivo 01 carries FolioSustitucion, and is refused without it', async () => {
    const { fake, adapter } = await montar();
    const uuid = await timbrado(adapter, 'FK-C3');
    const sustituto = '11111111-2222-3333-4444-555555555555';
    expect(await adapter.cancelar(solicitud(uuid, { motivo: '01' }))).toMatchObject({ ok: false, tipo: 'rechazo' });
    await adapter.cancelar(solicitud(uuid, { motivo: '01', folioSustitucion: sustituto }));
    expect(fake.de('cancel_signature')[0].params.xml).toContain(`<Folio FolioSustitucion="${sustituto}" Motivo="01" UUID="${uuid}"></Folio>`);
  });

  it('203 and no_cancelable are rechazo with the acuse', async () => {
    const { fake, adapter } = await montar();
    fake.siguiente({ tipo: 'estatusUUID', estatus: '203' }, { tipo: 'estatusUUID', estatus: 'no_cancelable' });
    expect(await adapter.cancelar(solicitud('A2D530D5-86EE-4ED6-AFB7-1C965D72A3E2'))).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '203' }], acuse: expect.stringContaining('CancelaCFDResponse') });
    expect(await adapter.cancelar(solicitud('A2D530D5-86EE-4ED6-AFB7-1C965D72A3E2'))).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: 'no_cancelable' }] });
  });

  it('205 (the answer Finkok gave phpcfdi, verbatim) is transitorio within 48 h of the stamp, rechazo after', async () => {
    const ahora = Date.parse('2019-04-10T17:00:00Z');
    const { fake, adapter } = await montar({}, { now: () => ahora });
    const respuesta = readFileSync(path.join(fixtures, 'pac/finkok/cancel-signature-205-phpcfdi.xml'), 'utf8');
    const s = solicitud('A2D530D5-86EE-4ED6-AFB7-1C965D72A3E2', { rfcEmisor: 'TCM970625MB1' });
    fake.siguiente({ tipo: 'http', status: 200, cuerpo: respuesta }, { tipo: 'http', status: 200, cuerpo: respuesta });
    expect(await adapter.cancelar({ ...s, timbradoEn: '2019-04-10T16:00:00Z' })).toMatchObject({ ok: false, tipo: 'transitorio', errores: [{ code: '205' }] });
    expect(await adapter.cancelar({ ...s, timbradoEn: '2019-04-01T16:00:00Z' })).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '205' }], acuse: expect.stringContaining('<EstatusUUID>205</EstatusUUID>') });
  });

  it('708 (no SAT), a timeout and a 5xx are transitorio', async () => {
    const { fake, adapter } = await montar();
    const error708 = readFileSync(path.join(fixtures, 'pac/finkok/cancel-signature-error.xml'), 'utf8')
      .replace('{{ns}}', 'http://facturacion.finkok.com/cancel')
      .replace('{{codEstatus}}', '708');
    fake.siguiente({ tipo: 'http', status: 200, cuerpo: error708 }, { tipo: 'colgar' }, { tipo: 'http', status: 500, cuerpo: '' });
    for (let i = 0; i < 3; i++) expect(await adapter.cancelar(solicitud('A2D530D5-86EE-4ED6-AFB7-1C965D72A3E2'))).toMatchObject({ ok: false, tipo: 'transitorio' });
  });
});

describe('FinkokPac pending cancellations', () => {
  it('get_pending lists the UUIDs; accept_reject_signature answers with a signed SolicitudAceptacionRechazo', async () => {
    const { fake, adapter } = await montar();
    const uuid = '2D0E7634-886F-4119-B58F-2DCA228D510F';
    fake.pendientes.set('EKU9003173C9', [uuid]);
    const p = await adapter.cancelacionesRecibidas({ rfcReceptor: 'EKU9003173C9', csd: csdPac, cuenta: 'app_1' });
    expect(p).toEqual({ ok: true, solicitudes: [{ uuid, rfcEmisor: '', rfcReceptor: 'EKU9003173C9' }] });
    expect(fake.de('get_pending')[0].params).toMatchObject({ rtaxpayer_id: 'EKU9003173C9' });

    expect(await adapter.responderCancelacion({ uuid, respuesta: 'rechazar', csd: csdPac, cuenta: 'app_1' })).toEqual({ ok: true });
    expect(fake.respuestas.get(uuid)).toBe('Rechazo');
    expect(fake.de('accept_reject_signature')[0].params.xml).toMatch(
      /<SolicitudAceptacionRechazo xmlns="http:\/\/cancelacfd.sat.gob.mx" [^>]* Fecha="[^"]+" RfcPacEnviaSolicitud="CVD110412TF6" RfcReceptor="EKU9003173C9"><Folios><UUID>2D0E7634-886F-4119-B58F-2DCA228D510F<\/UUID><Respuesta>Rechazo<\/Respuesta><\/Folios><Signature/,
    );
    expect(await adapter.responderCancelacion({ uuid, respuesta: 'aceptar', csd: csdPac, cuenta: 'app_1' })).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '1002' }] });
    fake.siguiente({ tipo: 'colgar' });
    expect(await adapter.responderCancelacion({ uuid, respuesta: 'aceptar', csd: csdPac, cuenta: 'app_1' })).toMatchObject({ ok: false, tipo: 'transitorio' });
  });
});

describe('firmarEnvuelto (XML-DSig, RSA-SHA1, C14N by construction)', () => {
  const hayXmllint = (() => {
    try {
      execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it('its DigestValue is the SHA-1 of the document’s C14N without the Signature, and the signature verifies with openssl', async () => {
    const { xml, signedInfoCanonico } = await firmarEnvuelto(
      'Cancelacion',
      { RfcEmisor: 'EKU9003173C9', Fecha: '2025-06-01T12:00:00' },
      '<Folios><Folio Motivo="02" UUID="62B00C5E-4187-4336-B569-44E0030DC729"></Folio></Folios>',
      csdPac,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'firma-'));
    const sinFirma = xml.replace(/<Signature [\s\S]*<\/Signature>/, '');
    writeFileSync(path.join(dir, 'doc.xml'), sinFirma);
    const canonico = hayXmllint ? execFileSync('xmllint', ['--c14n', path.join(dir, 'doc.xml')]).toString('utf8') : sinFirma.replace(/^<\?xml[^>]*\?>/, '');
    const digest = createHash('sha1').update(canonico).digest('base64');
    expect(xml).toContain(`<DigestValue>${digest}</DigestValue>`);
    expect(signedInfoCanonico).toMatch(/^<SignedInfo xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#" xmlns:xsd="[^"]+" xmlns:xsi="[^"]+">/);
    expect(xml).toContain(signedInfoCanonico.replace(/^<SignedInfo[^>]*>/, '<SignedInfo>'));

    const firma = /<SignatureValue>([^<]+)<\/SignatureValue>/.exec(xml)?.[1] ?? '';
    writeFileSync(path.join(dir, 'si.xml'), signedInfoCanonico);
    writeFileSync(path.join(dir, 'sig.bin'), Buffer.from(firma, 'base64'));
    writeFileSync(path.join(dir, 'cert.der'), csdPac.certificado);
    execFileSync('openssl', ['x509', '-inform', 'DER', '-in', path.join(dir, 'cert.der'), '-pubkey', '-noout', '-out', path.join(dir, 'pub.pem')]);
    const salida = execFileSync('openssl', ['dgst', '-sha1', '-verify', path.join(dir, 'pub.pem'), '-signature', path.join(dir, 'sig.bin'), path.join(dir, 'si.xml')]);
    expect(salida.toString()).toContain('Verified OK');
  });
});
