import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clientApplications, folios } from '../../db/schema';
import { depsDe } from '../../deps';
import { api, createTenant, expectError, json } from '../../../test/helpers';
import { createPlataforma } from '../../../test/plataformas';

const emisor = { name: 'Sucursal', rfc: 'EKU9003173C9', razon_social: 'Escuela  Kemper Urgate', regimen_fiscal: '601', lugar_expedicion: '42501' };
const csdJson = () => ({ cer_base64: env.TEST_CSD_CER, key_base64: env.TEST_CSD_KEY, password: '12345678a' });
const fila = (id: string) => depsDe(env).db.select().from(clientApplications).where(eq(clientApplications.id, id)).get();

async function conAplicacion(over: Record<string, unknown> = {}) {
  const p = await createPlataforma();
  const res = await api('POST', '/plataforma/aplicaciones', { token: p.token, body: { ...emisor, ...over } });
  expect(res.status).toBe(201);
  return { ...p, app: await json(res) };
}

describe('POST /plataforma/aplicaciones', () => {
  it('creates the platform s application (201, Location, view with csd null) and replays it with the same Idempotency-Key', async () => {
    const p = await createPlataforma();
    const headers = { 'Idempotency-Key': 'alta-1' };
    const res = await api('POST', '/plataforma/aplicaciones', { token: p.token, headers, body: { ...emisor, series: { I: 'PAC', P: 'PCP' } } });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ platform_id: p.platformId, status: 'active', razon_social: 'ESCUELA KEMPER URGATE', series: { I: 'PAC', P: 'PCP' }, csd: null });
    expect(res.headers.get('Location')).toBe(body.links.self);
    expect((await fila(body.id))!.platform_id).toBe(p.platformId);
    const again = await api('POST', '/plataforma/aplicaciones', { token: p.token, headers, body: { ...emisor, series: { I: 'PAC', P: 'PCP' } } });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(again)).id).toBe(body.id);
    const list = await json(await api('GET', '/plataforma/aplicaciones', { token: p.token }));
    expect(list.data.map((a: { id: string }) => a.id)).toEqual([body.id]);
    await expectError(await api('POST', '/plataforma/aplicaciones', { token: p.token, headers, body: { ...emisor, name: 'Otra' } }), 409, 'idempotency_key_reused');
  });

  it('refuses bad issuer data field by field, a bad serie, an unknown field, and creates nothing', async () => {
    const p = await createPlataforma();
    const err = await expectError(
      await api('POST', '/plataforma/aplicaciones', {
        token: p.token,
        body: { ...emisor, rfc: 'EKU9003173C8', regimen_fiscal: '612', lugar_expedicion: '4250', series: { I: 'A|B', E: ' ' } },
      }),
      422,
      'validation_error',
    );
    expect(err.details.map((d) => d.path)).toEqual(expect.arrayContaining(['rfc', 'lugar_expedicion', 'series.I', 'series.E']));
    const desconocido = await expectError(await api('POST', '/plataforma/aplicaciones', { token: p.token, body: { ...emisor, plan: 'plataforma' } }), 422);
    expect(desconocido.details[0]).toMatchObject({ path: 'plan', code: 'HFX_CAMPO_DESCONOCIDO' });
    await expectError(await api('POST', '/plataforma/aplicaciones', { token: p.token, body: '{' }), 400, 'invalid_json');
    expect((await json(await api('GET', '/plataforma/aplicaciones', { token: p.token }))).data).toEqual([]);
  });
});

describe('GET /plataforma/aplicaciones', () => {
  it('pages newest first and filters by status', async () => {
    const p = await createPlataforma();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json(await api('POST', '/plataforma/aplicaciones', { token: p.token, body: { ...emisor, name: `A${i}` } }))).id);
    await api('POST', `/plataforma/aplicaciones/${ids[0]}/suspender`, { token: p.token });
    const first = await json(await api('GET', '/plataforma/aplicaciones?limit=2', { token: p.token }));
    expect(first.data.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
    const second = await json(await api('GET', `/plataforma/aplicaciones?limit=2&cursor=${first.next_cursor}`, { token: p.token }));
    expect(second).toMatchObject({ data: [{ id: ids[0], status: 'suspended' }], next_cursor: null });
    const suspendidas = await json(await api('GET', '/plataforma/aplicaciones?status=suspended', { token: p.token }));
    expect(suspendidas.data.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
    await expectError(await api('GET', '/plataforma/aplicaciones?cursor=xyz', { token: p.token }), 422);
    await expectError(await api('GET', '/plataforma/aplicaciones?status=borrada', { token: p.token }), 422);
  });
});

