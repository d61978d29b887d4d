import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clientApplications, platformKeys, platforms } from '../src/db/schema';
import { depsDe } from '../src/deps';
import { PLATFORM_TOKEN_RE } from '../src/lib/auth-plataforma';
import { sha256Hex } from '../src/lib/crypto';
import { api, createApplication, expectError } from '../test/helpers';
import { Browser, signedIn } from './test-helpers';

const db = () => depsDe(env).db;

async function operador() {
  const { browser, csrf } = await signedIn();
  return { browser, post: (path: string, f: Record<string, string | string[]>) => browser.post(path, { _csrf: csrf, ...f }) };
}

describe('admin: plataformas', () => {
  it('creates a platform, mints a key shown once (only its hash kept), suspends and reactivates it, revokes the key', async () => {
    const { browser, post } = await operador();
    const creada = await post('/admin/plataformas', { name: 'ERP Norte' });
    expect(creada.status).toBe(303);
    const ruta = new URL(creada.headers.get('Location')!, 'http://x').pathname;
    const id = ruta.split('/').pop()!;
    expect((await db().select().from(platforms).where(eq(platforms.id, id)).get())!.name).toBe('ERP Norte');
    expect(await (await browser.get('/admin/plataformas')).text()).toContain('ERP Norte');

    const minted = await post(`${ruta}/llaves`, { name: 'integración', scopes: ['aplicaciones:read', 'aplicaciones:write'] });
    expect(minted.status).toBe(201);
    const html = await minted.text();
    const token = html.match(/hfx_plat_[A-Za-z0-9_-]{43}/)![0];
    expect(token).toMatch(PLATFORM_TOKEN_RE);
    const [key] = await db().select().from(platformKeys).where(eq(platformKeys.platform_id, id));
    expect(key!.token_hash).toBe(await sha256Hex(token));
    expect(await (await browser.get(ruta)).text()).not.toContain(token);
    expect((await api('GET', '/plataforma/aplicaciones', { token })).status).toBe(200);

    expect((await post(`${ruta}/suspender`, {})).status).toBe(303);
    await expectError(await api('GET', '/plataforma/aplicaciones', { token }), 401, 'platform_suspended');
    expect((await post(`${ruta}/reactivar`, {})).status).toBe(303);
    expect((await api('GET', '/plataforma/aplicaciones', { token })).status).toBe(200);
    expect((await post(`${ruta}/llaves/${key!.id}/revocar`, {})).status).toBe(303);
    await expectError(await api('GET', '/plataforma/aplicaciones', { token }), 401, 'api_key_revoked');
  });

  it('shows a platform s applications, and the field errors of a bad key', async () => {
    const { browser, post } = await operador();
    const ruta = new URL((await post('/admin/plataformas', { name: 'POS Sur' })).headers.get('Location')!, 'http://x').pathname;
    const app = await createApplication({ name: 'Tienda 7 del POS' });
    await db().update(clientApplications).set({ platform_id: ruta.split('/').pop()! }).where(eq(clientApplications.id, app.id));
    expect(await (await browser.get(ruta)).text()).toContain('Tienda 7 del POS');
    // the applications list names the platform that owns each one
    const lista = await (await browser.get('/admin/aplicaciones')).text();
    expect(lista).toMatch(new RegExp(`Tienda 7 del POS[\\s\\S]*?href="${ruta}">POS Sur<`));
    const mala = await post(`${ruta}/llaves`, { name: '' });
    expect(mala.status).toBe(422);
    expect(await mala.text()).toMatch(/Elige al menos un scope/);
    expect((await post('/admin/plataformas', { name: ' ' })).status).toBe(422);
  });

  it('needs a signed-in admin and the CSRF token', async () => {
    expect((await new Browser().get('/admin/plataformas')).status).toBe(303);
    const { browser } = await operador();
    expect((await browser.post('/admin/plataformas', { name: 'Sin token' })).status).toBe(403);
    expect((await db().select().from(platforms).where(eq(platforms.name, 'Sin token'))).length).toBe(0);
  });
});
