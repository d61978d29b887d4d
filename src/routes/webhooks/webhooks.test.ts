import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, createKey, createTenant, expectError, json } from '../../../test/helpers';
import {
  entregasDe,
  esperar,
  esperarIntentos,
  guion,
  hostUnico,
  recibidas,
  registrarEvento,
  tenantConWebhook,
  verificaStandardWebhooks,
} from '../../../test/workers/webhooks-helpers';
import { getDb } from '../../db/client';
import { webhookConfigurations } from '../../db/schema';
import { decryptSecretText } from '../../lib/crypto';
import { despacharEvento, EVENT_TYPES } from '../../webhooks/events';
import { MAX_WEBHOOKS } from '../../services/webhooks';
import { depsDe } from '../../deps';

const nuevo = (host = hostUnico()) => ({ url: `https://${host}/hook`, events: ['factura.timbrada'], description: 'ERP' });

describe('POST /webhooks', () => {
  it('creates the webhook and returns its secret once, stored encrypted', async () => {
    const { token } = await createTenant();
    const res = await api('POST', '/webhooks', { token, body: nuevo() });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ events: ['factura.timbrada'], description: 'ERP', active: true, mode: 'test', secreto_anterior_vigente_hasta: null });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(body.secret.slice(6))).toHaveLength(32);
    const fila = await getDb(env).select().from(webhookConfigurations).where(eq(webhookConfigurations.id, body.id)).get();
    expect(await decryptSecretText(env.MASTER_KEY, fila!.secret_cifrado)).toBe(body.secret);
    const visto = await json(await api('GET', `/webhooks/${body.id}`, { token }));
    expect(visto.secret).toBeUndefined();
    expect(JSON.stringify(visto)).not.toContain(body.secret);
  });

  it('takes "*" as every event and folds duplicates', async () => {
    const { token } = await createTenant();
    const todos = await json(await api('POST', '/webhooks', { token, body: { url: `https://${hostUnico()}/`, events: ['factura.error', '*'] } }));
    expect(todos.events).toEqual(['*']);
    const dup = await json(
      await api('POST', '/webhooks', { token, body: { url: `https://${hostUnico()}/`, events: ['factura.error', 'factura.error', 'nota_credito.timbrada'] } }),
    );
    expect(dup.events).toEqual(['factura.error', 'nota_credito.timbrada']);
  });

  it('accepts every documented event type', async () => {
    const { token } = await createTenant();
    const res = await api('POST', '/webhooks', { token, body: { url: `https://${hostUnico()}/`, events: [...EVENT_TYPES] } });
    expect((await json(res)).events).toEqual([...EVENT_TYPES]);
  });

  it('422 for missing or unknown fields values', async () => {
    const { token } = await createTenant();
    const cases: [unknown, string][] = [
      [{ events: ['*'] }, 'url'],
      [{ url: 'https://example.com/' }, 'events'],
      [{ url: 'https://example.com/', events: [] }, 'events'],
      [{ url: 'https://example.com/', events: ['factura.inventada'] }, 'events[0]'],
      [{ url: 'https://example.com/', events: ['*'], description: 'x'.repeat(501) }, 'description'],
      [{ url: 'ftp://example.com/', events: ['*'] }, 'url'],
    ];
    for (const [body, path] of cases) {
      const err = await expectError(await api('POST', '/webhooks', { token, body }), 422, 'validation_error');
      expect(err.details.map((d) => d.path)).toContain(path);
    }
  });

  it('422 for a description with control characters (shown in the panel, echoed by the API)', async () => {
    const { token } = await createTenant();
    for (const description of ['ERP\u0000', 'a\u0001b', 'x\uD800y']) {
      const e = await expectError(await api('POST', '/webhooks', { token, body: { ...nuevo(), description } }), 422, 'validation_error');
      expect(e.details.map((d) => d.path)).toEqual(['description']);
    }
  });

  it('400 for broken JSON, 415 for a non-JSON body', async () => {
    const { token } = await createTenant();
    await expectError(await api('POST', '/webhooks', { token, body: '{"url":' }), 400, 'invalid_json');
    await expectError(
      await api('POST', '/webhooks', { token, body: 'url=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported_media_type',
    );
  });

  it(`409 beyond ${MAX_WEBHOOKS} webhooks per application and mode; deleted ones do not count`, async () => {
    const { token } = await createTenant();
    const ids: string[] = [];
    for (let i = 0; i < MAX_WEBHOOKS; i++) ids.push((await json(await api('POST', '/webhooks', { token, body: nuevo() }))).id);
    await expectError(await api('POST', '/webhooks', { token, body: nuevo() }), 409, 'limite_webhooks');
    await api('DELETE', `/webhooks/${ids[0]}`, { token });
    expect((await api('POST', '/webhooks', { token, body: nuevo() })).status).toBe(201);
  });
});

