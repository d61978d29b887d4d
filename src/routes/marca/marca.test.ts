import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { logo } from '../../../test/fixtures/marca/logos';
import { api, createTenant, expectError, json } from '../../../test/helpers';
import { toBase64 } from '../../cfdi';
import { depsDe } from '../../deps';
import { API_BASE } from '../../env';
import { crearAplicacionDePlataforma, crearPlataforma, crearPlatformKey } from '../../services/plataformas';

const deps = () => depsDe(env);
const EMISOR = { name: 'Sucursal', rfc: 'EKU9003173C9', razon_social: 'ESCUELA KEMPER URGATE', regimen_fiscal: '601', lugar_expedicion: '42501' };

/** A platform with one application and a key of the given scopes. */
async function plataforma(scopes: string[] = ['aplicaciones:read', 'aplicaciones:write']) {
  const p = await crearPlataforma(deps(), { name: 'ERP de prueba' });
  const { token } = await crearPlatformKey(deps(), p.id, { name: 'k', scopes });
  const app = (await crearAplicacionDePlataforma(deps(), p.id, EMISOR)).value;
  return { token, id: app.id, ruta: `/plataforma/aplicaciones/${app.id}/marca` };
}

function multipart(ruta: string, token: string, nombre: string, bytes: Uint8Array, tipo: string) {
  const form = new FormData();
  form.append('logo', new File([bytes], nombre, { type: tipo }));
  return exports.default.fetch(
    new Request(`http://hexafac.test${API_BASE}${ruta}`, { method: 'PUT', headers: { Authorization: `Bearer ${token}` }, body: form }),
  );
}

const tieneImagen = (pdf: ArrayBuffer) => new TextDecoder('latin1').decode(pdf).includes('/Subtype /Image');

describe('marca routes: happy', () => {
  it('reads, changes color and footer, uploads a logo as JSON and as multipart, previews and removes it', async () => {
    const { token, ruta } = await plataforma();
    expect(await json(await api('GET', ruta, { token }))).toEqual({ logo: null, color_primario: null, pie_pagina: null, version: null });

    const cambiada = await api('PATCH', ruta, { token, body: { color_primario: '#0f766e', pie_pagina: 'Gracias por tu compra.' } });
    expect(cambiada.status).toBe(200);
    const marca = await json(cambiada);
    expect(marca).toMatchObject({ logo: null, color_primario: '#0F766E', pie_pagina: 'Gracias por tu compra.' });

    const png = await api('PUT', `${ruta}/logo`, { token, body: { logo_base64: toBase64(logo('logo.png')), tipo: 'image/png' } });
    expect(png.status).toBe(200);
    expect((await json(png)).logo).toEqual({ tipo: 'image/png', ancho: 240, alto: 80, bytes: logo('logo.png').length });

    const jpeg = await multipart(`${ruta}/logo`, token, 'logo.jpg', logo('logo.jpg'), 'image/jpeg');
    expect(jpeg.status).toBe(200);
    const conJpeg = await json(jpeg);
    expect(conJpeg.logo).toMatchObject({ tipo: 'image/jpeg', ancho: 200, alto: 200 });
    expect(await json(await api('GET', ruta, { token }))).toEqual(conJpeg);

    const previa = await api('GET', `${ruta}/vista-previa`, { token });
    expect(previa.status).toBe(200);
    expect(previa.headers.get('Content-Type')).toBe('application/pdf');
    expect(previa.headers.get('Cache-Control')).toBe('no-store');
    const pdf = await previa.arrayBuffer();
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    expect(tieneImagen(pdf)).toBe(true);

    const sin = await api('DELETE', `${ruta}/logo`, { token });
    expect(sin.status).toBe(200);
    expect(await json(sin)).toMatchObject({ logo: null, color_primario: '#0F766E' });
    expect(tieneImagen(await (await api('GET', `${ruta}/vista-previa`, { token })).arrayBuffer())).toBe(false);

    const limpia = await json(await api('PATCH', ruta, { token, body: { color_primario: null, pie_pagina: null } }));
    expect(limpia).toMatchObject({ color_primario: null, pie_pagina: null });
  });
});

