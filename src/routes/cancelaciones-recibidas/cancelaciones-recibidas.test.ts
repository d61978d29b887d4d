import { env } from 'cloudflare:workers';
import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pemToDer } from '../../cfdi';
import { getDb } from '../../db/client';
import { cancelacionesRecibidas, eventos } from '../../db/schema';
import { depsDe } from '../../deps';
import { sincronizarRecibidas } from '../../jobs/recibidas';
import { verificarAcuseSandbox } from '../../pac/sandbox-cancelacion';
import { crearSolicitudRecibida, estadoSolicitudRecibida, RFC_PROVEEDOR_SANDBOX } from '../../pac/sandbox-recibidas';
import { SandboxPac } from '../../pac/sandbox';
import { registrarSolicitudes } from '../../services/cancelaciones-recibidas';
import { api, createEmisor, createKey, createTenant, expectError, json } from '../../../test/helpers';
import { esperar, hostUnico, recibidas } from '../../../test/workers/webhooks-helpers';

const db = () => getDb(env);
const HORA = 3600e3;

const crearPrueba = (token: string, body: unknown = {}) => api('POST', '/sandbox/cancelaciones-recibidas', { token, body });
const responder = (token: string, uuid: string, accion: 'aceptar' | 'rechazar', headers: Record<string, string> = {}) =>
  api('POST', `/cancelaciones-recibidas/${uuid}/${accion}`, { token, headers });
const ver = (token: string, uuid: string) => api('GET', `/cancelaciones-recibidas/${uuid}`, { token });

/** An issuer with a CSD and one pending request in its inbox, made through the sandbox route. */
async function conSolicitud(n = 1) {
  const t = await createEmisor();
  const res = await crearPrueba(t.token, { n });
  expect(res.status).toBe(201);
  return { ...t, solicitud: await json(res) };
}

const fila = (applicationId: string, uuid: string) =>
  db()
    .select()
    .from(cancelacionesRecibidas)
    .where(and(eq(cancelacionesRecibidas.client_application_id, applicationId), eq(cancelacionesRecibidas.uuid, uuid)))
    .get();

const eventosDe = (applicationId: string) =>
  db()
    .select()
    .from(eventos)
    .where(and(eq(eventos.client_application_id, applicationId), eq(eventos.type, 'cancelacion_recibida.pendiente')))
    .all();