describe('GET /webhooks', () => {
  it('lists newest first with a cursor, without deleted ones or other tenants', async () => {
    const { app, token } = await createTenant();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json(await api('POST', '/webhooks', { token, body: nuevo() }))).id);
    const borrado = (await json(await api('POST', '/webhooks', { token, body: nuevo() }))).id;
    await api('DELETE', `/webhooks/${borrado}`, { token });
    await api('POST', '/webhooks', { token: (await createTenant()).token, body: nuevo() });
    await api('POST', '/webhooks', { token: await createKey(app.id, { mode: 'live' }), body: nuevo() });

    const p1 = await json(await api('GET', '/webhooks?limit=2', { token }));
    expect(p1.data.map((w: any) => w.id)).toEqual([ids[2], ids[1]]);
    expect(p1.data[0].secret).toBeUndefined();
    const p2 = await json(await api('GET', `/webhooks?limit=2&cursor=${p1.next_cursor}`, { token }));
    expect(p2.data.map((w: any) => w.id)).toEqual([ids[0]]);
    expect(p2.next_cursor).toBeNull();
  });

  it('422 for a bad cursor or limit', async () => {
    const { token } = await createTenant();
    await expectError(await api('GET', '/webhooks?cursor=zzz', { token }), 422, 'validation_error');
    await expectError(await api('GET', '/webhooks?limit=0', { token }), 422, 'validation_error');
  });
});

describe('GET/PATCH/DELETE /webhooks/{id}', () => {
  it('gets, updates and deletes', async () => {
    const { token } = await createTenant();
    const w = await json(await api('POST', '/webhooks', { token, body: nuevo() }));
    expect((await json(await api('GET', `/webhooks/${w.id}`, { token }))).url).toBe(w.url);

    const host = hostUnico();
    const res = await api('PATCH', `/webhooks/${w.id}`, {
      token,
      body: { url: `https://${host}/nuevo`, events: ['factura.cancelada'], description: null, active: false },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ url: `https://${host}/nuevo`, events: ['factura.cancelada'], description: null, active: false });

    const del = await api('DELETE', `/webhooks/${w.id}`, { token });
    expect(del.status).toBe(204);
    await expectError(await api('GET', `/webhooks/${w.id}`, { token }), 404, 'not_found');
    await expectError(await api('PATCH', `/webhooks/${w.id}`, { token, body: { active: true } }), 404, 'not_found');
    await expectError(await api('DELETE', `/webhooks/${w.id}`, { token }), 404, 'not_found');
  });

  it('422 for an invalid patch, 404 for an unknown id', async () => {
    const { token } = await createTenant();
    const w = await json(await api('POST', '/webhooks', { token, body: nuevo() }));
    await expectError(await api('PATCH', `/webhooks/${w.id}`, { token, body: { url: 'https://10.0.0.1/' } }), 422, 'validation_error');
    await expectError(await api('PATCH', `/webhooks/${w.id}`, { token, body: { events: [] } }), 422, 'validation_error');
    await expectError(await api('PATCH', `/webhooks/${w.id}`, { token, body: { active: 'sí' } }), 422, 'validation_error');
    await expectError(await api('GET', '/webhooks/0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11', { token }), 404, 'not_found');
    await expectError(await api('GET', '/webhooks/no-es-un-id', { token }), 404, 'not_found');
  });
});

describe('POST /webhooks/{id}/rotar-secreto', () => {
  it('returns a new secret once and reports the 24 h grace of the old one', async () => {
    const { token, webhook, secret } = await tenantConWebhook();
    const res = await api('POST', `/webhooks/${webhook.id}/rotar-secreto`, { token });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(secret);
    expect(body.secreto_anterior_vigente_hasta).toBeTruthy();
    await expectError(await api('POST', '/webhooks/0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11/rotar-secreto', { token }), 404, 'not_found');
  });
});

