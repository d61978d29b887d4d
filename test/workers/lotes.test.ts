import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { eventos, facturas, lotes } from '../../src/db/schema';
import { depsDe } from '../../src/deps';
import { uuidv7 } from '../../src/lib/ids';
import { barrer } from '../../src/jobs/barrido';
import { agotarReintentos, procesarFactura } from '../../src/jobs/procesar-factura';
import { FacturaCrearSchema } from '../../src/routes/comprobantes.schemas';
import { completarLote, crearLote, LOTE } from '../../src/services/lotes';
import { api, cargarCsdDePrueba, createEmisor, expectError, facturaBase, json, waitFor } from '../helpers';
import { esperar, recibidas, tenantConWebhook } from './webhooks-helpers';

// Batches (POST /lotes) beyond their route's tests: Idempotency-Keys of items and of the batch, and lote.completado
// recorded once and delivered through the real webhook Durable Object to the test receiver.

const item = (datos: unknown, over: Record<string, unknown> = {}) => ({ tipo: 'factura', datos, ...over });
const crear = (token: string, body: unknown, headers: Record<string, string> = {}) => api('POST', '/lotes', { token, body, headers });
const completado = (token: string, id: string) =>
  waitFor(async () => {
    const l = await json(await api('GET', `/lotes/${id}`, { token }));
    return l.completado_at ? l : null;
  }, `lote ${id} completado`);
const filasDe = (applicationId: string) => getDb(env).select().from(facturas).where(eq(facturas.client_application_id, applicationId)).all();
const eventosDeLote = (applicationId: string) =>
  getDb(env).select().from(eventos).where(and(eq(eventos.client_application_id, applicationId), eq(eventos.type, 'lote.completado'))).all();

