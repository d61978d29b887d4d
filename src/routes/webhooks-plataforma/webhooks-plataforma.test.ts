import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, createTenant, expectError, json } from '../../../test/helpers';
import {
  esperar,
  guion,
  hostUnico,
  plataformaConKey,
  plataformaConWebhook,
  recibidas,
  registrarEvento,
  tenantConWebhook,
  verificaStandardWebhooks,
} from '../../../test/workers/webhooks-helpers';
import { getDb } from '../../db/client';
import { clientApplications, platformWebhooks, webhookConfigurations } from '../../db/schema';
import { depsDe } from '../../deps';
import { decryptSecretText } from '../../lib/crypto';
import { despacharEvento, EVENTOS_PLATAFORMA } from '../../webhooks/events';

const nuevo = (host = hostUnico()) => ({ url: `https://${host}/hook`, events: ['aplicacion.csd_por_vencer'], description: 'ERP' });
const filasDe = (platformId: string) => getDb(env).select().from(platformWebhooks).where(eq(platformWebhooks.platform_id, platformId)).all();

describe('POST /plataforma/webhooks', () => {
  it('creates the endpoint and returns its secret once, stored encrypted; it has no mode', async () => {
    const { platformId, token } = await plataformaConKey();
    const res = await api('POST', '/plataforma/webhooks', { token, body: nuevo() });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ events: ['aplicacion.csd_por_vencer'], description: 'ERP', active: true, secreto_anterior_vigente_hasta: null });
    expect(body).not.toHaveProperty('mode');
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const [fila] = await filasDe(platformId);
    expect(fila!.id).toBe(body.id);
    expect(await decryptSecretText(env.MASTER_KEY, fila!.secret_cifrado)).toBe(body.secret);
    const visto = await json(await api('GET', `/plataforma/webhooks/${body.id}`, { token }));
    expect(JSON.stringify(visto)).not.toContain(body.secret);
  });

  it('honours Idempotency-Key: the same endpoint and secret again, and one row', async () => {
    const { platformId, token } = await plataformaConKey();
    const body = nuevo();
    const headers = { 'Idempotency-Key': 'plat-webhook-1' };
    const a = await api('POST', '/plataforma/webhooks', { token, body, headers });
    const b = await api('POST', '/plataforma/webhooks', { token, body, headers });
    expect(b.status).toBe(201);
    expect(b.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await json(b)).toEqual(await json(a));
    expect(await filasDe(platformId)).toHaveLength(1);
    await expectError(await api('POST', '/plataforma/webhooks', { token, body: nuevo(), headers }), 409, 'idempotency_key_reused');
  });

  it('accepts every platform event and "*"', async () => {
    const { token } = await plataformaConKey();
    const todos = await json(await api('POST', '/plataforma/webhooks', { token, body: { url: `https://${hostUnico()}/`, events: [...EVENTOS_PLATAFORMA] } }));
    expect(todos.events).toEqual(['aplicacion.csd_por_vencer', 'aplicacion.csd_vencido']);
    const estrella = await json(await api('POST', '/plataforma/webhooks', { token, body: { url: `https://${hostUnico()}/`, events: ['*'] } }));
    expect(estrella.events).toEqual(['*']);
  });

  it('422 for an application event, a plain http URL or an internal one; nothing is stored', async () => {
    const { platformId, token } = await plataformaConKey();
    const cases: [unknown, string][] = [
      [{ url: `https://${hostUnico()}/`, events: ['factura.timbrada'] }, 'events[0]'],
      [{ url: `https://${hostUnico()}/`, events: ['aplicacion.csd_vencido', 'lote.completado'] }, 'events[1]'],
      [{ url: `http://${hostUnico()}/`, events: ['*'] }, 'url'],
      [{ url: 'https://127.0.0.1/hook', events: ['*'] }, 'url'],
      [{ url: `https://${hostUnico()}/`, events: [] }, 'events'],
    ];
    for (const [body, path] of cases) {
      const err = await expectError(await api('POST', '/plataforma/webhooks', { token, body }), 422, 'validation_error');
      expect(err.details.map((d) => d.path)).toContain(path);
    }
    expect(await filasDe(platformId)).toHaveLength(0);
  });
});

