import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { eventos, facturas } from '../../db/schema';
import worker from '../../../worker';
import { procesarCancelacion } from '../../jobs/cancelar-factura';
import type { JobMessage } from '../../lib/queue';
import { procesarFactura } from '../../jobs/procesar-factura';
import { uuidv7 } from '../../lib/ids';
import { respuestaDelReceptor, supuestoSinAceptacion, verificarAcuseSandbox } from '../../pac/sandbox-cancelacion';
import type { ConsultaSat } from '../../pac/types';
import { aplicarCambio, cambiarEstado } from '../../services/estado';
import {
  api,
  consultaSandbox,
  createEmisor,
  createKey,
  createTenant,
  expectError,
  facturaBase,
  insertarFactura,
  insertarPendiente,
  json,
  pacCon,
  pacsCon,
  sandboxPac,
  waitFor,
} from '../../../test/helpers';
import { esperar, hostUnico, recibidas } from '../../../test/workers/webhooks-helpers';
import { depsDe } from '../../deps';
import { pemToDer } from '../../cfdi';

const db = () => getDb(env);
const HORA = 3600e3;
const sandbox = sandboxPac;
const consultar = (c: { rfcEmisor: string; rfcReceptor: string; total: string; uuid: string }) => consultaSandbox().consultar(c);

const cancelar = (token: string, id: string, body: unknown = { motivo: '02' }, headers: Record<string, string> = {}) =>
  api('POST', `/facturas/${id}/cancelar`, { token, body, headers });

const ver = async (token: string, id: string) => json(await api('GET', `/facturas/${id}`, { token }));

async function esperarEstado(token: string, id: string, estados: string[]) {
  return waitFor(async () => {
    const f = await ver(token, id);
    return estados.includes(f.status) ? f : null;
  }, `factura ${id} in ${estados.join('|')}`);
}

/** A factura stamped through the API and the real queue. */
async function timbrada(token: string, over: Record<string, unknown> = {}) {
  const { id } = await json(await api('POST', '/facturas', { token, body: facturaBase(over) }));
  const f = await esperarEstado(token, id, ['timbrada', 'rechazada', 'error']);
  expect(f.status).toBe('timbrada');
  return f;
}

/**
 * A factura stamped 48 h ago (so the sandbox needs the receptor's acceptance to cancel it) whose UUID ends in an
 * even or odd hex digit: the job and the sandbox PAC run with a clock set back, and a new factura is stamped
 * until the UUID has the wanted parity.
 */
async function timbradaHace48h(applicationId: string, respuesta: 'aceptada' | 'rechazada') {
  const hace = new Date(Date.now() - 48 * HORA);
  // Mexico City local time (UTC-6, no DST since 2022).
  const fecha = new Date(hace.getTime() - 6 * HORA).toISOString().slice(0, 19);
  for (let i = 0; i < 30; i++) {
    const id = await insertarPendiente(applicationId, { fecha, ahora: hace, serie: 'H' });
    const ahora = () => new Date(hace.getTime() + 60_000);
    await procesarFactura(depsDe(env, undefined, { clock: ahora }), id, 1);
    const f = (await db().select().from(facturas).where(eq(facturas.id, id)).get())!;
    expect(f.status).toBe('timbrada');
    if (respuestaDelReceptor(f.uuid!) === respuesta) return f;
  }
  throw new Error('no UUID of the wanted parity');
}

const eventosDe = async (id: string) => (await db().select().from(eventos).where(eq(eventos.factura_id, id))).map((e) => e.type);

/** A row in any status, stamped-looking (a UUID of its own), straight into D1: for the 409/422/live cases. */
const fila = (applicationId: string, over: Partial<typeof facturas.$inferInsert> = {}) =>
  insertarFactura(applicationId, { status: 'timbrada', serie: 'X', uuid: crypto.randomUUID().toUpperCase(), ...over });

