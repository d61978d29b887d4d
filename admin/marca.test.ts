import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { depsDe } from '../src/deps';
import { leerMarca } from '../src/services/marca';
import { logo } from '../test/fixtures/marca/logos';
import { createApplication } from '../test/helpers';
import { Browser, fieldError, signedIn } from './test-helpers';

const base = (appId: string) => `/admin/aplicaciones/${appId}/marca`;
const marca = (appId: string) => leerMarca(depsDe(env), appId);

function conLogo(csrf: string, bytes: Uint8Array, nombre = 'logo.png', tipo = 'image/png') {
  const form = new FormData();
  form.append('_csrf', csrf);
  form.append('logo', new File([bytes], nombre, { type: tipo }));
  return form;
}

describe('admin: identidad en el PDF', () => {
  it('is linked from the application page and edits color, footer and logo, with a live sketch and the real preview', async () => {
    const app = await createApplication();
    const { browser, csrf } = await signedIn();
    expect(await (await browser.get(`/admin/aplicaciones/${app.id}`)).text()).toContain(`href="${base(app.id)}"`);

    const pagina = await (await browser.get(base(app.id))).text();
    expect(pagina).toContain('id="marca-boceto"');
    expect(pagina).toContain(`src="${base(app.id)}/marca.js"`);
    expect(pagina).toContain(`href="${base(app.id)}/vista-previa"`);
    // the sketch starts with HexaFac's color; the script repaints every data-acento element
    expect(pagina).toMatch(/fill="#143D6E" data-acento/);
    const js = await browser.get(`${base(app.id)}/marca.js`);
    expect(js.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    const script = await js.text();
    for (const parte of ["getElementById('color_primario')", "addEventListener('input', pintar)", 'readAsDataURL', '[data-pie]']) expect(script).toContain(parte);

    const guardado = await browser.post(base(app.id), { _csrf: csrf, color_primario: '#0f766e', pie_pagina: 'Gracias por tu compra.' });
    expect(guardado.status).toBe(303);
    expect(await marca(app.id)).toMatchObject({ color_primario: '#0F766E', pie_pagina: 'Gracias por tu compra.' });
    const despues = await (await browser.get(base(app.id))).text();
    expect(despues).toMatch(/fill="#0F766E" data-acento/);
    expect(despues).toContain('Gracias por tu compra.</text>');

    expect((await browser.post(`${base(app.id)}/logo`, conLogo(csrf, logo('logo.png')))).status).toBe(303);
    expect((await marca(app.id)).logo).toMatchObject({ tipo: 'image/png', ancho: 240, alto: 80 });
    const imagen = await browser.get(`${base(app.id)}/logo`);
    expect(imagen.headers.get('Content-Type')).toBe('image/png');
    expect(new Uint8Array(await imagen.arrayBuffer())).toEqual(logo('logo.png'));
    expect(await (await browser.get(base(app.id))).text()).toContain(`href="${base(app.id)}/logo"`);

    const previa = await browser.get(`${base(app.id)}/vista-previa`);
    expect(previa.headers.get('Content-Type')).toBe('application/pdf');
    expect(new TextDecoder('latin1').decode(await previa.arrayBuffer())).toContain('/Subtype /Image');

    expect((await browser.post(`${base(app.id)}/logo/quitar`, { _csrf: csrf })).status).toBe(303);
    expect((await marca(app.id)).logo).toBeNull();
    expect((await browser.post(base(app.id), { _csrf: csrf, quitar_color: '1', pie_pagina: 'Gracias por tu compra.' })).status).toBe(303);
    expect((await marca(app.id)).color_primario).toBeNull();
  });

  it('shows each refusal beside its field and keeps what was typed', async () => {
    const app = await createApplication();
    const { browser, csrf } = await signedIn();
    const claro = await browser.post(base(app.id), { _csrf: csrf, color_primario: '#fde68a', pie_pagina: 'uno' });
    expect(claro.status).toBe(422);
    const html = await claro.text();
    expect(fieldError(html, 'color_primario')).toMatch(/#FDE68A es demasiado claro/);
    expect(html).toContain('value="#fde68a"');
    expect((await marca(app.id)).version).toBeNull();

    const diminuto = await browser.post(`${base(app.id)}/logo`, conLogo(csrf, logo('logo-diminuto.png')));
    expect(diminuto.status).toBe(422);
    expect(fieldError(await diminuto.text(), 'logo')).toMatch(/8×8 px/);
    const sinArchivo = await browser.post(`${base(app.id)}/logo`, { _csrf: csrf });
    expect(sinArchivo.status).toBe(422);
    expect(fieldError(await sinArchivo.text(), 'logo')).toBe('El logo está vacío.');
    expect((await marca(app.id)).logo).toBeNull();
  });

  it('no session goes to sign-in, a POST without CSRF is refused, an unknown application is a 404', async () => {
    const app = await createApplication();
    const anon = new Browser();
    const res = await anon.get(base(app.id));
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/admin/login?volver=${encodeURIComponent(base(app.id))}`);
    expect((await anon.get(`${base(app.id)}/vista-previa`)).status).toBe(303);
    const { browser } = await signedIn();
    expect((await browser.post(base(app.id), { color_primario: '#000000' })).status).toBe(403);
    expect((await marca(app.id)).version).toBeNull();
    expect((await browser.get(base('019a0000-0000-7000-8000-000000000000'))).status).toBe(404);
  });
});