describe('lotes — Idempotency-Keys', () => {
  it('an item key gives one comprobante: in its batch, in another batch and sent alone', async () => {
    const { app, token } = await createEmisor();
    const datos = facturaBase({ condiciones_de_pago: 'pedido 77' });
    const a = await json(await crear(token, { items: [item(datos, { idempotency_key: 'pedido-77' }), item(facturaBase())] }));
    expect(a.items[0]).toMatchObject({ status: 'aceptado', replayed: false });
    const id = a.items[0].id;

    const b = await json(await crear(token, { items: [item(facturaBase()), item(datos, { idempotency_key: 'pedido-77' })] }));
    expect(b.items[1]).toMatchObject({ status: 'aceptado', id, replayed: true });

    const sola = await api('POST', '/facturas', { token, body: datos, headers: { 'Idempotency-Key': 'pedido-77' } });
    expect(sola.status).toBe(202);
    expect(sola.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(sola)).id).toBe(id);

    // and the other way round: sent alone first, then in a batch
    const antes = await json(await api('POST', '/facturas', { token, body: datos, headers: { 'Idempotency-Key': 'pedido-78' } }));
    const c = await json(await crear(token, { items: [item(datos, { idempotency_key: 'pedido-78' })] }));
    expect(c.items[0]).toMatchObject({ id: antes.id, replayed: true });

    // 2 + 1 new in the batches, one alone: 4 rows, the keyed comprobante counted by the batch that issued it
    expect((await filasDe(app.id)).length).toBe(4);
    await completado(token, b.id);
    expect((await completado(token, a.id)).por_status.timbrada).toBe(2);
    expect((await completado(token, b.id)).por_status.timbrada).toBe(1);
    // a batch whose only item replayed a comprobante of elsewhere has nothing of its own to wait for
    expect(c.completado_at).not.toBeNull();
  });

  it('the batch key replays the whole answer; the same key with another body is a 409 and changes nothing', async () => {
    const { app, token } = await createEmisor();
    const cuerpo = { items: [item(facturaBase()), item({ ...facturaBase(), conceptos: [] }), item(facturaBase())] };
    const headers = { 'Idempotency-Key': 'lote-1' };
    const primera = await crear(token, cuerpo, headers);
    expect(primera.status).toBe(202);
    expect(primera.headers.get('Idempotent-Replayed')).toBeNull();
    const lote = await json(primera);

    const otra = await crear(token, cuerpo, headers);
    expect(otra.status).toBe(202);
    expect(otra.headers.get('Idempotent-Replayed')).toBe('true');
    expect(otra.headers.get('Location')).toBe(primera.headers.get('Location'));
    const repetida = await json(otra);
    expect(repetida.id).toBe(lote.id);
    expect(repetida.items).toEqual(lote.items);

    await expectError(await crear(token, { items: [item(facturaBase())] }, headers), 409, 'idempotency_key_reused');
    expect(await getDb(env).select().from(lotes).where(eq(lotes.client_application_id, app.id)).all()).toHaveLength(1);
    expect(await filasDe(app.id)).toHaveLength(2);
  });

  it('a batch that died mid-way, resent with its key, issues nothing twice and waits for what the first try accepted', async () => {
    const { app, token } = await createEmisor();
    const tenant = { applicationId: app.id, mode: 'test' as const };
    const datos = [facturaBase({ condiciones_de_pago: 'uno' }), facturaBase({ condiciones_de_pago: 'dos' })];
    // The first try accepts both items, then R2 refuses the per-item answer: the request dies, its key unanswered.
    const bucket = env.CFDI_BUCKET;
    const r2Caido = new Proxy(bucket, {
      get: (b, p) => {
        if (p === 'put') return (key: string, ...rest: [never]) => (key.includes('/lotes/') ? Promise.reject(new Error('R2 no responde')) : b.put(key, ...rest));
        const v = Reflect.get(b, p);
        return typeof v === 'function' ? v.bind(b) : v;
      },
    });
    // as the route reads an item (its schema, without the create-only `borrador`)
    const items = datos.map((d) => {
      const { borrador: _, ...solicitud } = FacturaCrearSchema.parse(d);
      return { tipo: 'factura' as const, solicitud };
    });
    await expect(crearLote(depsDe(env, undefined, { bucket: r2Caido }), tenant, LOTE, { items, cuerpo: { items: datos.map((d) => item(d)) } }, { idempotencyKey: 'lote-caido' })).rejects.toThrow('R2 no responde');
    const huerfano = (await filasDe(app.id))[0]!.lote_id;
    expect(await filasDe(app.id)).toHaveLength(2);

    const reintento = await crear(token, { items: datos.map((d) => item(d)) }, { 'Idempotency-Key': 'lote-caido' });
    expect(reintento.status).toBe(202);
    const lote = await json(reintento);
    expect(lote.items.map((i: { replayed: boolean }) => i.replayed)).toEqual([true, true]);
    const filas = await filasDe(app.id);
    expect(filas).toHaveLength(2);
    // both moved into the batch the client now holds, which completes only once they are stamped
    expect(filas.map((f) => f.lote_id)).toEqual([lote.id, lote.id]);
    expect(lote.id).not.toBe(huerfano);
    const fin = await completado(token, lote.id);
    expect(fin.por_status.timbrada).toBe(2);
  });
});

