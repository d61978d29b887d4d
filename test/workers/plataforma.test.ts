import { env, exports } from 'cloudflare:workers';
import { LIMITES } from '../../src/lib/rate-limit';
import { describe, expect, it } from 'vitest';
import { fielCer, fielKey, CSD_PASSWORD } from '../../admin/test-fixtures/csd';
import { API_BASE } from '../../src/env';
import { esperarFin } from '../comprobantes';
import { api, expectError, facturaBase, guardarParaOraculo, json } from '../helpers';
import { createPlataforma } from '../plataformas';

// The platform's whole way, through the API only (the platform key is minted by the service, as the admin
// panel does): an application, the SAT test CSD, a key of the application, and a stamped factura with it.

const bytes = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
const emisor = { name: 'Kemper por API', rfc: 'EKU9003173C9', razon_social: 'ESCUELA KEMPER URGATE', regimen_fiscal: '601', lugar_expedicion: '42501' };

async function nuevaAplicacion(token: string, over: Record<string, unknown> = {}) {
  const res = await api('POST', '/plataforma/aplicaciones', { token, body: { ...emisor, ...over } });
  expect(res.status).toBe(201);
  return json(res);
}

describe('a platform through the API', () => {
  it('creates an application, uploads the SAT test CSD by multipart, mints a test key and issues a stamped factura with it', async () => {
    const { token } = await createPlataforma();
    const app = await nuevaAplicacion(token, { series: { I: 'PLAT' } });

    const form = new FormData();
    form.set('cer', new File([bytes(env.TEST_CSD_CER)], 'EKU9003173C9.cer'));
    form.set('key', new File([bytes(env.TEST_CSD_KEY)], 'EKU9003173C9.key'));
    form.set('password', '12345678a');
    const csd = await exports.default.fetch(
      new Request(`http://hexafac.test${API_BASE}/plataforma/aplicaciones/${app.id}/csd`, { method: 'PUT', headers: { Authorization: `Bearer ${token}` }, body: form }),
    );
    expect(csd.status).toBe(200);
    expect(await json(csd)).toMatchObject({ rfc: 'EKU9003173C9', no_certificado: '30001000000500003416', vigente: true });

    const key = await json(
      await api('POST', `/plataforma/aplicaciones/${app.id}/api-keys`, { token, body: { name: 'caja 1', mode: 'test', scopes: ['facturas:read', 'facturas:write'] } }),
    );
    const aceptada = await api('POST', '/facturas', { token: key.token, body: facturaBase({ serie: 'PLAT' }) });
    expect(aceptada.status).toBe(202);
    // the issuer's key is counted under its platform's plan
    expect(aceptada.headers.get('RateLimit-Policy')).toBe(`"escrituras";q=${LIMITES.plataforma.escrituras.q};w=${LIMITES.plataforma.escrituras.w}`);
    const f = await esperarFin(key.token, '/facturas', (await json(aceptada)).id);
    expect(f.status, JSON.stringify(f.errores)).toBe('timbrada');
    const xml = await (await api('GET', `/facturas/${f.id}/xml`, { token: key.token })).text();
    expect(xml).toContain('Rfc="EKU9003173C9"');
    expect(xml).toContain('NoCertificado="30001000000500003416"');
    await guardarParaOraculo('api-plataforma-timbrada', xml);
  });

  it('takes the CSD as base64 JSON too, and the key it mints stamps', async () => {
    const { token } = await createPlataforma();
    const app = await nuevaAplicacion(token);
    const csd = await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: { cer_base64: env.TEST_CSD_CER, key_base64: env.TEST_CSD_KEY, password: '12345678a' } });
    expect(csd.status).toBe(200);
    const key = await json(await api('POST', `/plataforma/aplicaciones/${app.id}/api-keys`, { token, body: { name: 'erp', mode: 'test', scopes: ['facturas:read', 'facturas:write'] } }));
    const f = await esperarFin(key.token, '/facturas', (await json(await api('POST', '/facturas', { token: key.token, body: facturaBase() }))).id);
    expect(f.status).toBe('timbrada');
    await guardarParaOraculo('api-plataforma-base64-timbrada', await (await api('GET', `/facturas/${f.id}/xml`, { token: key.token })).text());
  });

  it('a wrong password is a 422 on password with no trace of it in the body; a FIEL is a 422 on cer', async () => {
    const { token } = await createPlataforma();
    const app = await nuevaAplicacion(token);
    const mal = await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: { cer_base64: env.TEST_CSD_CER, key_base64: env.TEST_CSD_KEY, password: 'Otra-Clave-987' } });
    const texto = await mal.clone().text();
    expect((await expectError(mal, 422)).details).toEqual([expect.objectContaining({ path: 'password', code: 'csd_password_incorrecto' })]);
    expect(texto).not.toContain('Otra-Clave-987');
    const fiel = await expectError(await api('PUT', `/plataforma/aplicaciones/${app.id}/csd`, { token, body: { cer_base64: fielCer, key_base64: fielKey, password: CSD_PASSWORD } }), 422);
    expect(fiel.details).toEqual([expect.objectContaining({ path: 'cer_base64', code: 'csd_es_fiel' })]);
    expect((await json(await api('GET', `/plataforma/aplicaciones/${app.id}`, { token }))).csd).toBeNull();
  });
});