describe('cancelaciones recibidas — happy', () => {
  it('the sandbox makes a request → in the list with its webhook → aceptar → aceptada, signed acuse stored and downloadable', async () => {
    const { app, token } = await createEmisor();
    const host = hostUnico();
    expect((await api('POST', '/webhooks', { token, body: { url: `https://${host}/hook`, events: ['cancelacion_recibida.pendiente'] } })).status).toBe(201);

    const creada = await crearPrueba(token);
    expect(creada.status).toBe(201);
    const s = await json(creada);
    expect(s).toMatchObject({ estado: 'pendiente', mode: 'test', rfc_emisor: RFC_PROVEEDOR_SANDBOX, rfc_receptor: app.rfc, pac: 'sandbox', respondida_at: null });
    expect(Date.parse(s.vence_at) - Date.parse(s.solicitada_at)).toBe(72 * HORA);
    expect(s.links).toEqual({ self: `/api/hexafac/v1/cancelaciones-recibidas/${s.uuid}`, acuse: null });
    // The same n is the same request: 200, nothing new.
    const otra = await crearPrueba(token, { n: 1 });
    expect(otra.status).toBe(200);
    expect((await json(otra)).id).toBe(s.id);

    const lista = await json(await api('GET', '/cancelaciones-recibidas?estado=pendiente', { token }));
    expect(lista.data.map((r: any) => r.uuid)).toEqual([s.uuid]);
    expect((await json(await api('GET', '/cancelaciones-recibidas?estado=aceptada', { token }))).data).toEqual([]);
    expect(await json(await ver(token, s.uuid.toLowerCase()))).toEqual(s);

    const [evento, ...mas] = await eventosDe(app.id);
    expect(mas).toEqual([]);
    expect(evento).toMatchObject({ factura_id: null, status_nuevo: 'pendiente', data: { id: s.id, uuid: s.uuid, estado: 'pendiente' } });
    expect(evento!.despachado_at).not.toBeNull();
    const [entrega] = await esperar(() => recibidas(host), (l) => l.length === 1);
    expect(JSON.parse(entrega!.body)).toMatchObject({ id: evento!.id, type: 'cancelacion_recibida.pendiente', data: { uuid: s.uuid } });

    const res = await responder(token, s.uuid, 'aceptar');
    expect(res.status).toBe(200);
    const aceptada = await json(res);
    expect(aceptada).toMatchObject({ id: s.id, estado: 'aceptada', links: { acuse: `${s.links.self}/acuse` } });
    expect(aceptada.respondida_at).not.toBeNull();
    const row = (await fila(app.id, s.uuid))!;
    expect(row.acuse_key).toMatch(new RegExp(`^${app.id}/test/\\d{4}/\\d{2}/recibida-${s.uuid}\\.acuse\\.xml$`));
    expect(await env.CFDI_BUCKET.head(row.acuse_key!)).not.toBeNull();

    const acuse = await api('GET', `/cancelaciones-recibidas/${s.uuid}/acuse`, { token });
    expect(acuse.status).toBe(200);
    expect(acuse.headers.get('Content-Type')).toContain('application/xml');
    expect(await verificarAcuseSandbox(await acuse.text(), pemToDer(env.SANDBOX_PAC_CERT_PEM))).toMatchObject({
      valido: true,
      uuid: s.uuid,
      rfcReceptor: app.rfc,
      respuesta: 'Aceptacion',
    });
    expect((await estadoSolicitudRecibida(env.CFDI_BUCKET, app.id, s.uuid))?.estado).toBe('aceptada');
    // Answered: no longer pendiente, and the list filter says so.
    expect((await json(await api('GET', '/cancelaciones-recibidas?estado=aceptada', { token }))).data.map((r: any) => r.id)).toEqual([s.id]);
  });

  it('rechazar → rechazada; the same Idempotency-Key replays the answer; pagination', async () => {
    const { app, token, solicitud: s } = await conSolicitud();
    const segunda = await json(await crearPrueba(token, { n: 2 }));
    const headers = { 'Idempotency-Key': 'rechazo-1' };
    const first = await responder(token, s.uuid, 'rechazar', headers);
    expect(first.status).toBe(200);
    const again = await responder(token, s.uuid, 'rechazar', headers);
    expect(again.status).toBe(200);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    const cuerpo = await first.json();
    expect(cuerpo).toMatchObject({ estado: 'rechazada' });
    expect(await again.json()).toEqual(cuerpo);
    expect((await estadoSolicitudRecibida(env.CFDI_BUCKET, app.id, s.uuid))?.estado).toBe('rechazada');

    const p1 = await json(await api('GET', '/cancelaciones-recibidas?limit=1', { token }));
    expect(p1.data.map((r: any) => r.id)).toEqual([segunda.id]);
    const p2 = await json(await api('GET', `/cancelaciones-recibidas?limit=1&cursor=${p1.next_cursor}`, { token }));
    expect(p2).toEqual({ data: [expect.objectContaining({ id: s.id, estado: 'rechazada' })], next_cursor: null });
  });

  it('the cron job pulls a request made at the PAC into the inbox, with its event, once', async () => {
    const { app } = await createEmisor();
    const s = await crearSolicitudRecibida(env.CFDI_BUCKET, { cuenta: app.id, rfcReceptor: app.rfc, n: 7, ahora: new Date() });
    await env.CFDI_BUCKET.delete('jobs/cancelaciones-recibidas/ronda.json');
    // Rounds over every application with a CSD, each run a batch of them; a new round waits its interval.
    let ahora = Date.now();
    for (let i = 0; i < 200 && !(await fila(app.id, s.uuid)); i++) {
      ahora += 11 * 60e3;
      await sincronizarRecibidas(depsDe(env, undefined, { clock: () => new Date(ahora) }));
    }
    expect(await fila(app.id, s.uuid)).toMatchObject({ estado: 'pendiente', mode: 'test' });
    expect(await sincronizarRecibidas(depsDe(env))).toBe(0);
    expect(await eventosDe(app.id)).toHaveLength(1);
  });

  it('a request answered before and asked again later is pending again, with a new event; the same one again is not', async () => {
    const { app } = await createEmisor();
    const t = { applicationId: app.id, mode: 'test' as const };
    const deps = depsDe(env);
    const uuid = crypto.randomUUID().toUpperCase();
    const ahora = Date.now();
    const pedida = (hace: number) => ({ uuid, rfcEmisor: RFC_PROVEEDOR_SANDBOX, rfcReceptor: app.rfc, total: '10.00', solicitadaEn: new Date(ahora - hace).toISOString() });
    expect(await registrarSolicitudes(deps, t, 'sandbox', [pedida(2 * HORA)])).toHaveLength(1);
    await db().update(cancelacionesRecibidas).set({ estado: 'rechazada' }).where(eq(cancelacionesRecibidas.uuid, uuid));
    expect(await registrarSolicitudes(deps, t, 'sandbox', [pedida(2 * HORA)])).toEqual([]);
    expect(await registrarSolicitudes(deps, t, 'sandbox', [pedida(HORA), pedida(HORA)])).toHaveLength(1);
    expect(await fila(app.id, uuid)).toMatchObject({ estado: 'pendiente', respondida_at: null });
    expect((await eventosDe(app.id)).map((e) => e.status_anterior)).toEqual([null, 'rechazada']);
    // One already past its 72 hours is the SAT's to cancel: not recorded.
    expect(await registrarSolicitudes(deps, t, 'sandbox', [{ ...pedida(73 * HORA), uuid: crypto.randomUUID() }])).toEqual([]);
  });
});