describe('GET and PATCH /plataforma/aplicaciones/{id}', () => {
  it('reads it, changes only the given fields, and keeps the RFC once a CSD is loaded', async () => {
    const { token, app } = await conAplicacion();
    expect(await json(await api('GET', `/plataforma/aplicaciones/${app.id}`, { token }))).toEqual(app);
    const res = await api('PATCH', `/plataforma/aplicaciones/${app.id}`, { token, body: { name: 'Centro', series: { E: 'NCX' } } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ name: 'Centro', rfc: emisor.rfc, series: { E: 'NCX' } });
    expect((await json(await api('PATCH', `/plataforma/aplicaciones/${app.id}`, { token, body: { series: null } }))).series).toEqual({});
    expect((await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: csdJson() })).status).toBe(200);
    const err = await expectError(await api('PATCH', `/plataforma/aplicaciones/${app.id}`, { token, body: { rfc: 'XOJI740919U48', regimen_fiscal: '612' } }), 422);
    expect(err.details.map((d) => d.path)).toEqual(['rfc']);
    expect((await fila(app.id))!.rfc).toBe(emisor.rfc);
  });

  it('refuses a bad serie and a bad régimen, and changes nothing', async () => {
    const { token, app } = await conAplicacion();
    const err = await expectError(await api('PATCH', `/plataforma/aplicaciones/${app.id}`, { token, body: { name: 'X', regimen_fiscal: '999', series: { P: 'A|B' } } }), 422);
    expect(err.details.map((d) => d.path).sort()).toEqual(['regimen_fiscal', 'series.P']);
    expect((await fila(app.id))!.name).toBe(emisor.name);
  });
});

describe('suspender / reactivar', () => {
  it('the application s keys stop at once and come back', async () => {
    const { token, app } = await conAplicacion();
    const key = await json(await api('POST', `/plataforma/aplicaciones/${app.id}/api-keys`, { token, body: { name: 'pos', mode: 'test', scopes: ['clientes:read'] } }));
    expect((await api('GET', '/clientes', { token: key.token })).status).toBe(200);
    expect((await json(await api('POST', `/plataforma/aplicaciones/${app.id}/suspender`, { token }))).status).toBe('suspended');
    await expectError(await api('GET', '/clientes', { token: key.token }), 401, 'application_suspended');
    expect((await json(await api('POST', `/plataforma/aplicaciones/${app.id}/reactivar`, { token }))).status).toBe('active');
    expect((await api('GET', '/clientes', { token: key.token })).status).toBe(200);
  });
});

describe('PUT /plataforma/aplicaciones/{id}/csd', () => {
  it('takes the SAT test CSD as multipart or as base64 JSON and answers its view, never the key or the password', async () => {
    const { token, app } = await conAplicacion();
    const form = new FormData();
    form.set('cer', new File([Uint8Array.from(atob(env.TEST_CSD_CER), (ch) => ch.charCodeAt(0))], 'csd.cer'));
    form.set('key', new File([Uint8Array.from(atob(env.TEST_CSD_KEY), (ch) => ch.charCodeAt(0))], 'csd.key'));
    form.set('password', '12345678a');
    const { exports } = await import('cloudflare:workers');
    const multipart = await exports.default.fetch(
      new Request(`http://hexafac.test/api/hexafac/v1/plataforma/aplicaciones/${app.id}/csd`, { method: 'PUT', headers: { Authorization: `Bearer ${token}` }, body: form }),
    );
    expect(multipart.status).toBe(200);
    const vista = await multipart.text();
    expect(JSON.parse(vista)).toEqual({ rfc: 'EKU9003173C9', no_certificado: '30001000000500003416', valido_hasta: expect.any(String), vigente: true });
    expect(vista).not.toContain('12345678a');
    const porJson = await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: csdJson() });
    expect(await json(porJson)).toEqual(JSON.parse(vista));
    const guardada = (await fila(app.id))!;
    expect(guardada.csd_llave_cifrada).toMatch(/^v1\./);
    expect(JSON.stringify(guardada)).not.toContain('12345678a');
    expect((await json(await api('GET', `/plataforma/aplicaciones/${app.id}`, { token }))).csd).toEqual(JSON.parse(vista));
  });

  it('a wrong password is a 422 on password without a trace of it; bad base64, missing files and another type are refused', async () => {
    const { token, app } = await conAplicacion();
    const res = await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: { ...csdJson(), password: 'clave-secreta-equivocada' } });
    const texto = await res.clone().text();
    const err = await expectError(res, 422, 'validation_error');
    expect(err.details).toEqual([expect.objectContaining({ path: 'password', code: 'csd_password_incorrecto' })]);
    expect(texto).not.toContain('clave-secreta-equivocada');
    const b64 = await expectError(await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: { ...csdJson(), key_base64: 'no=base64=' } }), 422);
    expect(b64.details.map((d) => d.path)).toEqual(['key_base64']);
    const vacio = await expectError(await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: { cer_base64: '', key_base64: '', password: '' } }), 422);
    expect(vacio.details.map((d) => d.path)).toEqual(['cer_base64', 'key_base64', 'password']);
    await expectError(await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415);
    expect((await fila(app.id))!.csd_certificado).toBeNull();
  });
});

