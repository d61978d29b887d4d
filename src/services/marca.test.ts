import { env } from 'cloudflare:workers';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { facturaTimbrada } from '../../test/comprobantes';
import { logo } from '../../test/fixtures/marca/logos';
import { api, createEmisor, createApplication, facturaBase } from '../../test/helpers';
import { depsDe } from '../deps';
import { uuidv7 } from '../lib/ids';
import { pdfDe } from './archivos';
import { cargarAplicacion } from './comprobantes';
import { actualizarMarca, contrasteConBlanco, leerMarca, quitarLogo, subirLogo, vistaPrevia } from './marca';

const deps = () => depsDe(env);
// an image XObject is a stream, never inside pdf-lib's compressed object streams: its dictionary is plain text
const tieneImagen = (pdf: Uint8Array) => new TextDecoder('latin1').decode(pdf).includes('/Subtype /Image');
const objetos = async (appId: string) => (await env.CFDI_BUCKET.list({ prefix: `${appId}/marca/` })).objects.map((o) => o.key);

/** A PNG's signature and IHDR with the given fields, and nothing after: enough for the header checks. */
function pngCabecera(ancho: number, alto: number, profundidad = 8, tipoColor = 6): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, ancho);
  v.setUint32(20, alto);
  b[24] = profundidad;
  b[25] = tipoColor;
  return b;
}

