import { evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { eventos, facturas, webhookConfigurations } from '../../src/db/schema';
import { uuidv7 } from '../../src/lib/ids';
import { endpointStub, deliveryRetryDelay, REINTENTOS_MS } from '../../src/webhooks/delivery';
import { despacharEvento, despacharPendientes } from '../../src/webhooks/events';
import { api, createTenant, json } from '../helpers';
import { depsDe } from '../../src/deps';
import {
  entregasDe,
  esperar,
  esperarIntentos,
  guion,
  recibidas,
  registrarEvento,
  tenantConWebhook,
  verificaStandardWebhooks,
} from './webhooks-helpers';

const idsRecibidos = async (host: string) => (await recibidas(host)).map((r) => r.headers['webhook-id']);

describe('signature (Standard Webhooks)', () => {
  it('verifies with an independent implementation; a tampered body, an old timestamp or another secret fail', async () => {
    const { host, secret, tenant } = await tenantConWebhook();
    const evento = await registrarEvento(tenant);
    await despacharEvento(depsDe(env), evento.id);
    const [r] = await esperar(() => recibidas(host), (l) => l.length === 1);
    expect(r!.method).toBe('POST');
    expect(r!.headers['content-type']).toBe('application/json');
    expect(r!.headers['webhook-id']).toBe(evento.id);
    expect(Math.abs(Number(r!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(r!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(await verificaStandardWebhooks(secret, r!.headers, r!.body)).toBe(true);

    expect(await verificaStandardWebhooks(secret, r!.headers, r!.body.replace('timbrada', 'cancelada'))).toBe(false);
    const diezMinutosDespues = Number(r!.headers['webhook-timestamp']) + 600;
    expect(await verificaStandardWebhooks(secret, r!.headers, r!.body, diezMinutosDespues)).toBe(false);
    const otro = await tenantConWebhook();
    expect(await verificaStandardWebhooks(otro.secret, r!.headers, r!.body)).toBe(false);
  });

  it('sends the body {id, type, timestamp, created, mode, data}', async () => {
    const { host, tenant } = await tenantConWebhook();
    const data = { id: uuidv7(), status: 'timbrada', total: '1160.00' };
    const evento = await registrarEvento(tenant, 'factura.timbrada', data);
    await despacharEvento(depsDe(env), evento.id);
    const [r] = await esperar(() => recibidas(host), (l) => l.length === 1);
    expect(JSON.parse(r!.body)).toEqual({ id: evento.id, type: 'factura.timbrada', timestamp: evento.created_at, created: evento.created_at, mode: 'test', data });
  });
});

describe('fan-out', () => {
  it('reaches only active webhooks of the same application and mode subscribed to the type', async () => {
    const a = await tenantConWebhook({ events: ['factura.timbrada'] });
    const todos = await json(await api('POST', '/webhooks', { token: a.token, body: { url: `https://${a.host}/todos`, events: ['*'] } }));
    const otro = await json(
      await api('POST', '/webhooks', { token: a.token, body: { url: `https://${a.host}/otro`, events: ['factura.cancelada'] } }),
    );
    const apagado = await json(
      await api('POST', '/webhooks', { token: a.token, body: { url: `https://${a.host}/apagado`, events: ['*'] } }),
    );
    await api('PATCH', `/webhooks/${apagado.id}`, { token: a.token, body: { active: false } });
    const b = await tenantConWebhook(); // another application, '*'
    const live = await tenantConWebhook({ mode: 'live' });
    await getDb(env).update(webhookConfigurations).set({ client_application_id: a.app.id }).where(eq(webhookConfigurations.id, live.webhook.id));

    const evento = await registrarEvento(a.tenant, 'factura.timbrada');
    await despacharEvento(depsDe(env), evento.id);
    const paths = (await esperar(() => recibidas(a.host), (l) => l.length === 2)).map((r) => new URL(r.url).pathname).sort();
    expect(paths).toEqual(['/hook', '/todos']);
    expect(await entregasDe(a.token, otro.id)).toEqual([]);
    expect(await entregasDe(a.token, apagado.id)).toEqual([]);
    expect(await recibidas(b.host)).toEqual([]);
    expect(await recibidas(live.host)).toEqual([]);
    expect((await entregasDe(a.token, todos.id)).map((e) => e.evento_id)).toEqual([evento.id]);
    const fila = await getDb(env).select().from(eventos).where(eq(eventos.id, evento.id)).get();
    expect(fila!.despachado_at).toBeTruthy();
  });

  it("'*' means every documented type, never an intermediate state", async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook({ events: ['*'] });
    const interno = await registrarEvento(tenant, 'factura.cancelacion_pendiente');
    const publico = await registrarEvento(tenant, 'factura.cancelada');
    await despacharEvento(depsDe(env), interno.id);
    await despacharEvento(depsDe(env), publico.id);
    await esperar(() => entregasDe(token, webhook.id), (l) => l[0]?.status === 'entregada');
    expect(await idsRecibidos(host)).toEqual([publico.id]);
    expect((await getDb(env).select().from(eventos).where(eq(eventos.id, interno.id)).get())!.despachado_at).toBeTruthy();
  });

  it('despacharEvento called twice (even with despachado_at lost) delivers once', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    const evento = await registrarEvento(tenant);
    await despacharEvento(depsDe(env), evento.id);
    await despacharEvento(depsDe(env), evento.id);
    // A job that died after enqueueing but before recording the dispatch: the endpoint dedupes by event id.
    await getDb(env).update(eventos).set({ despachado_at: null }).where(eq(eventos.id, evento.id));
    await despacharEvento(depsDe(env), evento.id);
    await esperar(() => recibidas(host), (l) => l.length === 1);
    const log = await esperar(() => entregasDe(token, webhook.id), (l) => l[0]?.status === 'entregada');
    expect(log).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await idsRecibidos(host)).toEqual([evento.id]);
  });

  it('despacharPendientes dispatches what was left undispatched, optionally for one factura', async () => {
    const { host, tenant } = await tenantConWebhook();
    const facturaId = uuidv7();
    await getDb(env).insert(facturas).values({
      id: facturaId,
      client_application_id: tenant.applicationId,
      mode: 'test',
      tipo: 'I',
      status: 'timbrada',
      serie: 'A',
      folio: String(Date.now()),
      receptor_rfc: 'XAXX010101000',
      receptor_nombre: 'PUBLICO EN GENERAL',
      moneda: 'MXN',
      subtotal: '100.00',
      total: '116.00',
      fecha: '2026-05-01T12:00:00',
      datos: {},
    });
    const deFactura = await registrarEvento(tenant, 'factura.timbrada', { id: facturaId }, facturaId);
    const suelto = await registrarEvento(tenant, 'factura.error');
    expect(await despacharPendientes(depsDe(env), { facturaId })).toBe(1);
    expect(await esperar(() => idsRecibidos(host), (l) => l.length === 1)).toEqual([deFactura.id]);
    expect(await despacharPendientes(depsDe(env))).toBeGreaterThanOrEqual(1);
    expect(await esperar(() => idsRecibidos(host), (l) => l.length === 2)).toEqual([deFactura.id, suelto.id]);
    expect(await despacharPendientes(depsDe(env), { facturaId })).toBe(0);
  });
});

describe('delivery in order with retries', () => {
  it('keeps order: events behind a failing one wait, then go in creation order', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 503, body: 'down' }] });
    const e = [await registrarEvento(tenant), await registrarEvento(tenant), await registrarEvento(tenant)];
    for (const ev of e) await despacharEvento(depsDe(env), ev.id);
    await esperarIntentos(token, webhook.id);
    const log = await entregasDe(token, webhook.id);
    const primera = log.find((x) => x.evento_id === e[0]!.id);
    expect(primera.status).toBe('pendiente');
    expect(primera.intentos).toMatchObject([{ numero: 1, status_code: 503, respuesta: 'down', error: expect.stringContaining('503') }]);
    const espera = Date.parse(primera.proximo_intento_at) - Date.parse(primera.intentos[0].at);
    expect(espera).toBeGreaterThanOrEqual(27_000);
    expect(espera).toBeLessThanOrEqual(33_000);
    expect(log.filter((x) => x.intentos.length === 0)).toHaveLength(2);

    expect(await runDurableObjectAlarm(endpointStub(env.WEBHOOK_ENDPOINT, webhook.id))).toBe(true);
    expect(await idsRecibidos(host)).toEqual([e[0]!.id, e[0]!.id, e[1]!.id, e[2]!.id]);
    expect((await entregasDe(token, webhook.id)).map((x) => x.status)).toEqual(['entregada', 'entregada', 'entregada']);
  });

  it('orders by event creation even when dispatched out of order', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 500 }] });
    const previo = await registrarEvento(tenant);
    const primero = await registrarEvento(tenant);
    const segundo = await registrarEvento(tenant);
    await despacharEvento(depsDe(env), previo.id);
    await esperarIntentos(token, webhook.id);
    await despacharEvento(depsDe(env), segundo.id);
    await despacharEvento(depsDe(env), primero.id);
    await runDurableObjectAlarm(endpointStub(env.WEBHOOK_ENDPOINT, webhook.id));
    expect(await idsRecibidos(host)).toEqual([previo.id, previo.id, primero.id, segundo.id]);
  });

  it('endpoint down then up: every event delivered, each event id once as delivered', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { siempre: { status: 502, body: 'bad gateway' } });
    const e = [await registrarEvento(tenant), await registrarEvento(tenant, 'factura.cancelada'), await registrarEvento(tenant)];
    for (const ev of e) await despacharEvento(depsDe(env), ev.id);
    const stub = endpointStub(env.WEBHOOK_ENDPOINT, webhook.id);
    await esperarIntentos(token, webhook.id);
    for (let i = 0; i < 3; i++) expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await idsRecibidos(host)).toEqual([e[0]!.id, e[0]!.id, e[0]!.id, e[0]!.id]);
    const log = await entregasDe(token, webhook.id);
    const demoras = log.find((x) => x.evento_id === e[0]!.id).intentos;
    expect(demoras.map((i: any) => i.status_code)).toEqual([502, 502, 502, 502]);

    await guion(host, { siempre: { status: 204 } });
    await runDurableObjectAlarm(stub);
    const todas = await recibidas(host);
    const entregadas = todas.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.headers['webhook-id']);
    expect(entregadas).toEqual(e.map((x) => x.id));
    const final = await entregasDe(token, webhook.id);
    for (const ev of e) {
      const suyas = final.filter((x) => x.evento_id === ev.id);
      expect(suyas).toHaveLength(1);
      expect(suyas[0].status).toBe('entregada');
      expect(suyas[0].intentos.filter((i: any) => i.status_code >= 200 && i.status_code < 300)).toHaveLength(1);
    }
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it('backs off ~30 s, 2 min, 10 min, 1 h, 6 h, then daily, gives up after 3 days as fallida and moves on', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: Array(REINTENTOS_MS.length + 1).fill({ status: 500 }) });
    const muerto = await registrarEvento(tenant);
    const siguiente = await registrarEvento(tenant);
    await despacharEvento(depsDe(env), muerto.id);
    await despacharEvento(depsDe(env), siguiente.id);
    const stub = endpointStub(env.WEBHOOK_ENDPOINT, webhook.id);
    await esperarIntentos(token, webhook.id);
    const esperas: number[] = [];
    for (let i = 0; i < REINTENTOS_MS.length; i++) {
      const e = (await entregasDe(token, webhook.id)).find((x) => x.evento_id === muerto.id);
      esperas.push(Date.parse(e.proximo_intento_at) - Date.parse(e.intentos.at(-1).at));
      expect(await runDurableObjectAlarm(stub)).toBe(true);
    }
    const expected = [30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000, 86_400_000];
    expected.forEach((ms, i) => {
      expect(esperas[i]).toBeGreaterThanOrEqual(ms * 0.9 - 5);
      expect(esperas[i]).toBeLessThanOrEqual(ms * 1.1 + 5);
    });
    // The retries span 3 days in total.
    expect(REINTENTOS_MS.reduce((a, b) => a + b, 0)).toBe(3 * 86_400_000);
    const log = await entregasDe(token, webhook.id);
    const fallida = log.find((x) => x.evento_id === muerto.id);
    expect(fallida.status).toBe('fallida');
    expect(fallida.intentos).toHaveLength(REINTENTOS_MS.length + 1);
    expect(fallida.proximo_intento_at).toBeNull();
    expect(log.find((x) => x.evento_id === siguiente.id).status).toBe('entregada');
    expect((await idsRecibidos(host)).at(-1)).toBe(siguiente.id);
  });

  it('the queue lives in durable storage: an evicted object still delivers everything, in order', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 503 }] });
    const e = [await registrarEvento(tenant), await registrarEvento(tenant)];
    for (const ev of e) await despacharEvento(depsDe(env), ev.id);
    await esperarIntentos(token, webhook.id);
    const stub = endpointStub(env.WEBHOOK_ENDPOINT, webhook.id);
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await idsRecibidos(host)).toEqual([e[0]!.id, e[0]!.id, e[1]!.id]);
  });

  it('jitter stays within ±10 % and the schedule ends', () => {
    expect(deliveryRetryDelay(1, 0)).toBe(27_000);
    expect(deliveryRetryDelay(1, 1)).toBe(33_000);
    expect(deliveryRetryDelay(2, 0.5)).toBe(120_000);
    expect(deliveryRetryDelay(REINTENTOS_MS.length + 1)).toBeNull();
  });

  it('counts only 2xx: a redirect is a failure and is not followed', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 302 }] });
    await despacharEvento(depsDe(env), (await registrarEvento(tenant)).id);
    const [e] = await esperar(() => entregasDe(token, webhook.id), (l) => l[0]?.intentos.length === 1);
    expect(e.status).toBe('pendiente');
    expect(e.intentos[0].status_code).toBe(302);
    expect(await recibidas(host)).toHaveLength(1);
  });

  it('stores the first KiB of the response and the latency', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 200, body: 'x'.repeat(3000), delay_ms: 50 }] });
    await despacharEvento(depsDe(env), (await registrarEvento(tenant)).id);
    const [e] = await esperar(() => entregasDe(token, webhook.id), (l) => l[0]?.status === 'entregada');
    expect(e.intentos[0].respuesta).toBe('x'.repeat(1024));
    expect(e.intentos[0].latencia_ms).toBeGreaterThanOrEqual(45);
    expect(e.finalizada_at).toBeTruthy();
  });

  it('times out at 10 s and retries', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 200, delay_ms: 10_500 }] });
    await despacharEvento(depsDe(env), (await registrarEvento(tenant)).id);
    const [e] = await esperar(() => entregasDe(token, webhook.id), (l) => l[0]?.intentos.length === 1, 15_000);
    expect(e.status).toBe('pendiente');
    expect(e.intentos[0]).toMatchObject({ status_code: null, error: expect.stringContaining('10 s') });
    expect(e.intentos[0].latencia_ms).toBeGreaterThanOrEqual(9_900);
    expect(e.intentos[0].latencia_ms).toBeLessThan(10_500);
    await runDurableObjectAlarm(endpointStub(env.WEBHOOK_ENDPOINT, webhook.id));
    expect((await entregasDe(token, webhook.id))[0].status).toBe('entregada');
  }, 30_000);
});