describe('API keys of an application', () => {
  it('mints a key (token once, replayed with the same Idempotency-Key), lists it without token, revokes it', async () => {
    const { token, app } = await conAplicacion();
    const headers = { 'Idempotency-Key': 'key-1' };
    const body = { name: 'pos', mode: 'test', scopes: ['facturas:write', 'facturas:read'] };
    const res = await api('POST', `/plataforma/aplicaciones/${app.id}/api-keys`, { token, headers, body });
    expect(res.status).toBe(201);
    const key = await json(res);
    expect(key).toMatchObject({ name: 'pos', mode: 'test', scopes: ['facturas:read', 'facturas:write'], revoked_at: null });
    expect(key.token).toMatch(/^hfx_test_/);
    const again = await api('POST', `/plataforma/aplicaciones/${app.id}/api-keys`, { token, headers, body });
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await json(again)).toEqual(key);
    const list = await api('GET', `/plataforma/aplicaciones/${app.id}/api-keys`, { token });
    const listText = await list.text();
    expect(JSON.parse(listText).data.map((k: { id: string }) => k.id)).toEqual([key.id]);
    expect(listText).not.toContain(key.token);
    expect((await api('GET', '/facturas', { token: key.token })).status).toBe(200);
    expect((await api('DELETE', `/plataforma/aplicaciones/${app.id}/api-keys/${key.id}`, { token })).status).toBe(204);
    await expectError(await api('GET', '/facturas', { token: key.token }), 401, 'api_key_revoked');
    await expectError(await api('DELETE', `/plataforma/aplicaciones/${app.id}/api-keys/${key.id}`, { token }), 404);
  });

  it('refuses bad key data and another application s key', async () => {
    const { token, app } = await conAplicacion();
    const err = await expectError(await api('POST', `/plataforma/aplicaciones/${app.id}/api-keys`, { token, body: { name: 'x', mode: 'prod', scopes: ['todo'] } }), 422);
    expect(err.details.map((d) => d.path)).toEqual(expect.arrayContaining(['mode', 'scopes[0]']));
    const vencida = await expectError(await api('POST', `/plataforma/aplicaciones/${app.id}/api-keys`, { token, body: { name: 'x', mode: 'live', scopes: ['facturas:read'], expires: '2020-01-01' } }), 422);
    expect(vencida.details.map((d) => d.path)).toEqual(['expires']);
    const otra = await createTenant();
    const [ajena] = await depsDe(env).db.select().from((await import('../../db/schema')).apiKeys).where(eq((await import('../../db/schema')).apiKeys.client_application_id, otra.app.id));
    await expectError(await api('DELETE', `/plataforma/aplicaciones/${app.id}/api-keys/${ajena!.id}`, { token }), 404);
    expect((await api('GET', '/clientes', { token: otra.token })).status).toBe(200);
  });
});

describe('PUT /plataforma/aplicaciones/{id}/folios/{serie}', () => {
  const folio = (applicationId: string) => depsDe(env).db.select().from(folios).where(eq(folios.client_application_id, applicationId)).all();

  it('moves a serie s counter forward in both modes or in one, and never back (409, nothing changes)', async () => {
    const { token, app } = await conAplicacion();
    const res = await api('PUT', `/plataforma/aplicaciones/${app.id}/folios/PAC`, { token, body: { siguiente: 101 } });
    expect(await json(res)).toEqual({ serie: 'PAC', siguiente: { test: 101, live: 101 } });
    expect((await folio(app.id)).map((f) => [f.mode, f.ultimo]).sort()).toEqual([['live', 100], ['test', 100]]);
    expect(await json(await api('PUT', `/plataforma/aplicaciones/${app.id}/folios/PAC`, { token, body: { siguiente: 500, mode: 'live' } }))).toEqual({ serie: 'PAC', siguiente: { live: 500 } });
    const err = await expectError(await api('PUT', `/plataforma/aplicaciones/${app.id}/folios/PAC`, { token, body: { siguiente: 200 } }), 409, 'folio_retrocede');
    expect(err.details).toEqual([expect.objectContaining({ path: 'siguiente', message: expect.stringContaining('499') })]);
    expect((await folio(app.id)).map((f) => [f.mode, f.ultimo]).sort()).toEqual([['live', 499], ['test', 100]]);
  });

  it('refuses a bad siguiente and a serie the CFDI cannot carry', async () => {
    const { token, app } = await conAplicacion();
    await expectError(await api('PUT', `/plataforma/aplicaciones/${app.id}/folios/PAC`, { token, body: { siguiente: 0 } }), 422);
    await expectError(await api('PUT', `/plataforma/aplicaciones/${app.id}/folios/PAC`, { token, body: { siguiente: '5' } }), 422);
    await expectError(await api('PUT', `/plataforma/aplicaciones/${app.id}/folios/A%7CB`, { token, body: { siguiente: 5 } }), 422);
    expect(await folio(app.id)).toEqual([]);
  });
});