describe('entregas, reenviar, prueba', () => {
  it('prueba sends a signed webhook.prueba event and logs it', async () => {
    const { token, webhook, secret, host } = await tenantConWebhook();
    const res = await api('POST', `/webhooks/${webhook.id}/prueba`, { token });
    expect(res.status).toBe(202);
    const entrega = await json(res);
    expect(entrega).toMatchObject({ type: 'webhook.prueba', origen: 'prueba', status: 'pendiente' });
    const [r] = await esperar(() => recibidas(host), (l) => l.length === 1);
    expect(await verificaStandardWebhooks(secret, r!.headers, r!.body)).toBe(true);
    expect(JSON.parse(r!.body)).toMatchObject({ id: entrega.evento_id, type: 'webhook.prueba', mode: 'test', data: { webhook_id: webhook.id } });
    const [e] = await esperar(() => entregasDe(token, webhook.id), (l) => l[0]?.status === 'entregada');
    expect(e.intentos).toMatchObject([{ numero: 1, status_code: 200, respuesta: 'ok', error: null }]);
  });

  it('lists deliveries newest first with pagination', async () => {
    const { token, webhook } = await tenantConWebhook();
    for (let i = 0; i < 3; i++) await api('POST', `/webhooks/${webhook.id}/prueba`, { token });
    await esperarIntentos(token, webhook.id, 3);
    const p1 = await json(await api('GET', `/webhooks/${webhook.id}/entregas?limit=2`, { token }));
    expect(p1.data).toHaveLength(2);
    const p2 = await json(await api('GET', `/webhooks/${webhook.id}/entregas?limit=2&cursor=${p1.next_cursor}`, { token }));
    expect(p2.data).toHaveLength(1);
    expect(p2.next_cursor).toBeNull();
    expect([...p1.data, ...p2.data].map((e: any) => e.id)).toEqual([...[...p1.data, ...p2.data].map((e: any) => e.id)].sort().reverse());
    await expectError(await api('GET', `/webhooks/${webhook.id}/entregas?cursor=@@`, { token }), 422, 'validation_error');
  });

  it('reenviar queues the same body and webhook-id again', async () => {
    const { token, webhook, host, tenant } = await tenantConWebhook();
    const evento = await registrarEvento(tenant);
    await despacharEvento(depsDe(env), evento.id);
    const [original] = await esperar(() => entregasDe(token, webhook.id), (l) => l[0]?.status === 'entregada');
    const res = await api('POST', `/webhooks/${webhook.id}/entregas/${original.id}/reenviar`, { token });
    expect(res.status).toBe(202);
    const copia = await json(res);
    expect(copia).toMatchObject({ evento_id: evento.id, origen: 'reenvio' });
    expect(copia.id).not.toBe(original.id);
    const [a, b] = await esperar(() => recibidas(host), (l) => l.length === 2);
    expect(b!.body).toBe(a!.body);
    expect(b!.headers['webhook-id']).toBe(evento.id);
  });

  it('reenviar: 404 for an unknown delivery, 409 while it is still pending or the webhook is disabled', async () => {
    const { token, webhook, host, tenant } = await tenantConWebhook();
    await expectError(
      await api('POST', `/webhooks/${webhook.id}/entregas/0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11/reenviar`, { token }),
      404,
      'not_found',
    );
    await guion(host, { siempre: { status: 500 } });
    await despacharEvento(depsDe(env), (await registrarEvento(tenant)).id);
    const [pendiente] = await esperarIntentos(token, webhook.id);
    await expectError(await api('POST', `/webhooks/${webhook.id}/entregas/${pendiente.id}/reenviar`, { token }), 409, 'entrega_pendiente');
    await api('PATCH', `/webhooks/${webhook.id}`, { token, body: { active: false } });
    await expectError(await api('POST', `/webhooks/${webhook.id}/entregas/${pendiente.id}/reenviar`, { token }), 409, 'webhook_inactivo');
    await expectError(await api('POST', `/webhooks/${webhook.id}/prueba`, { token }), 409, 'webhook_inactivo');
  });
});