async function entregar(queue: string, ...ids: string[]) {
  const batch = createMessageBatch(
    queue,
    ids.map((id, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { kind: 'cancelar', id } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as any, env, createExecutionContext());
  return getQueueResult(batch, ctx);
}

describe('POST /facturas/{id}/cancelar — happy', () => {
  it('202 → queue → cancelada without acceptance (fresh CFDI), signed acuse downloadable, events and webhook', async () => {
    const { token } = await createEmisor();
    const host = hostUnico();
    expect((await api('POST', '/webhooks', { token, body: { url: `https://${host}/hook`, events: ['factura.cancelada'] } })).status).toBe(201);
    const f = await timbrada(token);

    // The SAT UUID works as the path id too.
    const res = await cancelar(token, f.uuid);
    expect(res.status).toBe(202);
    const aceptada = await json(res);
    expect(aceptada).toMatchObject({ id: f.id, status: 'cancelacion_pendiente', cancelacion: { motivo: '02', folio_sustitucion: null, acuse: null } });
    expect(res.headers.get('Location')).toBe(`http://hexafac.test${aceptada.links.self}`);

    const c = await esperarEstado(token, f.id, ['cancelada', 'cancelacion_rechazada']);
    expect(c.status).toBe('cancelada');
    expect(c.errores).toEqual([]);
    expect(c.cancelacion.acuse).toBe(`/api/hexafac/v1/facturas/${f.id}/acuse`);
    expect(c.historial.map((e: any) => e.type)).toEqual(['factura.creada', 'factura.timbrada', 'factura.cancelacion_pendiente', 'factura.cancelada']);

    const acuse = await api('GET', `/facturas/${f.id}/acuse`, { token });
    expect(acuse.status).toBe(200);
    expect(acuse.headers.get('Content-Type')).toContain('application/xml');
    const v = await verificarAcuseSandbox(await acuse.text(), pemToDer(env.SANDBOX_PAC_CERT_PEM));
    expect(v).toMatchObject({ valido: true, uuid: f.uuid, rfcEmisor: 'EKU9003173C9', estatusUUID: '201' });

    const [evento] = await db().select().from(eventos).where(and(eq(eventos.factura_id, f.id), eq(eventos.type, 'factura.cancelada')));
    expect(evento!.data).toMatchObject({ id: f.id, status: 'cancelada' });
    expect(evento!.despachado_at).not.toBeNull();
    const [entrega] = await esperar(() => recibidas(host), (l) => l.length === 1);
    expect(JSON.parse(entrega!.body)).toMatchObject({ id: evento!.id, type: 'factura.cancelada', data: { id: f.id, status: 'cancelada' } });

    expect(await consultar({ rfcEmisor: 'EKU9003173C9', rfcReceptor: 'EKU9003173C9', total: '1160.00', uuid: f.uuid })).toEqual({
      estado: 'cancelado',
      esCancelable: 'Cancelable sin aceptación',
      estatusCancelacion: 'Cancelado sin aceptación',
      validacionEfos: '200',
    });
  });

  it('needs acceptance (48 h old, over 1,000): even last UUID digit → accepted after one status check → cancelada', async () => {
    const { app, token } = await createEmisor();
    const f = await timbradaHace48h(app.id, 'aceptada');
    expect((await cancelar(token, f.id)).status).toBe(202);
    const c = await esperarEstado(token, f.id, ['cancelada', 'cancelacion_rechazada']);
    expect(c.status).toBe('cancelada');
    expect((await api('GET', `/facturas/${f.id}/acuse`, { token })).status).toBe(200);
    expect(await consultar({ rfcEmisor: 'EKU9003173C9', rfcReceptor: f.receptor_rfc, total: f.total, uuid: f.uuid! })).toMatchObject({
      estado: 'cancelado',
      estatusCancelacion: 'Cancelado con aceptación',
    });
  });

  it('needs acceptance: odd last UUID digit → the receptor rejects → cancelacion_rechazada, still valid, can be requested again', async () => {
    const { app, token } = await createEmisor();
    const f = await timbradaHace48h(app.id, 'rechazada');
    expect((await cancelar(token, f.id)).status).toBe(202);
    const r = await esperarEstado(token, f.id, ['cancelada', 'cancelacion_rechazada']);
    expect(r.status).toBe('cancelacion_rechazada');
    expect(r.errores[0].code).toBe('rechazada_por_receptor');
    expect(r.cancelacion.acuse).toBeNull();
    await expectError(await api('GET', `/facturas/${f.id}/acuse`, { token }), 409, 'factura_no_cancelada');
    expect(await eventosDe(f.id)).toContain('factura.cancelacion_rechazada');

    // A new request starts over and (deterministically) ends the same way.
    const otra = await cancelar(token, f.id, { motivo: '03' });
    expect(otra.status).toBe(202);
    expect((await json(otra)).errores).toEqual([]);
    const r2 = await waitFor(async () => {
      const v = await ver(token, f.id);
      return v.historial.filter((e: any) => e.type === 'factura.cancelacion_rechazada').length === 2 ? v : null;
    });
    expect(r2.status).toBe('cancelacion_rechazada');
    expect(r2.cancelacion.motivo).toBe('03');
  });

  it('motivo 01 with a stamped CFDI of the same receptor as folio_sustitucion', async () => {
    const { token } = await createEmisor();
    const original = await timbrada(token);
    const sustituto = await timbrada(token);
    const res = await cancelar(token, original.id, { motivo: '01', folio_sustitucion: sustituto.uuid.toLowerCase() });
    expect(res.status).toBe(202);
    expect((await json(res)).cancelacion).toMatchObject({ motivo: '01', folio_sustitucion: sustituto.uuid });
    expect((await esperarEstado(token, original.id, ['cancelada', 'cancelacion_rechazada'])).status).toBe('cancelada');
    // Our id names the replacing CFDI too; it is stored as its SAT UUID.
    const otro = await timbrada(token);
    const res2 = await cancelar(token, otro.id, { motivo: '01', folio_sustitucion: sustituto.id });
    expect((await json(res2)).cancelacion.folio_sustitucion).toBe(sustituto.uuid);
  });

  it('Idempotency-Key: the same request answers the first 202 again; one request only', async () => {
    const { app, token } = await createEmisor();
    const id = await fila(app.id);
    // The job soon ends this request (the sandbox never stamped that UUID): the replay is the stored first answer.
    const headers = { 'Idempotency-Key': 'cancelar-1' };
    const first = await cancelar(token, id, { motivo: '02' }, headers);
    expect(first.status).toBe(202);
    const again = await cancelar(token, id, { motivo: '02' }, headers);
    expect(again.status).toBe(202);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    await expectError(await cancelar(token, id, { motivo: '03' }, headers), 409, 'idempotency_key_reused');
    expect((await eventosDe(id)).filter((t) => t === 'factura.cancelacion_pendiente')).toHaveLength(1);
  });
});

describe('POST /facturas/{id}/cancelar — errors', () => {
  it('422 for a missing or unknown motivo, and for folio_sustitucion out of motivo 01', async () => {
    const { app, token } = await createEmisor();
    const id = await fila(app.id);
    for (const body of [{}, { motivo: '05' }, { motivo: 2 }]) {
      const e = await expectError(await cancelar(token, id, body), 422, 'validation_error');
      expect(e.details[0]!.path).toBe('motivo');
    }
    const e = await expectError(await cancelar(token, id, { motivo: '02', folio_sustitucion: crypto.randomUUID() }), 422);
    expect(e.details[0]!.path).toBe('folio_sustitucion');
    expect((await ver(token, id)).status).toBe('timbrada');
  });

  it('422 for motivo 01 without, or with an invalid / unstamped / own / other receptor / other tenant folio_sustitucion', async () => {
    const { app, token } = await createEmisor();
    const id = await fila(app.id);
    const propio = (await db().select().from(facturas).where(eq(facturas.id, id)).get())!.uuid!;
    const pendiente = await fila(app.id, { status: 'pendiente', uuid: null });
    const cancelada = await fila(app.id, { status: 'cancelada' });
    const otroReceptor = await fila(app.id, { receptor_rfc: 'XAXX010101000', receptor_nombre: 'PUBLICO EN GENERAL' });
    const ajena = await fila((await createTenant()).app.id);
    const enLive = await fila(app.id, { mode: 'live' });
    const casos = [undefined, 'no-es-uuid', crypto.randomUUID(), propio, pendiente, cancelada, otroReceptor, ajena, enLive];
    for (const folio of casos) {
      const e = await expectError(await cancelar(token, id, { motivo: '01', ...(folio ? { folio_sustitucion: folio } : {}) }), 422, 'validation_error');
      expect(e.details.map((d) => d.path)).toEqual(['folio_sustitucion']);
    }
    expect(await eventosDe(id)).toEqual([]);
  });

  it('409 while pending, after cancellation, and for invoices that are not stamped', async () => {
    const { app, token } = await createEmisor();
    await expectError(await cancelar(token, await fila(app.id, { status: 'cancelacion_pendiente' })), 409, 'cancelacion_en_curso');
    await expectError(await cancelar(token, await fila(app.id, { status: 'cancelada' })), 409, 'ya_cancelada');
    for (const status of ['pendiente', 'rechazada', 'error'] as const) {
      await expectError(await cancelar(token, await fila(app.id, { status, uuid: null })), 409, 'no_cancelable');
    }
    // And through the whole flow: a second request after the first one finished.
    const f = await timbrada(token);
    expect((await cancelar(token, f.id)).status).toBe(202);
    await esperarEstado(token, f.id, ['cancelada']);
    await expectError(await cancelar(token, f.id), 409, 'ya_cancelada');
  });

  it('409 for the acuse of an invoice that is not cancelled; 404 for an unknown invoice', async () => {
    const { app, token } = await createEmisor();
    await expectError(await api('GET', `/facturas/${await fila(app.id)}/acuse`, { token }), 409, 'factura_no_cancelada');
    await expectError(await cancelar(token, uuidv7()), 404, 'not_found');
    await expectError(await cancelar(token, 'nope'), 404, 'not_found');
  });

  it('live mode with no PAC configured → cancelacion_rechazada with pac_no_configurado', async () => {
    const { app } = await createEmisor();
    const live = await createKey(app.id, { mode: 'live' });
    const id = await fila(app.id, { mode: 'live' });
    expect((await cancelar(live, id)).status).toBe(202);
    const f = await esperarEstado(live, id, ['cancelada', 'cancelacion_rechazada']);
    expect(f.status).toBe('cancelacion_rechazada');
    expect(f.errores[0].code).toBe('pac_no_configurado');
  });
});

describe('CancelarFacturaJob — at-least-once', () => {
  /** Puts a stamped invoice in cancelacion_pendiente as the API does, but without a message: the test delivers them. */
  async function pendienteSinMensaje(f: typeof facturas.$inferSelect, motivo = '02') {
    const cambio = cambiarEstado(env.DB, f, 'cancelacion_pendiente', { cancelacion_motivo: motivo }, new Date());
    expect(await aplicarCambio(env.DB, cambio)).not.toBeNull();
  }

  it('a duplicated message (two at once) requests once and records each transition once', async () => {
    const { app, token } = await createEmisor();
    const f = await timbradaHace48h(app.id, 'aceptada');
    await pendienteSinMensaje(f);
    const r = await entregar('hexafac-facturas', f.id, f.id);
    expect(r.explicitAcks.sort()).toEqual(['m0', 'm1']);
    // The first asked the PAC (en proceso, the receptor's answer pending); the second only queried the status.
    const c = await esperarEstado(token, f.id, ['cancelada', 'cancelacion_rechazada']);
    expect(c.status).toBe('cancelada');
    // The delayed status check the first one scheduled, and more redeliveries, change nothing.
    await entregar('hexafac-facturas', f.id, f.id);
    await new Promise((ok) => setTimeout(ok, 1500));
    const tipos = await eventosDe(f.id);
    expect(tipos.filter((t) => t === 'factura.cancelada')).toHaveLength(1);
    expect(tipos.filter((t) => t === 'factura.cancelacion_pendiente')).toHaveLength(1);
  });

  it('asks the PAC to cancel once per request; later runs only query the status', async () => {
    const { app } = await createEmisor();
    const stamped = await timbradaHace48h(app.id, 'rechazada');
    // As a live row its scheduled status check waits 60 s, so the real consumer stays out of this test's way.
    await db().update(facturas).set({ mode: 'live' }).where(eq(facturas.id, stamped.id));
    const f = (await db().select().from(facturas).where(eq(facturas.id, stamped.id)).get())!;
    await pendienteSinMensaje(f);
    const status = async () => (await db().select().from(facturas).where(eq(facturas.id, f.id)).get())!.status;
    const llamadas: string[] = [];
    const real = sandbox();
    const contado = pacCon(real, { cancelar: (s) => (llamadas.push('cancelar'), real.cancelar(s)) });
    const consultaContada: ConsultaSat = { consultar: (c) => (llamadas.push('consultar'), consultaSandbox().consultar(c)) };
    const pacs = pacsCon([contado], { consultaSat: consultaContada });
    expect(await procesarCancelacion(depsDe(env, undefined, { pacs }), f.id, 1)).toEqual({ action: 'ack' });
    expect(await status()).toBe('cancelacion_pendiente');
    // A message well before the scheduled check (a late duplicate) stands down: no PAC call at all.
    expect(await procesarCancelacion(depsDe(env, undefined, { pacs }), f.id, 1)).toEqual({ action: 'ack' });
    expect(llamadas).toEqual(['cancelar']);
    // The scheduled check, a minute later, only queries the status.
    const luego = () => new Date(Date.now() + 2 * 60_000);
    expect(await procesarCancelacion(depsDe(env, undefined, { pacs, clock: luego }), f.id, 1)).toEqual({ action: 'ack' });
    expect(llamadas).toEqual(['cancelar', 'consultar']);
    expect(await status()).toBe('cancelacion_rechazada');
  });

  it('one chain of status checks: duplicated deliveries of a due check schedule the next one once', async () => {
    const { app } = await createEmisor();
    const stamped = await timbradaHace48h(app.id, 'aceptada');
    await db().update(facturas).set({ mode: 'live' }).where(eq(facturas.id, stamped.id));
    await pendienteSinMensaje((await db().select().from(facturas).where(eq(facturas.id, stamped.id)).get())!);
    let consultas = 0;
    // The receptor has not answered yet: every status query says "en proceso".
    const esperando = pacsCon([sandbox()], {
      consultaSat: { consultar: async () => (consultas++, { estado: 'vigente', estatusCancelacion: 'En proceso' }) },
    });
    // The real queue, with the messages these runs send counted on the way.
    const enviados: unknown[] = [];
    const cola = { ...env, FACTURAS_QUEUE: { send: (body: JobMessage, o?: QueueSendOptions) => (enviados.push(body), env.FACTURAS_QUEUE.send(body, o)) } } as unknown as typeof env;
    expect(await procesarCancelacion(depsDe(cola, undefined, { pacs: esperando }), stamped.id, 1)).toEqual({ action: 'ack' });
    expect(enviados).toHaveLength(1);
    const debida = (await db().select().from(facturas).where(eq(facturas.id, stamped.id)).get())!.cancelacion_revisar_at!;

    const luego = () => new Date(Date.parse(debida) + 1000);
    await Promise.all([1, 2, 3].map(() => procesarCancelacion(depsDe(cola, undefined, { pacs: esperando, clock: luego }), stamped.id, 1)));
    expect(enviados).toHaveLength(2);
    expect(consultas).toBeGreaterThanOrEqual(1);
    const siguiente = (await db().select().from(facturas).where(eq(facturas.id, stamped.id)).get())!.cancelacion_revisar_at!;
    expect(Date.parse(siguiente)).toBeGreaterThanOrEqual(Date.parse(debida) + 60_000);
    // Another copy of that check, come back early, stands down without asking the PAC.
    const antes = consultas;
    expect(await procesarCancelacion(depsDe(cola, undefined, { pacs: esperando, clock: luego }), stamped.id, 1)).toEqual({ action: 'ack' });
    expect(consultas).toBe(antes);
    expect(enviados).toHaveLength(2);
  });

  it('PAC down: retried with backoff keeping the reason; spent retries → cancelacion_rechazada, the CFDI stays valid', async () => {
    const { app, token } = await createEmisor();
    const id = await fila(app.id);
    await pendienteSinMensaje((await db().select().from(facturas).where(eq(facturas.id, id)).get())!);
    const caido = pacsCon([
      pacCon(sandbox(), { cancelar: async () => ({ ok: false, tipo: 'transitorio', errores: [{ code: 'http_503', message: 'PAC no disponible' }] }) }),
    ]);
    expect(await procesarCancelacion(depsDe(env, undefined, { pacs: caido }), id, 1)).toEqual({ action: 'retry', delaySeconds: 10 });
    expect(await procesarCancelacion(depsDe(env, undefined, { pacs: caido }), id, 2)).toEqual({ action: 'retry', delaySeconds: 20 });
    const pendiente = await ver(token, id);
    expect(pendiente.status).toBe('cancelacion_pendiente');
    expect(pendiente.errores[0].code).toBe('http_503');

    await entregar('hexafac-facturas-dlq', id);
    const f = await ver(token, id);
    expect(f.status).toBe('cancelacion_rechazada');
    expect(f.errores[0].code).toBe('reintentos_agotados');
    expect(f.errores[0].message).toContain('PAC no disponible');
    expect(f.errores[0].message).toContain('sigue vigente');
    // The DLQ message delivered again changes nothing.
    await entregar('hexafac-facturas-dlq', id);
    expect((await eventosDe(id)).filter((t) => t === 'factura.cancelacion_rechazada')).toHaveLength(1);
  });

  it('the PAC refuses the request → cancelacion_rechazada with its codes', async () => {
    const { app, token } = await createEmisor();
    // A UUID the sandbox never stamped: it answers 205 like the SAT.
    const id = await fila(app.id);
    await pendienteSinMensaje((await db().select().from(facturas).where(eq(facturas.id, id)).get())!);
    await entregar('hexafac-facturas', id);
    const f = await ver(token, id);
    expect(f.status).toBe('cancelacion_rechazada');
    expect(f.errores[0].code).toBe('205');
  });
});

describe('sandbox cancellation rule', () => {
  const base = { tipo: 'I', total: '1160.00', moneda: 'MXN', rfcEmisor: 'EKU9003173C9', rfcReceptor: 'EKU9003173C9' };
  const ahora = new Date('2026-11-25T12:00:00Z');
  const viejo = new Date(ahora.getTime() - 25 * HORA);
  it('without acceptance: within 24 h, E/T/N, generic receptors, up to 1,000 pesos (not for pagos)', () => {
    expect(supuestoSinAceptacion({ ...base, timbradoEn: new Date(ahora.getTime() - 23 * HORA) }, ahora)).toMatch(/24 horas/);
    expect(supuestoSinAceptacion({ ...base, timbradoEn: viejo }, ahora)).toBeNull();
    for (const tipo of ['E', 'T', 'N']) expect(supuestoSinAceptacion({ ...base, tipo, timbradoEn: viejo }, ahora)).not.toBeNull();
    for (const rfc of ['XAXX010101000', 'XEXX010101000']) expect(supuestoSinAceptacion({ ...base, rfcReceptor: rfc, timbradoEn: viejo }, ahora)).not.toBeNull();
    expect(supuestoSinAceptacion({ ...base, total: '1000.00', timbradoEn: viejo }, ahora)).toMatch(/1,000/);
    expect(supuestoSinAceptacion({ ...base, total: '1000.01', timbradoEn: viejo }, ahora)).toBeNull();
    // 60 USD at 17.50 = 1,050 pesos: needs acceptance; 50 USD = 875 pesos: does not.
    expect(supuestoSinAceptacion({ ...base, total: '60.00', moneda: 'USD', tipoCambio: '17.50', timbradoEn: viejo }, ahora)).toBeNull();
    expect(supuestoSinAceptacion({ ...base, total: '50.00', moneda: 'USD', tipoCambio: '17.50', timbradoEn: viejo }, ahora)).not.toBeNull();
    expect(supuestoSinAceptacion({ ...base, tipo: 'P', total: '0', moneda: 'XXX', timbradoEn: viejo }, ahora)).toBeNull();
  });

  it('the receptor accepts on an even last hex digit and rejects on an odd one', () => {
    expect(respuestaDelReceptor('5FB2822E-396D-4725-8521-CDC4BDD20CCA')).toBe('aceptada');
    expect(respuestaDelReceptor('5FB2822E-396D-4725-8521-CDC4BDD20CC0')).toBe('aceptada');
    expect(respuestaDelReceptor('5FB2822E-396D-4725-8521-CDC4BDD20CCF')).toBe('rechazada');
    expect(respuestaDelReceptor('5FB2822E-396D-4725-8521-CDC4BDD20CC7')).toBe('rechazada');
  });
});

describe('cancelaciones — security', () => {
  it('401 without a key, 403 without cancelaciones:write (and without facturas:read for the acuse)', async () => {
    const { app } = await createEmisor();
    const id = await fila(app.id);
    await expectError(await cancelar('', id), 401);
    const sinScope = await createKey(app.id, { scopes: ['facturas:read', 'facturas:write'] });
    await expectError(await cancelar(sinScope, id), 403, 'insufficient_scope');
    const soloCancelar = await createKey(app.id, { scopes: ['cancelaciones:write'] });
    await expectError(await api('GET', `/facturas/${id}/acuse`, { token: soloCancelar }), 403, 'insufficient_scope');
    expect((await db().select().from(facturas).where(eq(facturas.id, id)).get())!.status).toBe('timbrada');
  });

  it("another application's or the other mode's invoice is a 404 (by id and by UUID), and nothing changes", async () => {
    const a = await createEmisor();
    const b = await createEmisor();
    const f = await timbrada(a.token);
    const live = await createKey(a.app.id, { mode: 'live' });
    for (const token of [b.token, live]) {
      for (const path of [f.id, f.uuid]) await expectError(await cancelar(token, path), 404, 'not_found');
      await expectError(await api('GET', `/facturas/${f.id}/acuse`, { token }), 404, 'not_found');
    }
    expect((await ver(a.token, f.id)).status).toBe('timbrada');
  });
});
