import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { apiKeys, clientApplications } from '../../db/schema';
import { Hono } from 'hono';
import { requireAuth, SCOPES } from '../../lib/auth';
import { onError } from '../../lib/errors';
import { requestId } from '../../lib/middleware';
import { api, createKey, createTenant, expectError, json } from '../../../test/helpers';

describe('GET /health', () => {
  it('answers without a key and echoes the request id', async () => {
    const res = await api('GET', '/health', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Request-Id')).toBe('abc-123');
    expect((await json(res)).status).toBe('ok');
  });

  it('mints a request id when none (or a bad one) is given', async () => {
    const res = await api('GET', '/health', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(res.headers.get('X-Request-Id')).toMatch(/^req_[0-9a-f-]{36}$/);
  });
});

describe('GET /me — happy', () => {
  it('returns application, mode and scopes of the calling key', async () => {
    const { app, token } = await createTenant({ scopes: ['facturas:read'] });
    const res = await api('GET', '/me', { token });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.application.id).toBe(app.id);
    expect(body.application.emisor.rfc).toBe('EKU9003173C9');
    expect(body.mode).toBe('test');
    expect(body.key.scopes).toEqual(['facturas:read']);
  });

  it('identifies a live key as live', async () => {
    const { token } = await createTenant({ mode: 'live' });
    expect(token).toMatch(/^hfx_live_[A-Za-z0-9_-]{43}$/);
    const body = await json(await api('GET', '/me', { token }));
    expect(body.mode).toBe('live');
    expect(body.key.scopes).toEqual([...SCOPES]);
  });

  it('records last_used_at without delaying the answer', async () => {
    const { token } = await createTenant();
    const res = await api('GET', '/me', { token });
    const { key } = await json(res);
    // waitUntil work finishes shortly after the response.
    let used: string | null = null;
    for (let i = 0; i < 50 && !used; i++) {
      used = (await getDb(env).select().from(apiKeys).where(eq(apiKeys.id, key.id)).get())!.last_used_at;
      if (!used) await new Promise((r) => setTimeout(r, 10));
    }
    expect(used).toBeTruthy();
  });
});

describe('authentication — errors', () => {
  it('401 without Authorization', async () => {
    const res = await api('GET', '/me');
    expect(res.headers.get('WWW-Authenticate')).toContain('Bearer');
    await expectError(res, 401, 'missing_api_key');
  });

  it('401 for a malformed key', async () => {
    await expectError(await api('GET', '/me', { token: 'hfx_test_short' }), 401, 'invalid_api_key');
    await expectError(await api('GET', '/me', { headers: { Authorization: 'Basic abc' } }), 401, 'invalid_api_key');
  });

  it('401 for an unknown key', async () => {
    await expectError(await api('GET', '/me', { token: `hfx_test_${'A'.repeat(43)}` }), 401, 'invalid_api_key');
  });

  it('401 for a revoked key', async () => {
    const { token } = await createTenant({ revoked: true });
    await expectError(await api('GET', '/me', { token }), 401, 'api_key_revoked');
  });

  it('401 for an expired key, not for one expiring later', async () => {
    const { token } = await createTenant({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    await expectError(await api('GET', '/me', { token }), 401, 'api_key_expired');
    const later = await createTenant({ expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    expect((await api('GET', '/me', { token: later.token })).status).toBe(200);
  });

  it('401 when the application is suspended', async () => {
    const { app, token } = await createTenant();
    await getDb(env).update(clientApplications).set({ status: 'suspended' }).where(eq(clientApplications.id, app.id));
    await expectError(await api('GET', '/me', { token }), 401, 'application_suspended');
  });

  it('a test token cannot pose as live: the prefix must match the stored mode', async () => {
    const { app } = await createTenant();
    const token = await createKey(app.id, { mode: 'test' });
    const forged = token.replace('hfx_test_', 'hfx_live_');
    await expectError(await api('GET', '/me', { token: forged }), 401, 'invalid_api_key');
  });
});

describe('request handling — errors', () => {
  it('404 in the error shape for an unknown route', async () => {
    await expectError(await api('GET', '/no-existe'), 404, 'not_found');
  });

  it('405 with Allow for a known path and the wrong method', async () => {
    const res = await api('DELETE', '/health');
    expect(res.headers.get('Allow')).toContain('GET');
    await expectError(res, 405, 'method_not_allowed');
  });

  it('415 for a body that is not JSON', async () => {
    const res = await api('POST', '/health', { body: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    await expectError(res, 415, 'unsupported_media_type');
  });

  it('413 for a body over 1 MiB', async () => {
    const res = await api('POST', '/health', { body: JSON.stringify({ x: 'a'.repeat(1024 * 1024 + 10) }) });
    await expectError(res, 413, 'payload_too_large');
  });
});

describe('scopes', () => {
  // The real middleware on a probe route per scope: each scope admits exactly the routes that ask for it.
  const probe = new Hono<any>();
  probe.use('*', requestId);
  for (const scope of SCOPES) probe.get(`/${scope}`, requireAuth(scope), (c) => c.text('ok'));
  probe.onError(onError);
  const call = (scope: string, token: string) =>
    probe.fetch(new Request(`http://x/${scope}`, { headers: { Authorization: `Bearer ${token}` } }), env, {
      waitUntil() {},
      passThroughOnException() {},
      props: {},
    } as unknown as ExecutionContext);

  for (const scope of SCOPES) {
    it(`${scope}: admitted with it, 403 naming it without it`, async () => {
      const holder = await createTenant({ scopes: [scope] });
      expect((await call(scope, holder.token)).status).toBe(200);
      const others = await createTenant({ scopes: SCOPES.filter((s) => s !== scope) });
      const err = await expectError(await call(scope, others.token), 403, 'insufficient_scope');
      expect(err.message).toContain(scope);
    });
  }
});

describe('GET /sandbox/certificado', () => {
  it('publishes the sandbox PAC certificate (PEM and DER), the one that verifies SelloSAT', async () => {
    const pem = await api('GET', '/sandbox/certificado');
    expect(pem.headers.get('Content-Type')).toBe('application/x-pem-file');
    const text = await pem.text();
    expect(text).toBe(env.SANDBOX_PAC_CERT_PEM);
    const der = new Uint8Array(await (await api('GET', '/sandbox/certificado?formato=der')).arrayBuffer());
    const { leerCertificado } = await import('../../cfdi');
    const cert = leerCertificado(der);
    expect(cert.noCertificado).toMatch(/^\d{20}$/);
    expect(cert.nombre).toContain('Sandbox');
    await expectError(await api('GET', '/sandbox/certificado?formato=zip'), 422);
  });
});