describe('marca service', () => {
  it('starts empty, stores color upper-cased and footer trimmed, each change a new version', async () => {
    const { id } = await createApplication();
    expect(await leerMarca(deps(), id)).toEqual({ logo: null, color_primario: null, pie_pagina: null, version: null });
    const primera = await actualizarMarca(deps(), id, { color_primario: '#0f766e', pie_pagina: '  Gracias por su compra.  ' });
    expect(primera).toMatchObject({ logo: null, color_primario: '#0F766E', pie_pagina: 'Gracias por su compra.' });
    expect(primera.version).toMatch(/^[0-9a-f-]{36}$/);
    const segunda = await actualizarMarca(deps(), id, { pie_pagina: null });
    expect(segunda).toMatchObject({ color_primario: '#0F766E', pie_pagina: null });
    expect(segunda.version).not.toBe(primera.version);
    // nothing to change: the version stays
    expect((await actualizarMarca(deps(), id, {})).version).toBe(segunda.version);
  });

  it('refuses colors too light for white text, with the contrast in the message, and bad footers, each on its field', async () => {
    const { id } = await createApplication();
    expect(contrasteConBlanco('#FFFFFF')).toBeCloseTo(1, 5);
    expect(contrasteConBlanco('#000000')).toBeCloseTo(21, 5);
    await expect(actualizarMarca(deps(), id, { color_primario: '#FACC15', pie_pagina: 'uno\ndos' })).rejects.toMatchObject({
      kind: 'invalid',
      details: [
        { path: 'color_primario', code: 'HFX_COLOR_CONTRASTE', message: expect.stringMatching(/#FACC15 es demasiado claro.*3:1 \(WCAG\); este tiene 1\.\d\d:1/) },
        { path: 'pie_pagina', message: 'El pie de página es un solo párrafo: sin saltos de línea.' },
      ],
    });
    for (const [cambios, path] of [
      [{ color_primario: 'azul' }, 'color_primario'],
      [{ color_primario: '#12345' }, 'color_primario'],
      [{ pie_pagina: 'x'.repeat(301) }, 'pie_pagina'],
      [{ pie_pagina: 'con\u0007campana' }, 'pie_pagina'],
    ] as const) {
      await expect(actualizarMarca(deps(), id, cambios)).rejects.toMatchObject({ kind: 'invalid', details: [{ path }] });
    }
    // 300 characters (accented ones count as one) and a mid-gray just past 3:1 are fine
    expect((await actualizarMarca(deps(), id, { color_primario: '#767676', pie_pagina: 'é'.repeat(300) })).color_primario).toBe('#767676');
    // nothing was written by the refusals before
    expect((await cargarAplicacion(deps(), { applicationId: id })).pie_pagina).toBe('é'.repeat(300));
  });

  it('stores a PNG and a JPEG logo under the application prefix, the old object deleted after the row points at the new one', async () => {
    const { id } = await createApplication();
    const png = await subirLogo(deps(), id, logo('logo.png'));
    expect(png.logo).toEqual({ tipo: 'image/png', ancho: 240, alto: 80, bytes: logo('logo.png').length });
    const [clavePng] = await objetos(id);
    expect(clavePng).toMatch(new RegExp(`^${id}/marca/logo-.+\\.png$`));
    const jpeg = await subirLogo(deps(), id, logo('logo.jpg'), 'image/jpeg');
    expect(jpeg.logo).toMatchObject({ tipo: 'image/jpeg', ancho: 200, alto: 200 });
    expect(jpeg.version).not.toBe(png.version);
    const claves = await objetos(id);
    expect(claves).toHaveLength(1);
    expect(claves[0]).toMatch(/\.jpg$/);
    expect((await cargarAplicacion(deps(), { applicationId: id })).logo_key).toBe(claves[0]);
    const sin = await quitarLogo(deps(), id);
    expect(sin.logo).toBeNull();
    expect(sin.version).not.toBe(jpeg.version);
    expect(await objetos(id)).toEqual([]);
  });

  it('accepts the variants pdf-lib embeds: palette and interlaced PNG, progressive and CMYK JPEG', async () => {
    const { id } = await createApplication();
    for (const nombre of ['logo-paleta.png', 'logo-entrelazado.png', 'logo-progresivo.jpg', 'logo-cmyk.jpg']) {
      expect((await subirLogo(deps(), id, logo(nombre))).logo, nombre).not.toBeNull();
    }
  });

  it('refuses what is not a sane PNG or JPEG on the logo field, storing nothing', async () => {
    const { id } = await createApplication();
    const grande = new Uint8Array(512 * 1024 + 1);
    grande.set(logo('logo.png'));
    const casos: [Uint8Array, string, RegExp][] = [
      [new TextEncoder().encode('GIF89a...'), 'HFX_LOGO_FORMATO', /PNG o JPEG/],
      [new Uint8Array(), 'HFX_LOGO_DANADO', /vacío/],
      [grande, 'HFX_LOGO_TAMANO', /máximo es 512 KB/],
      [logo('logo-diminuto.png'), 'HFX_LOGO_DIMENSIONES', /8×8 px; cada lado debe medir entre 16 y 4000 px/],
      [logo('logo-alargado.png'), 'HFX_LOGO_DIMENSIONES', /900×60 px: es más de 8 veces/],
      [pngCabecera(5000, 1000), 'HFX_LOGO_DIMENSIONES', /5000×1000/],
      [pngCabecera(100, 100, 3, 2), 'HFX_LOGO_DANADO', /tipo de color 2 con 3 bits/],
      // a right header over no pixel data: only pdf-lib finds it out
      [pngCabecera(100, 100), 'HFX_LOGO_DANADO', /dañada/],
      [logo('logo.jpg').subarray(0, 20), 'HFX_LOGO_DANADO', /SOF/],
      [logo('logo.png').subarray(0, 20), 'HFX_LOGO_DANADO', /IHDR/],
    ];
    for (const [bytes, code, message] of casos) {
      await expect(subirLogo(deps(), id, bytes), code).rejects.toMatchObject({ kind: 'invalid', details: [{ path: 'logo', code, message: expect.stringMatching(message) }] });
    }
    await expect(subirLogo(deps(), id, logo('logo.png'), 'image/jpeg')).rejects.toMatchObject({ details: [{ path: 'tipo', message: 'El archivo es image/png, no image/jpeg.' }] });
    expect(await objetos(id)).toEqual([]);
    expect((await leerMarca(deps(), id)).version).toBeNull();
  });

  it('two uploads at once leave one logo object, the one the row points at', async () => {
    const { id } = await createApplication();
    const resultados = await Promise.allSettled([subirLogo(deps(), id, logo('logo.png')), subirLogo(deps(), id, logo('logo.jpg'))]);
    // the loser of a race is told so (the branding moved under it) instead of deleting the winner's logo
    for (const r of resultados) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'marca_cambiada', kind: 'conflict' });
    expect(resultados.some((r) => r.status === 'fulfilled')).toBe(true);
    const claves = await objetos(id);
    expect(claves).toHaveLength(1);
    expect((await cargarAplicacion(deps(), { applicationId: id })).logo_key).toBe(claves[0]);
  });

  it('an unknown application is not_found', async () => {
    await expect(leerMarca(deps(), uuidv7())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(subirLogo(deps(), uuidv7(), logo('logo.png'))).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('a branding change makes the next download of a stamped PDF render again, with the logo', async () => {
    const { app, token } = await createEmisor();
    const f = await facturaTimbrada(token, facturaBase());
    const t = { applicationId: app.id, mode: 'test' as const };
    const pdfs = async () => (await env.CFDI_BUCKET.list({ prefix: `${app.id}/test/` })).objects.map((o) => o.key).filter((k) => k.endsWith('.pdf'));
    const bytes = async () => new Uint8Array(await new Response((await pdfDe(deps(), t, f.id)).body).arrayBuffer());

    const sinMarca = await bytes();
    expect(tieneImagen(sinMarca)).toBe(false);
    expect(await bytes()).toEqual(sinMarca);
    expect(await pdfs()).toHaveLength(1);

    await subirLogo(deps(), app.id, logo('logo.png'));
    const conLogo = await bytes();
    expect(tieneImagen(conLogo)).toBe(true);
    expect(await pdfs()).toHaveLength(2);
    // cached under the new version: the same bytes again
    expect(await bytes()).toEqual(conLogo);

    await actualizarMarca(deps(), app.id, { color_primario: '#0F766E' });
    const conColor = await bytes();
    expect(conColor).not.toEqual(conLogo);
    expect(await pdfs()).toHaveLength(3);
    // the API's download is the same document
    expect(new Uint8Array(await (await api('GET', `/facturas/${f.id}/pdf`, { token })).arrayBuffer())).toEqual(conColor);
  });

  it('renders a preview: a sample factura with the branding, watermarked, stored nowhere', async () => {
    const { id } = await createApplication();
    await subirLogo(deps(), id, logo('logo.jpg'));
    const antes = (await env.CFDI_BUCKET.list({ prefix: `${id}/` })).objects.length;
    const pdf = await vistaPrevia(deps(), id);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getTitle()).toMatch(/^Factura EJEMPLO-1$/);
    expect((await env.CFDI_BUCKET.list({ prefix: `${id}/` })).objects.length).toBe(antes);
    expect(tieneImagen(pdf)).toBe(true);
  });
});