describe('the other /plataforma/webhooks routes', () => {
  it('lists, reads, updates, rotates and deletes the platform endpoints', async () => {
    const { token, webhook, secret } = await plataformaConWebhook(['aplicacion.csd_vencido']);
    const lista = await json(await api('GET', '/plataforma/webhooks', { token }));
    expect(lista.data.map((w: any) => w.id)).toEqual([webhook.id]);

    const url = `https://${hostUnico()}/otro`;
    const cambiado = await json(await api('PATCH', `/plataforma/webhooks/${webhook.id}`, { token, body: { url, events: ['*'], active: false } }));
    expect(cambiado).toMatchObject({ id: webhook.id, url, events: ['*'], active: false });
    expect(await json(await api('GET', `/plataforma/webhooks/${webhook.id}`, { token }))).toMatchObject({ url, active: false });

    const rotado = await json(await api('POST', `/plataforma/webhooks/${webhook.id}/rotar-secreto`, { token }));
    expect(rotado.secret).not.toBe(secret);
    expect(rotado.secreto_anterior_vigente_hasta).toEqual(expect.any(String));

    expect((await api('DELETE', `/plataforma/webhooks/${webhook.id}`, { token })).status).toBe(204);
    await expectError(await api('GET', `/plataforma/webhooks/${webhook.id}`, { token }), 404, 'not_found');
    expect((await json(await api('GET', '/plataforma/webhooks', { token }))).data).toEqual([]);
  });

  it('PATCH refuses an application event with a 422 and changes nothing', async () => {
    const { token, webhook } = await plataformaConWebhook(['aplicacion.csd_vencido']);
    const err = await expectError(await api('PATCH', `/plataforma/webhooks/${webhook.id}`, { token, body: { events: ['factura.cancelada'] } }), 422);
    expect(err.details[0]!.path).toBe('events[0]');
    expect((await json(await api('GET', `/plataforma/webhooks/${webhook.id}`, { token }))).events).toEqual(['aplicacion.csd_vencido']);
  });

  it('sends a signed webhook.prueba through the endpoint object, logged in its entregas', async () => {
    const { token, webhook, secret, host } = await plataformaConWebhook();
    const res = await api('POST', `/plataforma/webhooks/${webhook.id}/prueba`, { token });
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ type: 'webhook.prueba', origen: 'prueba' });
    const [r] = await esperar(() => recibidas(host), (l) => l.length === 1);
    expect(await verificaStandardWebhooks(secret, r!.headers, r!.body)).toBe(true);
    expect(JSON.parse(r!.body)).toMatchObject({ type: 'webhook.prueba', data: { webhook_id: webhook.id } });
    const entregas = await esperar(
      async () => (await json(await api('GET', `/plataforma/webhooks/${webhook.id}/entregas`, { token }))).data as any[],
      (l) => l[0]?.status === 'entregada',
    );
    const reenvio = await api('POST', `/plataforma/webhooks/${webhook.id}/entregas/${entregas[0].id}/reenviar`, { token });
    expect(reenvio.status).toBe(202);
    await esperar(() => recibidas(host), (l) => l.length === 2);
  });

  it('409 for a test event to a disabled endpoint', async () => {
    const { token, webhook } = await plataformaConWebhook();
    await api('PATCH', `/plataforma/webhooks/${webhook.id}`, { token, body: { active: false } });
    await expectError(await api('POST', `/plataforma/webhooks/${webhook.id}/prueba`, { token }), 409, 'webhook_inactivo');
  });
});

describe('security of /plataforma/webhooks', () => {
  it('401 without a key and with an application key; 403 without the scope', async () => {
    await expectError(await api('GET', '/plataforma/webhooks'), 401, 'missing_api_key');
    const { token: appToken } = await createTenant();
    await expectError(await api('GET', '/plataforma/webhooks', { token: appToken }), 401, 'invalid_api_key');
    await expectError(await api('POST', '/plataforma/webhooks', { token: appToken, body: nuevo() }), 401, 'invalid_api_key');
    const { platformId, token: lector } = await plataformaConKey(['webhooks:read']);
    await expectError(await api('POST', '/plataforma/webhooks', { token: lector, body: nuevo() }), 403, 'insufficient_scope');
    const { token: sinWebhooks } = await plataformaConKey(['aplicaciones:read']);
    await expectError(await api('GET', '/plataforma/webhooks', { token: sinWebhooks }), 403, 'insufficient_scope');
    expect(await filasDe(platformId)).toHaveLength(0);
  });

  it('another platform endpoint, and an application webhook, are 404 on every {id} route', async () => {
    const ajena = await plataformaConWebhook();
    const deApp = await tenantConWebhook();
    const { token } = await plataformaConKey();
    for (const id of [ajena.webhook.id, deApp.webhook.id]) {
      await expectError(await api('GET', `/plataforma/webhooks/${id}`, { token }), 404, 'not_found');
      await expectError(await api('PATCH', `/plataforma/webhooks/${id}`, { token, body: { active: false } }), 404, 'not_found');
      await expectError(await api('POST', `/plataforma/webhooks/${id}/rotar-secreto`, { token }), 404, 'not_found');
      await expectError(await api('POST', `/plataforma/webhooks/${id}/prueba`, { token }), 404, 'not_found');
      await expectError(await api('GET', `/plataforma/webhooks/${id}/entregas`, { token }), 404, 'not_found');
      await expectError(await api('POST', `/plataforma/webhooks/${id}/entregas/x/reenviar`, { token }), 404, 'not_found');
      await expectError(await api('DELETE', `/plataforma/webhooks/${id}`, { token }), 404, 'not_found');
    }
    // and a platform endpoint is not an application's either
    await expectError(await api('GET', `/webhooks/${ajena.webhook.id}`, { token: deApp.token }), 404, 'not_found');
    const [otra] = await filasDe(ajena.platformId);
    expect(otra).toMatchObject({ active: true, deleted_at: null });
    const app = await getDb(env).select().from(webhookConfigurations).where(eq(webhookConfigurations.id, deApp.webhook.id)).get();
    expect(app).toMatchObject({ active: true, deleted_at: null });
  });

  it('the application own events never reach its platform endpoints', async () => {
    const plataforma = await plataformaConWebhook(['*']);
    const app = await tenantConWebhook();
    await getDb(env).update(clientApplications).set({ platform_id: plataforma.platformId }).where(eq(clientApplications.id, app.app.id));
    for (const type of ['factura.timbrada', 'lote.completado', 'cancelacion_recibida.pendiente']) {
      await despacharEvento(depsDe(env), (await registrarEvento(app.tenant, type)).id);
    }
    await esperar(() => recibidas(app.host), (l) => l.length === 3);
    // a test event afterwards arrives, so anything dispatched before it would have too
    await guion(plataforma.host, { siempre: { status: 200 } });
    await api('POST', `/plataforma/webhooks/${plataforma.webhook.id}/prueba`, { token: plataforma.token });
    const llegadas = await esperar(() => recibidas(plataforma.host), (l) => l.length >= 1);
    expect(llegadas.map((r) => JSON.parse(r.body).type)).toEqual(['webhook.prueba']);
  });
});
