import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/lib/middleware';
import { facturaPPD, facturaTimbrada } from '../test/comprobantes';
import { api, createEmisor } from '../test/helpers';
import { Browser, signedIn } from './test-helpers';

// The panel's "Verificar CFDI" page: the service of POST /cfdi/verificar behind a form; nothing is stored.

async function xmlTimbrado(descripcion?: string) {
  const { token } = await createEmisor();
  const body = facturaPPD();
  if (descripcion) body.conceptos[0]!.descripcion = descripcion;
  const f = await facturaTimbrada(token, body);
  return { f, xml: await (await api('GET', `/facturas/${f.id}/xml`, { token })).text() };
}

function formulario(csrf: string, campos: { archivo?: string | Uint8Array; xml?: string; modo?: string }) {
  const fd = new FormData();
  fd.set('_csrf', csrf);
  if (campos.archivo !== undefined) fd.set('archivo', new File([campos.archivo], 'factura.xml', { type: 'text/xml' }));
  if (campos.xml !== undefined) fd.set('xml', campos.xml);
  if (campos.modo !== undefined) fd.set('modo', campos.modo);
  return fd;
}

const veredicto = (html: string) => /data-veredicto="([^"]+)"/.exec(html)?.[1];
const selloSat = (html: string) => /data-sello-sat="([^"]+)"/.exec(html)?.[1];

describe('Verificar CFDI — happy', () => {
  it('is in the nav and shows the form, with the mode of the panel (test, then live once switched) as the default', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser.get('/admin/verificar');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<a href="\/admin\/verificar" aria-current="page">Verificar CFDI<\/a>/);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<option value="test" selected="">/);
    expect(html).toContain('Máximo 1 MiB');
    await browser.post('/admin/modo', { _csrf: csrf, modo: 'live' });
    expect(await (await browser.get('/admin/verificar')).text()).toMatch(/<option value="live" selected="">/);
  });

  it('an uploaded sandbox-stamped file in test mode: válido, with sello, timbre, data and the JSON', async () => {
    const { f, xml } = await xmlTimbrado();
    const { browser, csrf } = await signedIn();
    const res = await browser.post('/admin/verificar', formulario(csrf, { archivo: new TextEncoder().encode(xml), modo: 'test' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(veredicto(html)).toBe('valido');
    expect(html).toContain('CFDI válido');
    expect(selloSat(html)).toBe('valido');
    expect(html).toContain(f.uuid);
    expect(html).toContain('EKU9003173C9');
    expect(html).toContain('30001000000500003416');
    expect(html).toContain(f.receptor.rfc);
    expect(html).toContain(f.total);
    expect(html).toContain('tfd:TimbreFiscalDigital');
    expect(html).toMatch(/<details[^>]*><summary>CFDI como JSON<\/summary><pre class="json">\{/);
    expect(html).toContain('&quot;timbre_fiscal_digital&quot;');
  });

  it('pasted text with the panel in live mode: the sandbox stamp is desconocido, explained, and not refuted', async () => {
    const { xml } = await xmlTimbrado();
    const { browser, csrf } = await signedIn();
    await browser.post('/admin/modo', { _csrf: csrf, modo: 'live' });
    const html = await (await browser.post('/admin/verificar', formulario(csrf, { xml }))).text();
    expect(selloSat(html)).toBe('desconocido');
    expect(html).toContain('no pudo comprobar el SelloSAT');
    expect(html).toContain('CERTIFICADOS_TIMBRADO');
    expect(veredicto(html)).toBe('valido');
  });

  it('a tampered document: no válido, the Sello’s motivo and the rules broken in a table', async () => {
    const { xml } = await xmlTimbrado();
    const { browser, csrf } = await signedIn();
    const html = await (await browser.post('/admin/verificar', formulario(csrf, { xml: xml.replace(/Total="([0-9.]+)"/, 'Total="999999.00"'), modo: 'test' }))).text();
    expect(veredicto(html)).toBe('no-valido');
    expect(html).toContain('CFDI no válido');
    expect(html).toContain('no corresponde');
    const reglas = html.slice(html.indexOf('aria-label="Reglas del SAT"'));
    expect(reglas).toMatch(/<td class="mono">CFDI40\d+<\/td>/);
  });
});

describe('Verificar CFDI — errors', () => {
  it('not XML: the message and its details on the same page (422), the text kept in the form', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser.post('/admin/verificar', formulario(csrf, { xml: 'esto no es XML' }));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('HFX_XML_MAL_FORMADO');
    expect(html).toContain('línea 1, columna 1');
    expect(html).toMatch(/<textarea[^>]*name="xml"[^>]*>esto no es XML<\/textarea>/);
    expect(veredicto(html)).toBeUndefined();
  });

  it('a CFDI 3.3 file is refused with why', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser.post('/admin/verificar', formulario(csrf, { archivo: '<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/3" Version="3.3"/>' }));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('HFX_NO_ES_CFDI40');
  });

  it('neither a file nor text, or both, is a 422 saying so', async () => {
    const { browser, csrf } = await signedIn();
    const nada = await browser.post('/admin/verificar', formulario(csrf, { xml: '   ' }));
    expect(nada.status).toBe(422);
    expect(await nada.text()).toContain('Sube el archivo XML del CFDI o pega su contenido.');
    const ambos = await browser.post('/admin/verificar', formulario(csrf, { archivo: '<a/>', xml: '<a/>' }));
    expect(ambos.status).toBe(422);
    expect(await ambos.text()).toContain('no ambos');
  });

  it('over the API’s 1 MiB: the page says so (413), the body unread', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser.post('/admin/verificar', formulario(csrf, { archivo: `<a>${'x'.repeat(MAX_BODY_BYTES)}</a>` }));
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('excede el máximo de 1 MiB');
    expect(html).toContain('Verificar CFDI');
  });
});

describe('Verificar CFDI — security', () => {
  it('needs a session: GET → the sign-in page, POST → 401', async () => {
    const b = new Browser();
    const get = await b.get('/admin/verificar');
    expect(get.status).toBe(303);
    expect(get.headers.get('Location')).toBe('/admin/login?volver=%2Fadmin%2Fverificar');
    expect((await b.post('/admin/verificar', formulario('x', { xml: '<a/>' }))).status).toBe(401);
  });

  it('a POST without the session’s CSRF token is refused with 403', async () => {
    const { browser } = await signedIn();
    expect((await browser.post('/admin/verificar', formulario('otro-token', { xml: '<a/>' }))).status).toBe(403);
  });

  it('what the document says is escaped, never markup', async () => {
    const { xml } = await xmlTimbrado('<script>alert(1)</script>');
    const { browser, csrf } = await signedIn();
    const html = await (await browser.post('/admin/verificar', formulario(csrf, { xml, modo: 'test' }))).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('stores nothing', async () => {
    const { xml } = await xmlTimbrado();
    const antes = await env.DB.prepare('SELECT count(*) AS n FROM hexafac_facturas').first<{ n: number }>();
    const { browser, csrf } = await signedIn();
    await browser.post('/admin/verificar', formulario(csrf, { xml }));
    expect(await env.DB.prepare('SELECT count(*) AS n FROM hexafac_facturas').first<{ n: number }>()).toEqual(antes);
  });
});