describe('security of every /plataforma/aplicaciones route', () => {
  const rutas = (id: string) =>
    [
      ['POST', '/plataforma/aplicaciones', 'aplicaciones:write', emisor],
      ['GET', '/plataforma/aplicaciones', 'aplicaciones:read'],
      ['GET', `/plataforma/aplicaciones/${id}`, 'aplicaciones:read'],
      ['PATCH', `/plataforma/aplicaciones/${id}`, 'aplicaciones:write', { name: 'X' }],
      ['POST', `/plataforma/aplicaciones/${id}/suspender`, 'aplicaciones:write'],
      ['POST', `/plataforma/aplicaciones/${id}/reactivar`, 'aplicaciones:write'],
      ['PUT', `/plataforma/aplicaciones/${id}/csd`, 'aplicaciones:write', csdJson()],
      ['POST', `/plataforma/aplicaciones/${id}/api-keys`, 'aplicaciones:write', { name: 'k', mode: 'test', scopes: ['facturas:read'] }],
      ['GET', `/plataforma/aplicaciones/${id}/api-keys`, 'aplicaciones:read'],
      ['DELETE', `/plataforma/aplicaciones/${id}/api-keys/019ab1c2-0000-7000-8000-00000000dead`, 'aplicaciones:write'],
      ['PUT', `/plataforma/aplicaciones/${id}/folios/F`, 'aplicaciones:write', { siguiente: 10 }],
    ] as const;

  it('no key, an application key, a revoked or expired key and a suspended platform are 401; a missing scope is 403', async () => {
    const { app } = await conAplicacion();
    const appKey = (await createTenant()).token;
    const revocada = (await createPlataforma({ revocada: true })).token;
    const expirada = (await createPlataforma({ expirada: true })).token;
    const suspendida = (await createPlataforma({ suspendida: true })).token;
    for (const [method, path, scope, body] of rutas(app.id)) {
      const opts = { body: body as unknown };
      await expectError(await api(method, path, opts), 401, 'missing_api_key');
      const conApp = await expectError(await api(method, path, { ...opts, token: appKey }), 401, 'invalid_api_key');
      expect(conApp.message).toMatch(/key de plataforma/);
      await expectError(await api(method, path, { ...opts, token: revocada }), 401, 'api_key_revoked');
      await expectError(await api(method, path, { ...opts, token: expirada }), 401, 'api_key_expired');
      await expectError(await api(method, path, { ...opts, token: suspendida }), 401, 'platform_suspended');
      const otro = scope === 'aplicaciones:read' ? 'aplicaciones:write' : 'aplicaciones:read';
      const sinScope = (await createPlataforma({ scopes: [otro, 'webhooks:read'] })).token;
      const err = await expectError(await api(method, path, { ...opts, token: sinScope }), 403, 'insufficient_scope');
      expect(err.message).toContain(scope);
    }
    expect((await fila(app.id))!.status).toBe('active');
  });

  it('another platform s application, the operators own and an unknown id are 404 on every {id} route, and nothing changes', async () => {
    const { app } = await conAplicacion();
    const otra = await createPlataforma();
    const deOperadores = (await createTenant()).app.id;
    for (const id of [app.id, deOperadores, 'no-existe']) {
      for (const [method, path, , body] of rutas(id).filter(([, p]) => p.includes(id))) {
        await expectError(await api(method, path, { token: otra.token, body: body as unknown }), 404, 'not_found');
      }
    }
    const suya = (await fila(app.id))!;
    expect(suya).toMatchObject({ name: emisor.name, status: 'active', csd_certificado: null });
    expect((await json(await api('GET', '/plataforma/aplicaciones', { token: otra.token }))).data).toEqual([]);
  });

  it('a platform key on an application route is 401 and says to use the application s key', async () => {
    const p = await createPlataforma();
    const err = await expectError(await api('GET', '/facturas', { token: p.token }), 401, 'invalid_api_key');
    expect(err.message).toMatch(/key de plataforma no opera comprobantes/);
  });
});
