import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../src/db/client';
import { webhookConfigurations } from '../src/db/schema';
import { decryptSecretText } from '../src/lib/crypto';
import { createApplication } from '../test/helpers';
import { fieldError, signedIn } from './test-helpers';

const db = () => getDb(env);
const URL_OK = 'https://receptor.example.com/hooks/hexafac';

async function crear(extra: Record<string, string | string[]> = {}) {
  const s = await signedIn();
  const app = await createApplication();
  const res = await s.browser.post(`/admin/aplicaciones/${app.id}/webhooks`, {
    _csrf: s.csrf,
    url: URL_OK,
    description: 'ERP',
    events: ['factura.timbrada', 'factura.cancelada'],
    ...extra,
  });
  return { ...s, app, res };
}

describe('webhook pages', () => {
  it('creates a webhook and shows its signing secret once', async () => {
    const { browser, app, res } = await crear();
    expect(res.status).toBe(201);
    const html = await res.text();
    const secret = /id="secret"[^>]*value="(whsec_[^"]+)"/.exec(html)?.[1];
    expect(secret).toBeDefined();
    const row = await db().select().from(webhookConfigurations).where(eq(webhookConfigurations.client_application_id, app.id)).get();
    expect(row).toMatchObject({ url: URL_OK, mode: 'test', events: ['factura.timbrada', 'factura.cancelada'], active: true });
    expect(await decryptSecretText(env.MASTER_KEY, row!.secret_cifrado)).toBe(secret);
    const list = await (await browser.get(`/admin/aplicaciones/${app.id}/webhooks`)).text();
    expect(list).toContain(URL_OK);
    expect(list).not.toContain(secret!);
  });

  it('refuses a URL the policy forbids, next to the field, keeping the typed values', async () => {
    const { res, app } = await crear({ url: 'http://169.254.169.254/latest', description: 'metadatos', events: [] });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'url') ?? fieldError(html, 'events')).toBeDefined();
    expect(html).toContain('value="http://169.254.169.254/latest"');
    expect(html).toContain('value="metadatos"');
    expect(await db().select().from(webhookConfigurations).where(eq(webhookConfigurations.client_application_id, app.id)).all()).toHaveLength(0);
  });

  it('edits events, disables (no test event then), enables, sends a test event that shows in the delivery log, rotates, deletes', async () => {
    const { browser, csrf, app } = await crear();
    const hook = (await db().select().from(webhookConfigurations).where(eq(webhookConfigurations.client_application_id, app.id)).get())!;
    const base = `/admin/aplicaciones/${app.id}/webhooks/${hook.id}`;

    expect((await browser.post(base, { _csrf: csrf, url: URL_OK, description: '', events: ['*'] })).status).toBe(303);
    expect((await db().select().from(webhookConfigurations).where(eq(webhookConfigurations.id, hook.id)).get())!.events).toEqual(['*']);

    expect((await browser.post(`${base}/desactivar`, { _csrf: csrf })).status).toBe(303);
    const off = await (await browser.get(base)).text();
    expect(off).toContain('Desactivado');
    expect(off).not.toContain('Enviar evento de prueba');
    const refused = await browser.post(`${base}/prueba`, { _csrf: csrf });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('desactivado');

    expect((await browser.post(`${base}/activar`, { _csrf: csrf })).status).toBe(303);
    expect((await browser.post(`${base}/prueba`, { _csrf: csrf })).status).toBe(303);
    const log = await (await browser.get(base)).text();
    expect(log).toContain('webhook.prueba');
    expect(log).toContain('data-entrega-id=');

    const rotated = await browser.post(`${base}/rotar`, { _csrf: csrf });
    const secret = /value="(whsec_[^"]+)"/.exec(await rotated.text())![1]!;
    const row = (await db().select().from(webhookConfigurations).where(eq(webhookConfigurations.id, hook.id)).get())!;
    expect(await decryptSecretText(env.MASTER_KEY, row.secret_cifrado)).toBe(secret);
    expect(row.secret_anterior_cifrado).toBe(hook.secret_cifrado);

    expect((await browser.post(`${base}/eliminar`, { _csrf: csrf })).status).toBe(303);
    expect((await browser.get(base)).status).toBe(404);
  });

  it('another mode’s or another application’s webhook is a 404; a POST without CSRF is a 403', async () => {
    const { browser, csrf, app } = await crear();
    const other = await createApplication();
    const hook = (await db().select().from(webhookConfigurations).where(eq(webhookConfigurations.client_application_id, app.id)).get())!;
    expect((await browser.get(`/admin/aplicaciones/${other.id}/webhooks/${hook.id}`)).status).toBe(404);
    expect((await browser.post(`/admin/aplicaciones/${other.id}/webhooks/${hook.id}/eliminar`, { _csrf: csrf })).status).toBe(404);
    expect((await browser.post(`/admin/aplicaciones/${app.id}/webhooks/${hook.id}/desactivar`, {})).status).toBe(403);
    await browser.post('/admin/modo', { _csrf: csrf, modo: 'live' });
    expect((await browser.get(`/admin/aplicaciones/${app.id}/webhooks/${hook.id}`)).status).toBe(404);
    expect((await db().select().from(webhookConfigurations).where(eq(webhookConfigurations.id, hook.id)).get())!.active).toBe(true);
  });
});
