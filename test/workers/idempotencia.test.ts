// Issue 13, items 7 and 8: every creating route honours Idempotency-Key through one mechanism, and the key,
// the row it creates and the stored answer are written by one D1 batch, so no crash can separate them (no
// key stuck "in progress", no second invoice for a retried key).
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { clientes, facturas, idempotencyKeys, webhookConfigurations } from '../../src/db/schema';
import { depsDe } from '../../src/deps';
import { aceptarFactura } from '../../src/services/facturas';
import { api, createEmisor, createTenant, expectError, facturaBase, json } from '../helpers';

const db = () => getDb(env);

const CLIENTE = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' };
const WEBHOOK = { url: 'https://hooks.example.com/hexafac', events: ['factura.timbrada'] };

describe('every creating route honours Idempotency-Key', () => {
  it('POST /clientes: the same key and body answer the first cliente again; another body is a 409; one row', async () => {
    const { app, token } = await createTenant();
    const headers = { 'Idempotency-Key': 'cliente-1' };
    const first = await api('POST', '/clientes', { token, body: CLIENTE, headers });
    expect(first.status).toBe(201);
    const again = await api('POST', '/clientes', { token, body: CLIENTE, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await json(again)).toEqual(await json(first));
    await expectError(await api('POST', '/clientes', { token, body: { ...CLIENTE, email: 'otro@example.com' }, headers }), 409, 'idempotency_key_reused');
    expect(await db().select().from(clientes).where(eq(clientes.client_application_id, app.id))).toHaveLength(1);
  });

  it('POST /webhooks: a retried creation gives back the same webhook and secret; one configuration; the secret is not stored in clear', async () => {
    const { app, token } = await createTenant();
    const headers = { 'Idempotency-Key': 'webhook-1' };
    const first = await json(await api('POST', '/webhooks', { token, body: WEBHOOK, headers }));
    const again = await api('POST', '/webhooks', { token, body: WEBHOOK, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    const replay = await json(again);
    expect(replay.id).toBe(first.id);
    expect(replay.secret).toBe(first.secret);
    expect(await db().select().from(webhookConfigurations).where(eq(webhookConfigurations.client_application_id, app.id))).toHaveLength(1);
    const guardada = await db().select().from(idempotencyKeys).where(eq(idempotencyKeys.client_application_id, app.id)).get();
    expect(guardada!.response_body).not.toContain(first.secret);
  });

  it('a refused creation stores nothing, so the same key can be used again once the body is fixed', async () => {
    const { app, token } = await createTenant();
    const headers = { 'Idempotency-Key': 'cliente-2' };
    await expectError(await api('POST', '/clientes', { token, body: { ...CLIENTE, rfc: 'NO-ES-RFC' }, headers }), 422);
    expect((await api('POST', '/clientes', { token, body: CLIENTE, headers })).status).toBe(201);
    expect(await db().select().from(clientes).where(eq(clientes.client_application_id, app.id))).toHaveLength(1);
  });
});

describe('the key, the row and the answer are one write', () => {
  it('20 concurrent requests with one key: one factura, and every answer is it (none "in progress")', async () => {
    const { app, token } = await createEmisor();
    const headers = { 'Idempotency-Key': 'rafaga-1' };
    const respuestas = await Promise.all(Array.from({ length: 20 }, () => api('POST', '/facturas', { token, body: facturaBase(), headers })));
    expect(respuestas.map((r) => r.status)).toEqual(Array(20).fill(202));
    const ids = new Set(await Promise.all(respuestas.map(async (r) => (await json(r)).id)));
    expect(ids.size).toBe(1);
    expect(await db().select().from(facturas).where(eq(facturas.client_application_id, app.id))).toHaveLength(1);
  });

  it('D1 failing after the batch committed: the call finds its own answer, and a retry gets that factura, not a 409 or a second one', async () => {
    const { app } = await createEmisor();
    const t = { applicationId: app.id, mode: 'test' as const };
    // D1 committed, then the call failed (a dropped connection): the batch ran, the caller is told it did not.
    const caeDespues = new Proxy(env.DB, {
      get: (target, prop) =>
        prop === 'batch'
          ? async (s: D1PreparedStatement[]) => {
              await target.batch(s);
              throw new Error('proceso terminado');
            }
          : (Reflect.get(target, prop) as Function).bind(target),
    });
    const primera = await aceptarFactura(depsDe(env, undefined, { d1: caeDespues }), t, facturaBase(), { idempotencyKey: 'tras-caida' });
    const filas = await db().select().from(facturas).where(eq(facturas.client_application_id, app.id));
    expect(filas).toHaveLength(1);
    expect(primera).toEqual({ value: { id: filas[0]!.id, status: 'pendiente', advertencias: [] }, replayed: false });

    const retry = await aceptarFactura(depsDe(env), t, facturaBase(), { idempotencyKey: 'tras-caida' });
    expect(retry).toEqual({ value: { id: filas[0]!.id, status: 'pendiente', advertencias: [] }, replayed: true });
    expect(await db().select().from(facturas).where(eq(facturas.client_application_id, app.id))).toHaveLength(1);
  });

  it('a crash before the batch: nothing was kept, so the retry creates the factura once', async () => {
    const { app } = await createEmisor();
    const t = { applicationId: app.id, mode: 'test' as const };
    const caeAntes = new Proxy(env.DB, {
      get: (target, prop) =>
        prop === 'batch' ? async () => Promise.reject(new Error('proceso terminado')) : (Reflect.get(target, prop) as Function).bind(target),
    });
    await expect(aceptarFactura(depsDe(env, undefined, { d1: caeAntes }), t, facturaBase(), { idempotencyKey: 'antes-caida' })).rejects.toThrow();
    const where = and(eq(idempotencyKeys.client_application_id, app.id), eq(idempotencyKeys.key, 'antes-caida'));
    expect(await db().select().from(idempotencyKeys).where(where).get()).toBeUndefined();
    const r = await aceptarFactura(depsDe(env), t, facturaBase(), { idempotencyKey: 'antes-caida' });
    expect(r.replayed).toBe(false);
    expect(await db().select().from(facturas).where(eq(facturas.client_application_id, app.id))).toHaveLength(1);
  });

  it('a claim with no answer, left by the mechanism before this one, no longer blocks its key', async () => {
    const { app, token } = await createEmisor();
    await db().insert(idempotencyKeys).values({
      client_application_id: app.id,
      mode: 'test',
      key: 'huerfana',
      request_hash: 'x',
      expires_at: new Date(Date.now() + 3600e3).toISOString(),
    });
    const r = await api('POST', '/facturas', { token, body: facturaBase(), headers: { 'Idempotency-Key': 'huerfana' } });
    expect(r.status).toBe(202);
  });
});
