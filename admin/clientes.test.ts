import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../src/db/client';
import { clientes } from '../src/db/schema';
import { createApplication } from '../test/helpers';
import { Browser, fieldError, signedIn } from './test-helpers';

const db = () => getDb(env);
const delApp = (appId: string) => db().select().from(clientes).where(eq(clientes.client_application_id, appId)).all();
const base = (appId: string) => `/admin/aplicaciones/${appId}/clientes`;
const KEMPER = { rfc: 'eku9003173c9', nombre: 'Escuela  Kemper Urgate', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03', email: '' };

describe('clientes in the panel', () => {
  it('creates (normalised by the service), lists, finds, edits and deletes a cliente', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const res = await browser.post(`${base(app.id)}/nuevo`, { _csrf: csrf, ...KEMPER });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(base(app.id));
    const [row] = await delApp(app.id);
    expect(row).toMatchObject({ rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', mode: 'test', uso_cfdi: 'G03', email: null });

    const lista = await (await browser.get(base(app.id))).text();
    expect(lista).toContain('ESCUELA KEMPER URGATE');
    expect(lista).toContain(`href="${base(app.id)}/${row!.id}"`);
    expect(await (await browser.get(`${base(app.id)}?q=kemper`)).text()).toContain('EKU9003173C9');
    expect(await (await browser.get(`${base(app.id)}?q=XAXX`)).text()).not.toContain('EKU9003173C9');

    const edit = await browser.post(`${base(app.id)}/${row!.id}`, { _csrf: csrf, ...KEMPER, regimen_fiscal: '603', email: 'pagos@kemper.mx' });
    expect(edit.status).toBe(303);
    expect((await delApp(app.id))[0]).toMatchObject({ regimen_fiscal: '603', email: 'pagos@kemper.mx' });

    const borrar = await browser.post(`${base(app.id)}/${row!.id}/eliminar`, { _csrf: csrf });
    expect(borrar.status).toBe(303);
    expect(await delApp(app.id)).toEqual([]);
    expect((await browser.get(`${base(app.id)}/${row!.id}`)).status).toBe(404);
  });

  it('a bad RFC: the message beside the field, what was typed kept, nothing created', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const res = await browser.post(`${base(app.id)}/nuevo`, { _csrf: csrf, ...KEMPER, rfc: 'EKU9003173C8', domicilio_fiscal: '4250' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'rfc')).toMatch(/RFC inválido/);
    expect(fieldError(html, 'domicilio_fiscal')).toMatch(/5 dígitos/);
    expect(fieldError(html, 'nombre')).toBeUndefined();
    expect(html).toMatch(/id="rfc"[^>]*value="EKU9003173C8"/);
    expect(html).toMatch(/<option value="601" selected/);
    expect(await delApp(app.id)).toEqual([]);
  });

  it('no session goes to sign-in; a POST without CSRF is refused; another application’s cliente is a 404', async () => {
    const app = await createApplication();
    const anon = new Browser();
    const res = await anon.get(base(app.id));
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/admin/login?volver=${encodeURIComponent(base(app.id))}`);
    expect((await anon.post(`${base(app.id)}/nuevo`, KEMPER)).status).toBe(401);

    const { browser, csrf } = await signedIn();
    expect((await browser.post(`${base(app.id)}/nuevo`, KEMPER)).status).toBe(403);
    expect(await delApp(app.id)).toEqual([]);

    expect((await browser.post(`${base(app.id)}/nuevo`, { _csrf: csrf, ...KEMPER })).status).toBe(303);
    const [theirs] = await delApp(app.id);
    const mine = await createApplication();
    expect((await browser.get(`${base(mine.id)}/${theirs!.id}`)).status).toBe(404);
    expect((await browser.post(`${base(mine.id)}/${theirs!.id}`, { _csrf: csrf, ...KEMPER, nombre: 'Otro' })).status).toBe(404);
    expect((await browser.post(`${base(mine.id)}/${theirs!.id}/eliminar`, { _csrf: csrf })).status).toBe(404);
    expect(await delApp(app.id)).toHaveLength(1);
  });
});