describe('disabled and deleted endpoints', () => {
  it('a disabled endpoint pauses (nothing sent) and resumes in order when enabled again', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 500 }] });
    const e1 = await registrarEvento(tenant);
    await despacharEvento(depsDe(env), e1.id);
    await esperarIntentos(token, webhook.id);
    await api('PATCH', `/webhooks/${webhook.id}`, { token, body: { active: false } });
    const e2 = await registrarEvento(tenant);
    await despacharEvento(depsDe(env), e2.id); // not subscribed while disabled
    await runDurableObjectAlarm(endpointStub(env.WEBHOOK_ENDPOINT, webhook.id));
    expect(await recibidas(host)).toHaveLength(1);
    expect((await entregasDe(token, webhook.id)).map((x) => x.status)).toEqual(['pendiente']);

    await api('PATCH', `/webhooks/${webhook.id}`, { token, body: { active: true } });
    await esperar(() => recibidas(host), (l) => l.length === 2);
    expect(await idsRecibidos(host)).toEqual([e1.id, e1.id]);
  });

  it('a deleted endpoint drops what was waiting and receives nothing more', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 500 }] });
    const e1 = await registrarEvento(tenant);
    await despacharEvento(depsDe(env), e1.id);
    await esperarIntentos(token, webhook.id);
    expect((await api('DELETE', `/webhooks/${webhook.id}`, { token })).status).toBe(204);
    await despacharEvento(depsDe(env), (await registrarEvento(tenant)).id);
    const stub = endpointStub(env.WEBHOOK_ENDPOINT, webhook.id);
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    expect(await recibidas(host)).toHaveLength(1);
    const { data } = await stub.listar({ limit: 10 });
    expect(data.map((x) => x.status)).toEqual(['descartada']);
  });

  it('the object re-reads its configuration: a deletion it was not told about still stops delivery', async () => {
    const { host, token, webhook, tenant } = await tenantConWebhook();
    await guion(host, { guion: [{ status: 500 }] });
    await despacharEvento(depsDe(env), (await registrarEvento(tenant)).id);
    await esperarIntentos(token, webhook.id);
    await getDb(env).update(webhookConfigurations).set({ deleted_at: new Date().toISOString() }).where(eq(webhookConfigurations.id, webhook.id));
    await runDurableObjectAlarm(endpointStub(env.WEBHOOK_ENDPOINT, webhook.id));
    expect(await recibidas(host)).toHaveLength(1);
  });
});

