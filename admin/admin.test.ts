import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { csdDesdePkcs8 } from '../src/cfdi';
import { getDb } from '../src/db/client';
import { adminUsers, apiKeys, aplicaciones, clientApplications, eventos, facturas, recibosNomina } from '../src/db/schema';
import { decryptSecret, fromBase64 } from '../src/lib/crypto';
import { uuidv7 } from '../src/lib/ids';
import { api, createApplication, createEmisor, expectError, facturaBase, json, waitFor } from '../test/helpers';
import { hashPassword, LOCK_MINUTES, MAX_FAILED_ATTEMPTS, PBKDF2_ITERATIONS, verifyPassword } from '../src/services/admin-users';
import { adminSeedSql } from './auth';
import { Browser, fieldError, newAdmin, sessionClaims, signedIn } from './test-helpers';
import * as fx from './test-fixtures/csd';

const db = () => getDb(env);

describe('passwords', () => {
  it('PBKDF2-SHA256 with a per-user salt and 100,000 iterations', async () => {
    const a = await hashPassword('s3creto');
    const b = await hashPassword('s3creto');
    expect(a.iterations).toBe(PBKDF2_ITERATIONS);
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(100_000);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await verifyPassword('s3creto', a)).toBe(true);
    expect(await verifyPassword('s3cretO', a)).toBe(false);
  });

  it('adminSeedSql inserts an admin that can sign in, and leaves an existing one alone', async () => {
    const email = `seed-${uuidv7()}@hexafac.test`;
    await env.DB.exec(await adminSeedSql({ email, name: "O'Brien", password: 'primera' }));
    await env.DB.exec(await adminSeedSql({ email, name: 'Otro', password: 'segunda' }));
    const row = await db().select().from(adminUsers).where(eq(adminUsers.email, email)).get();
    expect(row?.name).toBe("O'Brien");
    const b = new Browser();
    expect((await b.signIn(email, 'segunda')).status).toBe(401);
    expect((await b.signIn(email, 'primera')).status).toBe(303);
  });
});