describe('security', () => {
  const rutas = (id: string, entrega = '0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11') =>
    [
      ['GET', '/webhooks', 'webhooks:read'],
      ['POST', '/webhooks', 'webhooks:write'],
      ['GET', `/webhooks/${id}`, 'webhooks:read'],
      ['PATCH', `/webhooks/${id}`, 'webhooks:write'],
      ['DELETE', `/webhooks/${id}`, 'webhooks:write'],
      ['POST', `/webhooks/${id}/rotar-secreto`, 'webhooks:write'],
      ['GET', `/webhooks/${id}/entregas`, 'webhooks:read'],
      ['POST', `/webhooks/${id}/entregas/${entrega}/reenviar`, 'webhooks:write'],
      ['POST', `/webhooks/${id}/prueba`, 'webhooks:write'],
    ] as const;

  it('401 without a key on every route', async () => {
    for (const [method, path] of rutas('0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11')) {
      await expectError(await api(method, path, { body: method === 'GET' || method === 'DELETE' ? undefined : {} }), 401, 'missing_api_key');
    }
  });

  it('403 without the route scope (read vs write)', async () => {
    const { webhook, app } = await tenantConWebhook();
    const soloLeer = await createKey(app.id, { scopes: ['webhooks:read'] });
    const soloEscribir = await createKey(app.id, { scopes: ['webhooks:write'] });
    const otros = await createKey(app.id, { scopes: ['facturas:read', 'facturas:write', 'clientes:read'] });
    for (const [method, path, scope] of rutas(webhook.id)) {
      const body = method === 'POST' && path === '/webhooks' ? nuevo() : method === 'PATCH' ? { active: true } : undefined;
      const sin = scope === 'webhooks:read' ? soloEscribir : soloLeer;
      const err = await expectError(await api(method, path, { token: sin, body }), 403, 'insufficient_scope');
      expect(err.message).toContain(scope);
      await expectError(await api(method, path, { token: otros, body }), 403, 'insufficient_scope');
    }
  });

  it("another application can never see or trigger a webhook: 404 everywhere, nothing sent or changed", async () => {
    const a = await tenantConWebhook();
    await despacharEvento(depsDe(env), (await registrarEvento(a.tenant)).id);
    const [entrega] = await esperar(() => entregasDe(a.token, a.webhook.id), (l) => l[0]?.status === 'entregada');
    const b = await createTenant();
    for (const [method, path] of rutas(a.webhook.id, entrega.id).filter(([, p]) => p !== '/webhooks')) {
      const body = method === 'PATCH' ? { active: false, url: `https://${hostUnico()}/robado` } : undefined;
      await expectError(await api(method, path, { token: b.token, body }), 404, 'not_found');
    }
    expect((await json(await api('GET', '/webhooks', { token: b.token }))).data).toEqual([]);
    const intacto = await json(await api('GET', `/webhooks/${a.webhook.id}`, { token: a.token }));
    expect(intacto).toMatchObject({ url: a.webhook.url, active: true, secreto_anterior_vigente_hasta: null });
    await new Promise((r) => setTimeout(r, 100));
    expect(await recibidas(a.host)).toHaveLength(1);
    expect(await entregasDe(a.token, a.webhook.id)).toHaveLength(1);
  });

  it("the other mode's key of the same application gets 404", async () => {
    const a = await tenantConWebhook();
    const live = await createKey(a.app.id, { mode: 'live' });
    for (const [method, path] of rutas(a.webhook.id).filter(([, p]) => p !== '/webhooks')) {
      const body = method === 'PATCH' ? { active: false } : undefined;
      await expectError(await api(method, path, { token: live, body }), 404, 'not_found');
    }
    expect((await json(await api('GET', '/webhooks', { token: live }))).data).toEqual([]);
    expect((await json(await api('GET', `/webhooks/${a.webhook.id}`, { token: a.token }))).active).toBe(true);
  });
});

describe('OpenAPI', () => {
  it('documents every webhook route with its scope', async () => {
    const doc = await json(await api('GET', '/openapi.json'));
    const ops = [
      ['/webhooks', 'get', 'webhooks:read'],
      ['/webhooks', 'post', 'webhooks:write'],
      ['/webhooks/{id}', 'get', 'webhooks:read'],
      ['/webhooks/{id}', 'patch', 'webhooks:write'],
      ['/webhooks/{id}', 'delete', 'webhooks:write'],
      ['/webhooks/{id}/rotar-secreto', 'post', 'webhooks:write'],
      ['/webhooks/{id}/entregas', 'get', 'webhooks:read'],
      ['/webhooks/{id}/entregas/{entrega}/reenviar', 'post', 'webhooks:write'],
      ['/webhooks/{id}/prueba', 'post', 'webhooks:write'],
    ];
    for (const [path, method, scope] of ops) {
      expect(doc.paths[path!]?.[method!]?.security, `${method} ${path}`).toEqual([{ bearerAuth: [scope] }]);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Webhook', 'WebhookConSecreto', 'Entrega', 'WebhookCrear']));
  });
});