describe('cancelaciones recibidas — errors', () => {
  it('answering twice is a 409, either way', async () => {
    const { token, solicitud: s } = await conSolicitud();
    expect((await responder(token, s.uuid, 'aceptar')).status).toBe(200);
    await expectError(await responder(token, s.uuid, 'aceptar'), 409, 'solicitud_respondida');
    await expectError(await responder(token, s.uuid, 'rechazar'), 409, 'solicitud_respondida');
    expect((await json(await ver(token, s.uuid))).estado).toBe('aceptada');
  });

  it('past its 72 hours: 409 plazo_vencido, and it shows as vencida; the PAC was not asked', async () => {
    const { app, token, solicitud: s } = await conSolicitud();
    const pasado = new Date(Date.now() - HORA).toISOString();
    await db().update(cancelacionesRecibidas).set({ vence_at: pasado }).where(eq(cancelacionesRecibidas.id, s.id));
    await expectError(await responder(token, s.uuid, 'aceptar'), 409, 'plazo_vencido');
    expect((await json(await ver(token, s.uuid))).estado).toBe('vencida');
    expect((await json(await api('GET', '/cancelaciones-recibidas?estado=vencida', { token }))).data.map((r: any) => r.id)).toEqual([s.id]);
    expect((await estadoSolicitudRecibida(env.CFDI_BUCKET, app.id, s.uuid))?.estado).toBe('pendiente');

    // Expired rows are marked by any listing too, not only when answered.
    const otra = await json(await crearPrueba(token, { n: 2 }));
    await db().update(cancelacionesRecibidas).set({ vence_at: pasado }).where(eq(cancelacionesRecibidas.id, otra.id));
    expect((await json(await api('GET', '/cancelaciones-recibidas?estado=pendiente', { token }))).data).toEqual([]);
  });

  it('422 in the error shape for a bad body or Idempotency-Key; nothing created', async () => {
    const { app, token, solicitud: s } = await conSolicitud();
    for (const body of [{ n: 'uno' }, { n: 0 }, { n: 1.5 }, { n: 1, extra: true }]) {
      const e = await expectError(await crearPrueba(token, body), 422, 'validation_error');
      expect(e.details.length).toBeGreaterThan(0);
    }
    await expectError(await api('GET', '/cancelaciones-recibidas?estado=otra', { token }), 422, 'validation_error');
    await expectError(await api('GET', '/cancelaciones-recibidas?cursor=nope', { token }), 422, 'validation_error');
    const e = await expectError(await responder(token, s.uuid, 'aceptar', { 'Idempotency-Key': 'x'.repeat(300) }), 422, 'validation_error');
    expect(e.details[0]!.path).toBe('Idempotency-Key');
    expect((await json(await api('GET', '/cancelaciones-recibidas', { token }))).data).toHaveLength(1);
    expect((await fila(app.id, s.uuid))!.estado).toBe('pendiente');
  });

  it('the PAC down: 503 with nothing changed, then the retry goes through', async () => {
    const { app, token, solicitud: s } = await conSolicitud();
    await env.CFDI_BUCKET.put(`sandbox-pac/caidas/${app.id}`, new Date(Date.now() + HORA).toISOString());
    const e = await expectError(await responder(token, s.uuid, 'aceptar', { 'Idempotency-Key': 'caido' }), 503, 'pac_no_disponible');
    expect(e.details[0]!.code).toBe('red');
    expect(await fila(app.id, s.uuid)).toMatchObject({ estado: 'pendiente', acuse_key: null, respondida_at: null });
    expect((await estadoSolicitudRecibida(env.CFDI_BUCKET, app.id, s.uuid))?.estado).toBe('pendiente');
    await env.CFDI_BUCKET.delete(`sandbox-pac/caidas/${app.id}`);
    const res = await responder(token, s.uuid, 'aceptar', { 'Idempotency-Key': 'caido' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it("the PAC's refusal is a 409 with its code (answered elsewhere), and changes nothing here", async () => {
    const { app, token, solicitud: s } = await conSolicitud();
    const pac = new SandboxPac({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store: env.CFDI_BUCKET });
    const csd = { rfc: app.rfc, certificado: new Uint8Array(), pkcs8: new Uint8Array() };
    expect((await pac.responderCancelacion({ uuid: s.uuid, respuesta: 'rechazar', csd, cuenta: app.id })).ok).toBe(true);
    const e = await expectError(await responder(token, s.uuid, 'aceptar'), 409, 'respuesta_rechazada_por_pac');
    expect(e.details[0]!.code).toBe('1002');
    expect((await fila(app.id, s.uuid))!.estado).toBe('pendiente');
  });

  it('an answer the PAC took whose record here was lost is recorded on the retry, from the acuse kept first', async () => {
    const { app, token, solicitud: s } = await conSolicitud();
    expect((await responder(token, s.uuid, 'aceptar')).status).toBe(200);
    // As if D1 had failed after the PAC answered: the row still pendiente, the acuse in R2.
    await db().update(cancelacionesRecibidas).set({ estado: 'pendiente', respondida_at: null, acuse_key: null }).where(eq(cancelacionesRecibidas.id, s.id));
    const res = await responder(token, s.uuid, 'aceptar');
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ estado: 'aceptada', links: { acuse: `${s.links.self}/acuse` } });
    // The other answer is not what the PAC recorded: refused.
    await db().update(cancelacionesRecibidas).set({ estado: 'pendiente' }).where(eq(cancelacionesRecibidas.id, s.id));
    await expectError(await responder(token, s.uuid, 'rechazar'), 409, 'respuesta_rechazada_por_pac');
    expect((await fila(app.id, s.uuid))!.estado).toBe('pendiente');
  });

  it('without a CSD the sandbox route says so (409)', async () => {
    const { token } = await createTenant();
    await expectError(await crearPrueba(token), 409, 'csd_no_configurado');
  });
});

describe('cancelaciones recibidas — security', () => {
  it('401 without a key or with a wrong one', async () => {
    const { token, solicitud: s } = await conSolicitud();
    const falsa = token.slice(0, -4) + 'AAAA';
    await expectError(await api('GET', '/cancelaciones-recibidas'), 401, 'missing_api_key');
    await expectError(await api('GET', '/cancelaciones-recibidas', { token: falsa }), 401, 'invalid_api_key');
    await expectError(await responder(falsa, s.uuid, 'aceptar'), 401, 'invalid_api_key');
    await expectError(await crearPrueba('hfx_test_nope'), 401, 'invalid_api_key');
  });

  it('403 without the scope: facturas:read to read, cancelaciones:write to answer or make a test request', async () => {
    const { app, solicitud: s } = await conSolicitud();
    const lectora = await createKey(app.id, { scopes: ['facturas:read'] });
    const escritora = await createKey(app.id, { scopes: ['cancelaciones:write'] });
    await expectError(await responder(lectora, s.uuid, 'aceptar'), 403, 'insufficient_scope');
    await expectError(await crearPrueba(lectora), 403, 'insufficient_scope');
    await expectError(await api('GET', '/cancelaciones-recibidas', { token: escritora }), 403, 'insufficient_scope');
    await expectError(await ver(escritora, s.uuid), 403, 'insufficient_scope');
    expect((await ver(lectora, s.uuid)).status).toBe(200);
  });

  it("another tenant's, the other mode's or an unknown UUID is a 404, and it is left untouched", async () => {
    const { app, solicitud: s } = await conSolicitud();
    const { token: ajena } = await createEmisor();
    const live = await createKey(app.id, { mode: 'live' });
    for (const token of [ajena, live]) {
      await expectError(await ver(token, s.uuid), 404, 'not_found');
      await expectError(await responder(token, s.uuid, 'aceptar'), 404, 'not_found');
      await expectError(await api('GET', `/cancelaciones-recibidas/${s.uuid}/acuse`, { token }), 404, 'not_found');
      expect((await json(await api('GET', '/cancelaciones-recibidas', { token }))).data).toEqual([]);
    }
    await expectError(await ver(ajena, crypto.randomUUID()), 404, 'not_found');
    await expectError(await ver(ajena, 'no-es-uuid'), 404, 'not_found');
    expect((await fila(app.id, s.uuid))!.estado).toBe('pendiente');
  });

  it('a live key on the sandbox route is refused, and creates nothing', async () => {
    const { app } = await createEmisor();
    const live = await createKey(app.id, { mode: 'live' });
    await expectError(await crearPrueba(live), 403, 'solo_modo_test');
    const rows = await db().select().from(cancelacionesRecibidas).where(eq(cancelacionesRecibidas.client_application_id, app.id));
    expect(rows).toEqual([]);
    expect(await db().select().from(eventos).where(and(eq(eventos.client_application_id, app.id), isNull(eventos.factura_id)))).toEqual([]);
  });
});