describe('sign-in', () => {
  it('every page requires a session: GET → sign-in page (remembering the way back), POST → 401', async () => {
    const app = await createApplication();
    const b = new Browser();
    for (const path of [
      '/admin',
      '/admin/aplicaciones',
      '/admin/aplicaciones/nueva',
      `/admin/aplicaciones/${app.id}`,
      `/admin/aplicaciones/${app.id}/editar`,
      `/admin/aplicaciones/${app.id}/csd`,
      `/admin/aplicaciones/${app.id}/llaves`,
      `/admin/aplicaciones/${app.id}/webhooks`,
      `/admin/aplicaciones/${app.id}/facturas`,
      '/admin/facturas',
      '/admin/no-existe',
    ]) {
      const res = await b.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('Location')).toBe(`/admin/login?volver=${encodeURIComponent(path)}`);
    }
    for (const path of ['/admin/aplicaciones/nueva', `/admin/aplicaciones/${app.id}/suspender`, '/admin/modo']) {
      expect((await b.post(path, { name: 'x' })).status, path).toBe(401);
    }
    const still = await db().select().from(clientApplications).where(eq(clientApplications.id, app.id)).get();
    expect(still?.status).toBe('active');
  });

  it('a session cookie that is forged, or signed with another secret, is no session', async () => {
    const b = new Browser();
    b.cookies.set('hexafac_admin', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    expect((await b.get('/admin')).status).toBe(303);
  });

  it('signs in with an HttpOnly, Secure, SameSite=Lax, 8-hour JWT cookie and goes back where it was going', async () => {
    const admin = await newAdmin();
    const b = new Browser();
    const page = await (await b.get('/admin/login?volver=%2Fadmin%2Faplicaciones')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const res = await b.post('/admin/login', { _csrf: csrf, email: admin.email.toUpperCase(), password: admin.password, volver: '/admin/aplicaciones' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/admin/aplicaciones');
    const cookie = res.headers.getAll('Set-Cookie').find((c) => c.startsWith('hexafac_admin='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=28800/);
    expect(cookie).toMatch(/Path=\/admin/);
    const payload = sessionClaims(b) as { exp: number; iat: number };
    expect(payload.exp - payload.iat).toBe(8 * 3600);
    expect(JSON.parse(atob(b.cookies.get('hexafac_admin')!.split('.')[0]!)).alg).toBe('HS256');
    const dash = await b.get('/admin');
    expect(dash.status).toBe(200);
    expect(await dash.text()).toContain(admin.name);
  });

  it('refuses an open redirect after sign-in', async () => {
    const admin = await newAdmin();
    const b = new Browser();
    const csrf = await b.csrf('/admin/login');
    const res = await b.post('/admin/login', { _csrf: csrf, email: admin.email, password: admin.password, volver: '//evil.example/x' });
    expect(res.headers.get('Location')).toBe('/admin');
  });

  it('a sign-in without the login CSRF token is refused with 403', async () => {
    const admin = await newAdmin();
    const b = new Browser();
    await b.get('/admin/login');
    const res = await b.post('/admin/login', { email: admin.email, password: admin.password });
    expect(res.status).toBe(403);
    expect(b.cookies.has('hexafac_admin')).toBe(false);
  });

  it('a wrong password says so without telling which part was wrong and keeps the e-mail typed', async () => {
    const admin = await newAdmin();
    const b = new Browser();
    const res = await b.signIn(admin.email, 'nope');
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Correo o contraseña incorrectos.');
    expect(html).toContain(`value="${admin.email}"`);
    const unknown = await b.signIn('nadie@hexafac.test', 'nope');
    expect(await unknown.text()).toContain('Correo o contraseña incorrectos.');
  });

  it(`locks the account for ${LOCK_MINUTES} minutes after ${MAX_FAILED_ATTEMPTS} failures, even for the right password`, async () => {
    const admin = await newAdmin();
    const b = new Browser();
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) expect((await b.signIn(admin.email, `mal-${i}`)).status).toBe(401);
    const fifth = await b.signIn(admin.email, 'mal-5');
    expect(fifth.status).toBe(429);
    const bloqueo = await fifth.text();
    expect(bloqueo).toContain('bloqueada');
    expect(bloqueo).toContain('(America/Mexico_City)');
    expect(bloqueo).not.toContain(' UTC');
    const row = await db().select().from(adminUsers).where(eq(adminUsers.email, admin.email)).get();
    const minutes = (Date.parse(row!.locked_until!) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(LOCK_MINUTES - 1);
    expect(minutes).toBeLessThanOrEqual(LOCK_MINUTES);

    const right = await b.signIn(admin.email, admin.password);
    expect(right.status).toBe(429);
    expect(b.cookies.has('hexafac_admin')).toBe(false);

    // Once the lock runs out the right password works and the count starts over.
    await db().update(adminUsers).set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where(eq(adminUsers.id, row!.id));
    expect((await b.signIn(admin.email, admin.password)).status).toBe(303);
    const after = await db().select().from(adminUsers).where(eq(adminUsers.id, row!.id)).get();
    expect(after).toMatchObject({ failed_attempts: 0, locked_until: null });
    expect(after!.last_login_at).not.toBeNull();
  });

  it(`${MAX_FAILED_ATTEMPTS * 8} wrong passwords at once: only ${MAX_FAILED_ATTEMPTS} are checked and the account ends locked`, async () => {
    const admin = await newAdmin();
    const b = new Browser();
    const csrf = await b.csrf('/admin/login');
    const tries = MAX_FAILED_ATTEMPTS * 8;
    const statuses = await Promise.all(
      Array.from({ length: tries }, (_, i) => b.post('/admin/login', { _csrf: csrf, email: admin.email, password: `mal-${i}` }).then((r) => r.status)),
    );
    // Attempts 1 … max-1 are checked and answered "invalid"; the max-th is checked and engages the lock;
    // every other is refused unchecked. failed_attempts counts the attempts whose password was checked.
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILED_ATTEMPTS - 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(tries - (MAX_FAILED_ATTEMPTS - 1));
    const row = await db().select().from(adminUsers).where(eq(adminUsers.email, admin.email)).get();
    expect(row!.failed_attempts).toBe(MAX_FAILED_ATTEMPTS);
    expect(Date.parse(row!.locked_until!)).toBeGreaterThan(Date.now());
    expect((await b.signIn(admin.email, admin.password)).status).toBe(429);
  });

  it(`the right password on attempt ${MAX_FAILED_ATTEMPTS} still signs in, and the count starts over`, async () => {
    const admin = await newAdmin();
    const b = new Browser();
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) expect((await b.signIn(admin.email, `mal-${i}`)).status).toBe(401);
    expect((await b.signIn(admin.email, admin.password)).status).toBe(303);
    const row = await db().select().from(adminUsers).where(eq(adminUsers.email, admin.email)).get();
    expect(row).toMatchObject({ failed_attempts: 0, locked_until: null });
    expect((await b.get('/admin')).status).toBe(200);
  });

  it('a locked account loses its open sessions', async () => {
    const { browser, admin } = await signedIn();
    await db()
      .update(adminUsers)
      .set({ locked_until: new Date(Date.now() + 60_000).toISOString() })
      .where(eq(adminUsers.email, admin.email));
    expect((await browser.get('/admin')).status).toBe(303);
  });

  it('signs out (with the CSRF token) and the cookie is gone', async () => {
    const { browser, csrf } = await signedIn();
    expect((await browser.post('/admin/logout', {})).status).toBe(403);
    const res = await browser.post('/admin/logout', { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(browser.cookies.has('hexafac_admin')).toBe(false);
    expect((await browser.get('/admin')).status).toBe(303);
  });
});

describe('CSRF', () => {
  it('a POST without the token, or with another session’s token, is refused with 403 and changes nothing', async () => {
    const { browser } = await signedIn();
    const other = await signedIn();
    const fields = { name: 'Sin token', rfc: 'EKU9003173C9', razon_social: 'X', regimen_fiscal: '601', lugar_expedicion: '42501' };
    expect((await browser.post('/admin/aplicaciones/nueva', fields)).status).toBe(403);
    expect((await browser.post('/admin/aplicaciones/nueva', { ...fields, _csrf: other.csrf })).status).toBe(403);
    const app = await createApplication();
    expect((await browser.post(`/admin/aplicaciones/${app.id}/suspender`, {})).status).toBe(403);
    expect((await db().select().from(clientApplications).where(eq(clientApplications.id, app.id)).get())?.status).toBe('active');
    expect(await db().select().from(clientApplications).where(eq(clientApplications.name, 'Sin token')).all()).toHaveLength(0);
  });

  it('the header X-CSRF-Token is accepted as well', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const res = await browser.fetch(`/admin/aplicaciones/${app.id}/suspender`, { method: 'POST', headers: { 'X-CSRF-Token': csrf } });
    expect(res.status).toBe(303);
  });
});

describe('client applications', () => {
  it('creates, lists, edits, suspends (keys stop working) and reactivates', async () => {
    const { browser, csrf } = await signedIn();
    const name = `Tienda ${uuidv7().slice(-6)}`;
    const res = await browser.post('/admin/aplicaciones/nueva', {
      _csrf: csrf,
      name,
      rfc: 'eku9003173c9',
      razon_social: 'Escuela Kemper Urgate',
      regimen_fiscal: '601',
      lugar_expedicion: '42501',
    });
    expect(res.status).toBe(303);
    const id = /\/admin\/aplicaciones\/([0-9a-f-]{36})\/csd/.exec(res.headers.get('Location')!)![1]!;
    const row = await db().select().from(clientApplications).where(eq(clientApplications.id, id)).get();
    expect(row).toMatchObject({ name, rfc: 'EKU9003173C9', razon_social: 'ESCUELA KEMPER URGATE', status: 'active' });
    expect(await (await browser.get('/admin/aplicaciones')).text()).toContain(name);

    const edit = await browser.post(`/admin/aplicaciones/${id}/editar`, {
      _csrf: csrf,
      name: `${name} editada`,
      rfc: 'EKU9003173C9',
      razon_social: 'ESCUELA KEMPER URGATE',
      regimen_fiscal: '603',
      lugar_expedicion: '01000',
    });
    expect(edit.status).toBe(303);
    expect(await db().select().from(clientApplications).where(eq(clientApplications.id, id)).get()).toMatchObject({
      name: `${name} editada`,
      regimen_fiscal: '603',
      lugar_expedicion: '01000',
    });

    const keyRes = await browser.post(`/admin/aplicaciones/${id}/llaves`, { _csrf: csrf, name: 'k', mode: 'test', scopes: ['facturas:read'] });
    const token = /value="(hfx_test_[^"]+)"/.exec(await keyRes.text())![1]!;
    expect((await browser.post(`/admin/aplicaciones/${id}/suspender`, { _csrf: csrf })).status).toBe(303);
    await expectError(await api('GET', '/me', { token }), 401, 'application_suspended');
    expect(await (await browser.get(`/admin/aplicaciones/${id}`)).text()).toContain('Suspendida');
    expect((await browser.post(`/admin/aplicaciones/${id}/reactivar`, { _csrf: csrf })).status).toBe(303);
    expect((await api('GET', '/me', { token })).status).toBe(200);
  });

  it('shows each field’s error next to it and keeps what was typed', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser.post('/admin/aplicaciones/nueva', {
      _csrf: csrf,
      name: 'Mi <tienda>',
      rfc: 'NO-ES-RFC',
      razon_social: '',
      regimen_fiscal: '999',
      lugar_expedicion: '4250',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'rfc')).toMatch(/RFC inválido/);
    expect(fieldError(html, 'razon_social')).toMatch(/razón social/);
    expect(fieldError(html, 'regimen_fiscal')).toMatch(/c_RegimenFiscal/);
    expect(fieldError(html, 'lugar_expedicion')).toMatch(/5 dígitos/);
    expect(fieldError(html, 'name')).toBeUndefined();
    expect(html).toContain('value="Mi &lt;tienda&gt;"');
    expect(html).toContain('value="NO-ES-RFC"');
    expect(html).toContain('value="4250"');
  });

  it('checks the régimen against the kind of person the RFC says', async () => {
    const { browser, csrf } = await signedIn();
    // 605 (sueldos y salarios) exists only for personas físicas; EKU9003173C9 is a persona moral.
    const res = await browser.post('/admin/aplicaciones/nueva', {
      _csrf: csrf,
      name: 'Moral',
      rfc: 'EKU9003173C9',
      razon_social: 'ESCUELA KEMPER URGATE',
      regimen_fiscal: '605',
      lugar_expedicion: '42501',
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), 'regimen_fiscal')).toMatch(/personas morales/);
  });

  it('an unknown application is the panel’s 404 page', async () => {
    const { browser } = await signedIn();
    const res = await browser.get(`/admin/aplicaciones/${uuidv7()}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('La aplicación no existe.');
  });
});

function csdForm(csrf: string, cer: string | null, key: string | null, password: string) {
  const form = new FormData();
  form.set('_csrf', csrf);
  if (cer !== null) form.set('cer', new File([fromBase64(cer)], 'csd.cer'));
  if (key !== null) form.set('key', new File([fromBase64(key)], 'csd.key'));
  form.set('password', password);
  return form;
}

describe('CSD upload', () => {
  it('validates the SAT test CSD, stores the certificate and the key encrypted, never the password', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const res = await browser.post(`/admin/aplicaciones/${app.id}/csd`, csdForm(csrf, fx.ekuCer, fx.ekuKey, fx.CSD_PASSWORD));
    expect(res.status).toBe(303);
    const row = await db().select().from(clientApplications).where(eq(clientApplications.id, app.id)).get();
    expect(row).toMatchObject({ csd_certificado: fx.ekuCer, csd_no_certificado: '30001000000500003416', csd_valido_hasta: '2027-05-18T11:43:51.000Z' });
    expect(row!.csd_llave_cifrada).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(fx.CSD_PASSWORD);
    // The stored key is the CSD's own key: it signs what the certificate verifies.
    const pkcs8 = await decryptSecret(env.MASTER_KEY, row!.csd_llave_cifrada!);
    const csd = await csdDesdePkcs8(fromBase64(fx.ekuCer), pkcs8);
    expect(csd.rfc).toBe('EKU9003173C9');
    const page = await (await browser.get(res.headers.get('Location')!)).text();
    expect(page).toContain('CSD validado y guardado');
    expect(page).toContain('30001000000500003416');
  });

  const cases: [string, () => Promise<{ appRfc?: string; cer: string | null; key: string | null; password: string }>, string, RegExp][] = [
    ['missing files and password', async () => ({ cer: null, key: null, password: '' }), 'cer', /Elige el archivo \.cer/],
    ['not a certificate', async () => ({ cer: btoa('hola'), key: fx.ekuKey, password: fx.CSD_PASSWORD }), 'cer', /no es un certificado/],
    ['a FIEL instead of a CSD', async () => ({ cer: fx.fielCer, key: fx.fielKey, password: fx.CSD_PASSWORD }), 'cer', /e\.firma \(FIEL\)/],
    ['another RFC', async () => ({ appRfc: 'XIA190128J61', cer: fx.ekuCer, key: fx.ekuKey, password: fx.CSD_PASSWORD }), 'cer', /RFC del emisor \(XIA190128J61\)/],
    ['expired', async () => ({ cer: fx.vencidoCer, key: fx.vencidoKey, password: fx.CSD_PASSWORD }), 'cer', /no está vigente/],
    ['a key of another certificate', async () => ({ cer: fx.ekuCer, key: fx.fielKey, password: fx.CSD_PASSWORD }), 'key', /no corresponde al certificado/],
    ['a key file that is not a key', async () => ({ cer: fx.ekuCer, key: fx.ekuCer, password: fx.CSD_PASSWORD }), 'key', /\.key/],
    ['wrong password', async () => ({ cer: fx.ekuCer, key: fx.ekuKey, password: '12345678b' }), 'password', /contraseña no abre/],
  ];
  for (const [name, make, field, message] of cases) {
    it(`refuses ${name} with a message on the ${field} field and stores nothing`, async () => {
      const { browser, csrf } = await signedIn();
      const input = await make();
      const app = await createApplication(input.appRfc ? { rfc: input.appRfc } : {});
      const res = await browser.post(`/admin/aplicaciones/${app.id}/csd`, csdForm(csrf, input.cer, input.key, input.password));
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(fieldError(html, field)).toMatch(message);
      const row = await db().select().from(clientApplications).where(eq(clientApplications.id, app.id)).get();
      expect(row!.csd_certificado).toBeNull();
      expect(row!.csd_llave_cifrada).toBeNull();
    });
  }
});

describe('API keys', () => {
  it('shows the new token once; it works against /me with the chosen scopes and mode; revoking stops it', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const res = await browser.post(`/admin/aplicaciones/${app.id}/llaves`, {
      _csrf: csrf,
      name: 'servidor',
      mode: 'live',
      scopes: ['facturas:write', 'facturas:read'],
      expires: '2099-12-31',
    });
    expect(res.status).toBe(201);
    const html = await res.text();
    const token = /value="(hfx_live_[A-Za-z0-9_-]{43})"/.exec(html)![1]!;
    expect(html).toContain('única vez');
    expect(html).toContain('data-copy="token"');

    const me = await api('GET', '/me', { token });
    expect(me.status).toBe(200);
    const body = await json(me);
    expect(body).toMatchObject({ mode: 'live', application: { id: app.id }, key: { scopes: ['facturas:read', 'facturas:write'] } });

    const row = await db().select().from(apiKeys).where(eq(apiKeys.client_application_id, app.id)).get();
    expect(row).toMatchObject({ name: 'servidor', prefix: token.slice(0, 14), expires_at: '2099-12-31T23:59:59.999Z' });
    expect(JSON.stringify(row)).not.toContain(token);

    const list = await (await browser.get(`/admin/aplicaciones/${app.id}/llaves`)).text();
    expect(list).not.toContain(token);
    expect(list).toContain(`${token.slice(0, 14)}…`);

    const revoke = await browser.post(`/admin/aplicaciones/${app.id}/llaves/${row!.id}/revocar`, { _csrf: csrf });
    expect(revoke.status).toBe(303);
    await expectError(await api('GET', '/me', { token }), 401, 'api_key_revoked');
    expect(await (await browser.get(`/admin/aplicaciones/${app.id}/llaves`)).text()).toContain('Revocada');
  });

  it('shows each field’s error and keeps the choices', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const res = await browser.post(`/admin/aplicaciones/${app.id}/llaves`, { _csrf: csrf, name: 'mi key', mode: 'prod', expires: '2020-01-01' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'mode')).toMatch(/modo/);
    expect(fieldError(html, 'scopes')).toMatch(/al menos un scope/);
    expect(fieldError(html, 'expires')).toMatch(/futura/);
    expect(html).toContain('value="mi key"');
    expect(html).not.toMatch(/hfx_(test|live)_[A-Za-z0-9_-]{43}/);
    expect(await db().select().from(apiKeys).where(eq(apiKeys.client_application_id, app.id)).all()).toHaveLength(0);
  });

  it('cannot revoke another application’s key through this application', async () => {
    const { browser, csrf } = await signedIn();
    const mine = await createApplication();
    const theirs = await createApplication();
    await browser.post(`/admin/aplicaciones/${theirs.id}/llaves`, { _csrf: csrf, name: 'k', mode: 'test', scopes: ['facturas:read'] });
    const key = await db().select().from(apiKeys).where(eq(apiKeys.client_application_id, theirs.id)).get();
    const res = await browser.post(`/admin/aplicaciones/${mine.id}/llaves/${key!.id}/revocar`, { _csrf: csrf });
    expect(res.status).toBe(404);
    expect((await db().select().from(apiKeys).where(eq(apiKeys.id, key!.id)).get())!.revoked_at).toBeNull();
  });
});

async function seedFactura(appId: string, mode: 'test' | 'live', over: Partial<typeof facturas.$inferInsert> = {}) {
  const id = uuidv7();
  const uuid = crypto.randomUUID().toUpperCase();
  await db()
    .insert(facturas)
    .values({
      id,
      client_application_id: appId,
      mode,
      tipo: 'I',
      status: 'timbrada',
      serie: 'A',
      folio: String(Math.floor(Math.random() * 1e6)),
      receptor_rfc: 'XAXX010101000',
      receptor_nombre: 'PUBLICO EN GENERAL',
      moneda: 'MXN',
      subtotal: '100.00',
      total: '116.00',
      fecha: '2026-05-10T12:00:00',
      datos: {},
      uuid,
      xml_key: `cfdi/${appId}/${id}.xml`,
      ...over,
    });
  await db().insert(eventos).values([
    { id: uuidv7(), client_application_id: appId, mode, factura_id: id, type: 'factura.creada', status_nuevo: 'pendiente', data: {} },
    { id: uuidv7(), client_application_id: appId, mode, factura_id: id, type: 'factura.timbrada', status_anterior: 'pendiente', status_nuevo: 'timbrada', data: { uuid } },
  ]);
  await env.CFDI_BUCKET.put(`cfdi/${appId}/${id}.xml`, `<cfdi:Comprobante Folio="${id}"/>`);
  return { id, uuid };
}

describe('invoices', () => {
  it('lists the application’s invoices of the current mode, with filters', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const other = await createApplication();
    const a = await seedFactura(app.id, 'test');
    const b = await seedFactura(app.id, 'test', { status: 'rechazada', receptor_rfc: 'EKU9003173C9', receptor_nombre: 'ESCUELA', uuid: null });
    const live = await seedFactura(app.id, 'live');
    const foreign = await seedFactura(other.id, 'test');

    const all = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas`)).text();
    expect(all).toContain(a.id);
    expect(all).toContain(b.id);
    expect(all).not.toContain(live.id);
    expect(all).not.toContain(foreign.id);

    const rechazadas = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas?status=rechazada`)).text();
    expect(rechazadas).toContain(b.id);
    expect(rechazadas).not.toContain(a.id);
    const porRfc = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas?rfc=xaxx010101000`)).text();
    expect(porRfc).toContain(a.id);
    expect(porRfc).not.toContain(b.id);
    const porUuid = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas?q=${a.uuid.slice(0, 8).toLowerCase()}`)).text();
    expect(porUuid).toContain(a.id);
    expect(porUuid).not.toContain(b.id);
    expect(await (await browser.get(`/admin/aplicaciones/${app.id}/facturas?desde=2026-06-01`)).text()).not.toContain(a.id);

    // The test/live switch changes which half is shown.
    expect((await browser.post('/admin/modo', { _csrf: csrf, modo: 'live', volver: `/admin/aplicaciones/${app.id}/facturas` })).status).toBe(303);
    const liveList = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas`)).text();
    expect(liveList).toContain(live.id);
    expect(liveList).not.toContain(a.id);
  });

  it('shows money as money, tipo by name and every date in one named zone; a complemento is named and cancelled as such', async () => {
    const { browser } = await signedIn();
    const app = await createApplication();
    const f = await seedFactura(app.id, 'test', { subtotal: '2000', total: '2320.005' });
    await seedFactura(app.id, 'test', { moneda: 'JPY', subtotal: '1234567', total: '1234567.4' });
    const pago = await seedFactura(app.id, 'test', { tipo: 'P', moneda: 'XXX', subtotal: '0', total: '0' });
    const list = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas`)).text();
    expect(list).toContain('$2,320.01 MXN');
    expect(list).toContain('$1,234,567 JPY');
    expect(list).toContain('<td>Ingreso</td>');
    expect(list).toContain('<td>Pago</td>');
    expect(list).not.toContain('<td>I</td>');
    expect(list).toContain('(America/Mexico_City)');
    expect(list).not.toMatch(/\d UTC/);

    const detalle = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas/${f.id}`)).text();
    expect(detalle).toContain('$2,000.00 MXN');
    expect(detalle).toContain('Cancelar factura');
    const complemento = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas/${pago.id}`)).text();
    expect(complemento).toContain('<title>Complemento de pago');
    expect(complemento).toContain('Cancelar complemento de pago');
    expect(complemento).not.toMatch(/Factura A-|Cancelar factura/);
  });

  it('names recibos de nómina and traslados; a recibo shows the employee’s CURP and its neto, a traslado no amount; filters by tipo', async () => {
    const { browser } = await signedIn();
    const app = await createApplication();
    const factura = await seedFactura(app.id, 'test');
    const recibo = await seedFactura(app.id, 'test', { tipo: 'N', serie: 'N', receptor_rfc: 'XOJI740919U48', receptor_nombre: 'INGRID XODAR JIMENEZ', subtotal: '8000.00', total: '7126.13' });
    await db().insert(recibosNomina).values({
      factura_id: recibo.id,
      client_application_id: app.id,
      mode: 'test',
      curp: 'XOJI740919MDFDMN05',
      num_empleado: '0001',
      tipo_nomina: 'O',
      fecha_pago: '2026-11-15',
      fecha_inicial_pago: '2026-11-01',
      fecha_final_pago: '2026-11-15',
      total_percepciones: '8000.00',
      total_deducciones: '873.87',
      total_otros_pagos: '0.00',
      neto: '7126.13',
    });
    const traslado = await seedFactura(app.id, 'test', { tipo: 'T', serie: 'T', moneda: 'XXX', subtotal: '0', total: '0' });
    const base = `/admin/aplicaciones/${app.id}/facturas`;
    const fila = (html: string, id: string) => html.split('<tr>').find((tr) => tr.includes(id)) ?? '';

    const res = await browser.get(base);
    // the server-rendered pages' headers (src/lib/security-headers.ts), with data: images for the logo previews
    expect(Object.fromEntries(['Content-Security-Policy', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'Content-Security-Policy': "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
    });
    const todas = await res.text();
    expect(todas).toContain('<option value="N">Nómina</option>');
    const deRecibo = fila(todas, recibo.id);
    expect(deRecibo).toContain('<td>Nómina</td>');
    expect(deRecibo).toContain('INGRID XODAR JIMENEZ');
    expect(deRecibo).toContain('CURP XOJI740919MDFDMN05');
    expect(deRecibo).toMatch(/\$7,126\.13 MXN<br\/><span class="small muted">neto<\/span>/);
    const deTraslado = fila(todas, traslado.id);
    expect(deTraslado).toContain('<td>Traslado</td>');
    expect(deTraslado).toContain('<td class="num">—</td>');
    expect(deTraslado).not.toContain('XXX');
    expect(fila(todas, factura.id)).not.toContain('CURP');

    const nominas = await (await browser.get(`${base}?tipo=N`)).text();
    expect(nominas).toContain(recibo.id);
    expect(nominas).not.toContain(factura.id);
    expect(nominas).not.toContain(traslado.id);
    expect(nominas).toContain('<option value="N" selected="">Nómina</option>');
    const traslados = await (await browser.get(`${base}?tipo=T`)).text();
    expect(traslados).toContain(traslado.id);
    expect(traslados).not.toContain(recibo.id);
    // an unknown tipo filters nothing
    expect(await (await browser.get(`${base}?tipo=X`)).text()).toContain(factura.id);
  });

  it('a PPD factura shows its saldo, pagos and notas de crédito; a complemento lists the facturas it pays and its row what it paid', async () => {
    const { browser } = await signedIn();
    const app = await createApplication();
    const base = `/admin/aplicaciones/${app.id}/facturas`;
    const ppd = await seedFactura(app.id, 'test', { metodo_pago: 'PPD', subtotal: '2000.00', total: '2320.00' });
    const pago = await seedFactura(app.id, 'test', { tipo: 'P', moneda: 'XXX', subtotal: '0', total: '0' });
    const nota = await seedFactura(app.id, 'test', { tipo: 'E', subtotal: '100.00', total: '116.00' });
    const fila = { client_application_id: app.id, mode: 'test' as const, documento_id: ppd.id };
    await db().insert(aplicaciones).values([
      { ...fila, id: uuidv7(), origen_id: pago.id, tipo: 'pago', num_parcialidad: 1, imp_saldo_ant: '2320.00', importe: '1000.50', imp_saldo_insoluto: '1319.50' },
      { ...fila, id: uuidv7(), origen_id: nota.id, tipo: 'nota_credito', imp_saldo_ant: '1319.50', importe: '116.00', imp_saldo_insoluto: '1203.50' },
    ]);

    const factura = await (await browser.get(`${base}/${ppd.id}`)).text();
    expect(factura).toMatch(/Saldo insoluto<\/dt><dd><strong>\$1,203\.50 MXN/);
    expect(factura).toContain(`href="${base}/${pago.id}"`);
    expect(factura).toContain(pago.uuid);
    expect(factura).toContain('$1,000.50 MXN');
    expect(factura).toContain(nota.uuid);
    expect(factura).toContain('$116.00 MXN');

    const complemento = await (await browser.get(`${base}/${pago.id}`)).text();
    expect(complemento).toContain('Facturas que paga');
    expect(complemento).toContain(`href="${base}/${ppd.id}"`);
    expect(complemento).toContain(ppd.uuid);
    for (const importe of ['$2,320.00 MXN', '$1,000.50 MXN', '$1,319.50 MXN']) expect(complemento).toContain(importe);
    expect(complemento).not.toContain('Cancelar factura');

    const list = await (await browser.get(base)).text();
    const filaPago = list.slice(list.indexOf(`${base}/${pago.id}`), list.indexOf('</tr>', list.indexOf(`${base}/${pago.id}`)));
    expect(filaPago).toContain('$1,000.50 MXN');
    expect(filaPago).not.toContain('XXX');
  });

  it('shows the detail with its history', async () => {
    const { browser } = await signedIn();
    const app = await createApplication();
    const f = await seedFactura(app.id, 'test');
    const html = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas/${f.id}`)).text();
    expect(html).toContain(f.uuid);
    expect(html).toContain('factura.creada');
    expect(html).toContain('factura.timbrada');
    expect(html.indexOf('factura.creada')).toBeLessThan(html.indexOf('factura.timbrada'));
  });

  it('downloads a stamped invoice’s XML and PDF', async () => {
    const { app, token } = await createEmisor();
    const { id } = await json(await api('POST', '/facturas', { token, body: facturaBase() }));
    const stored = await waitFor(async () => {
      const row = await db().select().from(facturas).where(eq(facturas.id, id)).get();
      return row?.status === 'timbrada' ? row : null;
    }, 'timbrada');
    const { browser } = await signedIn();
    expect(await (await browser.get(`/admin/aplicaciones/${app.id}/facturas/${id}`)).text()).toContain(`href="/admin/aplicaciones/${app.id}/facturas/${id}/pdf"`);

    const xml = await browser.get(`/admin/aplicaciones/${app.id}/facturas/${id}/xml`);
    expect(xml.status).toBe(200);
    expect(xml.headers.get('Content-Type')).toMatch(/application\/xml/);
    expect(xml.headers.get('Content-Disposition')).toMatch(/attachment; filename=".*\.xml"/);
    expect(await xml.text()).toBe(await (await env.CFDI_BUCKET.get(stored.xml_key!))!.text());
    const pdf = await browser.get(`/admin/aplicaciones/${app.id}/facturas/${id}/pdf`);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    expect(pdf.headers.get('Content-Disposition')).toMatch(/attachment; filename=".*\.pdf"/);
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });

  it('another application’s or the other mode’s invoice is a 404 here', async () => {
    const { browser } = await signedIn();
    const app = await createApplication();
    const other = await createApplication();
    const foreign = await seedFactura(other.id, 'test');
    const live = await seedFactura(app.id, 'live');
    for (const path of [
      `/admin/aplicaciones/${app.id}/facturas/${foreign.id}`,
      `/admin/aplicaciones/${app.id}/facturas/${foreign.id}/xml`,
      `/admin/aplicaciones/${app.id}/facturas/${live.id}`,
      `/admin/aplicaciones/${app.id}/facturas/${live.id}/pdf`,
    ]) {
      expect((await browser.get(path)).status, path).toBe(404);
    }
  });
});

describe('dashboard', () => {
  it('counts invoices by status for 24 hours and 30 days in the selected mode', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const count = async (html: string, section: string, status: string) => {
      const part = html.slice(html.indexOf(`aria-label="${section}"`));
      return Number(new RegExp(`data-status="${status}"><span class="n">(\\d+)<`).exec(part)![1]);
    };
    await browser.post('/admin/modo', { _csrf: csrf, modo: 'live' });
    const before = await (await browser.get('/admin')).text();
    const old = new Date(Date.now() - 3 * 24 * 3600_000).toISOString();
    await seedFactura(app.id, 'live', { status: 'error' });
    await seedFactura(app.id, 'live', { status: 'error', created_at: old });
    await seedFactura(app.id, 'test', { status: 'error' });
    const after = await (await browser.get('/admin')).text();
    expect((await count(after, 'Últimas 24 horas', 'error')) - (await count(before, 'Últimas 24 horas', 'error'))).toBe(1);
    expect((await count(after, 'Últimos 30 días', 'error')) - (await count(before, 'Últimos 30 días', 'error'))).toBe(2);
  });
});