describe('marca routes: errors', () => {
  it('answers each mistake with a 422 on its field and changes nothing', async () => {
    const { token, ruta } = await plataforma();
    const claro = await expectError(await api('PATCH', ruta, { token, body: { color_primario: '#FDE68A', pie_pagina: 'a\tb' } }), 422, 'validation_error');
    expect(claro.details.map((d) => [d.path, d.code])).toEqual([
      ['color_primario', 'HFX_COLOR_CONTRASTE'],
      ['pie_pagina', 'HFX_FORMATO'],
    ]);
    const desconocido = await expectError(await api('PATCH', ruta, { token, body: { color: '#000000' } }), 422);
    expect(desconocido.details[0]).toMatchObject({ path: 'color', code: 'HFX_CAMPO_DESCONOCIDO' });

    const gif = await expectError(await api('PUT', `${ruta}/logo`, { token, body: { logo_base64: btoa('GIF89a......'), tipo: 'image/png' } }), 422);
    expect(gif.details[0]).toMatchObject({ path: 'logo', code: 'HFX_LOGO_FORMATO' });
    const noBase64 = await expectError(await api('PUT', `${ruta}/logo`, { token, body: { logo_base64: '***', tipo: 'image/png' } }), 422);
    expect(noBase64.details[0]).toMatchObject({ path: 'logo_base64' });
    const otroTipo = await expectError(await api('PUT', `${ruta}/logo`, { token, body: { logo_base64: toBase64(logo('logo.jpg')), tipo: 'image/png' } }), 422);
    expect(otroTipo.details[0]).toMatchObject({ path: 'tipo', message: 'El archivo es image/jpeg, no image/png.' });
    const diminuto = await expectError(await multipart(`${ruta}/logo`, token, 'x.png', logo('logo-diminuto.png'), 'image/png'), 422);
    expect(diminuto.details[0]).toMatchObject({ path: 'logo', code: 'HFX_LOGO_DIMENSIONES' });
    await expectError(await api('PUT', `${ruta}/logo`, { token, body: '{"logo_base64":', headers: { 'Content-Type': 'application/json' } }), 400);
    const vacio = await expectError(await api('PUT', `${ruta}/logo`, { token }), 422);
    expect(vacio.details.map((d) => d.path)).toContain('logo_base64');

    expect(await json(await api('GET', ruta, { token }))).toEqual({ logo: null, color_primario: null, pie_pagina: null, version: null });
  });
});

describe('marca routes: security', () => {
  it('no key and an application key are 401, a read-only key cannot write, another platform s application is a 404', async () => {
    const { token, ruta } = await plataforma();
    await expectError(await api('GET', ruta), 401);
    const { token: deAplicacion } = await createTenant();
    await expectError(await api('GET', ruta, { token: deAplicacion }), 401);

    const lectora = await plataforma(['aplicaciones:read']);
    expect((await api('GET', lectora.ruta, { token: lectora.token })).status).toBe(200);
    await expectError(await api('PATCH', lectora.ruta, { token: lectora.token, body: { color_primario: '#000000' } }), 403, 'insufficient_scope');
    await expectError(await api('PUT', `${lectora.ruta}/logo`, { token: lectora.token, body: { logo_base64: toBase64(logo('logo.png')), tipo: 'image/png' } }), 403);
    await expectError(await api('DELETE', `${lectora.ruta}/logo`, { token: lectora.token }), 403);

    const otra = await plataforma();
    for (const sufijo of ['', '/vista-previa']) await expectError(await api('GET', `${ruta}${sufijo}`, { token: otra.token }), 404, 'not_found');
    await expectError(await api('PATCH', ruta, { token: otra.token, body: { color_primario: '#000000' } }), 404);
    await expectError(await api('PUT', `${ruta}/logo`, { token: otra.token, body: { logo_base64: toBase64(logo('logo.png')), tipo: 'image/png' } }), 404);
    await expectError(await api('DELETE', `${ruta}/logo`, { token: otra.token }), 404);
    // untouched by all of that
    expect((await json(await api('GET', ruta, { token }))).version).toBeNull();
  });
});