describe('lote.completado', () => {
  it('recorded and delivered exactly once when the last comprobante ends, with the counts per status', async () => {
    const { app, token, host } = await tenantConWebhook({ events: ['lote.completado'] });
    await cargarCsdDePrueba(app.id);
    const res = await crear(token, { items: [item(facturaBase()), item({ ...facturaBase(), conceptos: [] }), item(facturaBase()), item(facturaBase())] });
    const lote = await json(res);
    expect(lote.completado_at).toBeNull();
    const fin = await completado(token, lote.id);

    const entregas = await esperar(() => recibidas(host), (r) => r.length >= 1);
    // later checks find it completed: the job's redelivery, the cron, a second call
    const tenant = { applicationId: app.id, mode: 'test' as const };
    expect(await completarLote(depsDe(env), tenant, lote.id)).toBe(false);
    await barrer(depsDe(env));
    for (const f of await filasDe(app.id)) await procesarFactura(depsDe(env), f.id, 2);

    expect(await eventosDeLote(app.id)).toHaveLength(1);
    expect(await recibidas(host)).toHaveLength(1);
    const evento = JSON.parse(entregas[0]!.body);
    expect(evento.type).toBe('lote.completado');
    expect(evento.data).toEqual({
      id: lote.id,
      total: 4,
      aceptados: 3,
      rechazados: 1,
      por_status: { pendiente: 0, timbrada: 3, rechazada: 0, error: 0, cancelacion_pendiente: 0, cancelada: 0, cancelacion_rechazada: 0 },
      created_at: lote.created_at,
      completado_at: fin.completado_at,
    });
  });

  it('comprobantes the PAC rejects end the batch too, counted as rechazada', async () => {
    const { app, token } = await createEmisor();
    const lote = await json(await crear(token, { items: [item(facturaBase()), item(facturaBase())] }, { 'X-HexaFac-Simular': 'rechazo=CFDI40108' }));
    expect((await completado(token, lote.id)).por_status).toMatchObject({ pendiente: 0, rechazada: 2, timbrada: 0 });
    expect(await eventosDeLote(app.id)).toHaveLength(1);
  });

  it('a batch whose items were all refused completes at once, in the answer itself', async () => {
    const { app, token } = await createEmisor();
    const lote = await json(await crear(token, { items: [item({ ...facturaBase(), conceptos: [] })] }));
    expect(lote).toMatchObject({ aceptados: 0, rechazados: 1 });
    expect(lote.completado_at).not.toBeNull();
    const [evento] = await eventosDeLote(app.id);
    expect(evento!.data).toMatchObject({ id: lote.id, aceptados: 0, rechazados: 1 });
  });

  it('a comprobante whose retries are spent (the dead-letter path) ends the batch as error', async () => {
    const { app } = await createEmisor();
    const tenant = { applicationId: app.id, mode: 'test' as const };
    // no message leaves: the comprobante stays pendiente until the dead-letter consumer gives up on it
    const sinCola = depsDe(env, undefined, { queue: { send: async () => {}, sendBatch: async () => {} } as unknown as Queue });
    const r = await crearLote(sinCola, tenant, LOTE, { items: [{ tipo: 'factura', solicitud: facturaBase() }], cuerpo: {} });
    const [aceptado] = r.value.items;
    expect(aceptado).toMatchObject({ status: 'aceptado' });
    expect(r.value.fila.completado_at).toBeNull();
    await agotarReintentos(depsDe(env), (aceptado as { id: string }).id);
    const [evento] = await eventosDeLote(app.id);
    expect(evento!.data).toMatchObject({ id: r.value.fila.id, por_status: { pendiente: 0, error: 1, timbrada: 0 } });
  });

  it('the cron completes a batch whose last job stopped before its check', async () => {
    const { app, token } = await createEmisor();
    const lote = await json(await crear(token, { items: [item(facturaBase())] }));
    await completado(token, lote.id);
    // as if the job had stopped between the comprobante's transition and the batch's check
    await getDb(env).update(lotes).set({ completado_at: null }).where(eq(lotes.id, lote.id));
    await getDb(env).delete(eventos).where(and(eq(eventos.client_application_id, app.id), eq(eventos.type, 'lote.completado')));
    expect((await barrer(depsDe(env))).lotes).toBeGreaterThanOrEqual(1);
    expect((await completado(token, lote.id)).por_status.timbrada).toBe(1);
    expect(await eventosDeLote(app.id)).toHaveLength(1);
  });

  it('a batch still being accepted (no resultados yet) never completes, even with nothing pendiente', async () => {
    const { app } = await createEmisor();
    const id = uuidv7();
    await getDb(env).insert(lotes).values({ id, client_application_id: app.id, mode: 'test', total: 2, aceptados: 0, rechazados: 0 });
    expect(await completarLote(depsDe(env), { applicationId: app.id, mode: 'test' }, id)).toBe(false);
    expect(await eventosDeLote(app.id)).toHaveLength(0);
  });
});