describe('secret rotation', () => {
  it('signs with both secrets for 24 h, then only with the new one', async () => {
    const { host, token, webhook, secret: viejo, tenant } = await tenantConWebhook();
    const rot = await json(await api('POST', `/webhooks/${webhook.id}/rotar-secreto`, { token }));
    const nuevo = rot.secret as string;
    expect(nuevo).not.toBe(viejo);
    const hasta = Date.parse(rot.secreto_anterior_vigente_hasta);
    expect(Math.abs(hasta - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);

    await despacharEvento(depsDe(env), (await registrarEvento(tenant)).id);
    const [r] = await esperar(() => recibidas(host), (l) => l.length === 1);
    expect(r!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(r!.headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    expect(await verificaStandardWebhooks(nuevo, r!.headers, r!.body)).toBe(true);
    expect(await verificaStandardWebhooks(viejo, r!.headers, r!.body)).toBe(true);

    // 24 h later.
    await getDb(env)
      .update(webhookConfigurations)
      .set({ secret_anterior_expira: new Date(Date.now() - 1000).toISOString() })
      .where(eq(webhookConfigurations.id, webhook.id));
    await despacharEvento(depsDe(env), (await registrarEvento(tenant)).id);
    const [, r2] = await esperar(() => recibidas(host), (l) => l.length === 2);
    expect(r2!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(await verificaStandardWebhooks(nuevo, r2!.headers, r2!.body)).toBe(true);
    expect(await verificaStandardWebhooks(viejo, r2!.headers, r2!.body)).toBe(false);
    expect((await json(await api('GET', `/webhooks/${webhook.id}`, { token }))).secreto_anterior_vigente_hasta).toBeNull();
  });
});

describe('isolation between endpoints', () => {
  it('a failing endpoint does not hold back another one', async () => {
    const lento = await tenantConWebhook();
    await guion(lento.host, { siempre: { status: 500 } });
    const rapido = await json(
      await api('POST', '/webhooks', { token: lento.token, body: { url: `https://ok-${lento.host}/hook`, events: ['*'] } }),
    );
    const ev = await registrarEvento(lento.tenant);
    await despacharEvento(depsDe(env), ev.id);
    await esperar(() => recibidas(`ok-${lento.host}`), (l) => l.length === 1);
    expect((await entregasDe(lento.token, rapido.id))[0].status).toBe('entregada');
    expect((await entregasDe(lento.token, lento.webhook.id))[0].status).toBe('pendiente');
  });
});

describe('stored secrets', () => {
  it('keeps the secret encrypted at rest', async () => {
    const { webhook, secret } = await tenantConWebhook();
    const fila = await getDb(env).select().from(webhookConfigurations).where(eq(webhookConfigurations.id, webhook.id)).get();
    expect(fila!.secret_cifrado).toMatch(/^v1\./);
    expect(fila!.secret_cifrado).not.toContain(secret.slice(6, 20));
  });

  it('an unrelated tenant created without webhooks gets nothing', async () => {
    const { app } = await createTenant();
    const ev = await registrarEvento({ applicationId: app.id, mode: 'test' });
    await despacharEvento(depsDe(env), ev.id);
    expect((await getDb(env).select().from(eventos).where(eq(eventos.id, ev.id)).get())!.despachado_at).toBeTruthy();
  });
});
