import { describe, expect, it } from 'vitest';
import { API_BASE } from '../../env';
import { api, expectError } from '../../../test/helpers';
import { CHROME_ES } from './swagger-ui-es';

const ORIGIN = 'http://hexafac.test';

/** Every src/href of the page, resolved against its own URL. */
function referencias(html: string): URL[] {
  const pageUrl = `${ORIGIN}${API_BASE}/docs`;
  return [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => new URL(m[1]!, pageUrl));
}

describe('GET /docs', () => {
  it('serves the Swagger UI page without a key, with a CSP that allows this origin only', async () => {
    const res = await api('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    const html = await res.text();
    expect(html).toContain('id="swagger-ui"');
    // No inline script: the CSP would block it, so all code comes from the referenced files.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  });

  it('references only same-origin assets, and each of them answers 200 with its type', async () => {
    const html = await (await api('GET', '/docs')).text();
    const refs = referencias(html);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const url of refs) {
      expect(url.origin, url.href).toBe(ORIGIN);
      expect(url.pathname.startsWith(API_BASE), url.href).toBe(true);
      const res = await api('GET', url.pathname.slice(API_BASE.length) + url.search);
      expect(res.status, url.href).toBe(200);
      const type = res.headers.get('Content-Type') ?? '';
      if (url.pathname.endsWith('.js')) expect(type, url.href).toMatch(/^text\/javascript/);
      if (url.pathname.endsWith('.css')) expect(type, url.href).toMatch(/^text\/css/);
      if (url.pathname.endsWith('.png')) expect(new Uint8Array(await res.arrayBuffer()).slice(1, 4)).toEqual(new TextEncoder().encode('PNG'));
      else expect((await res.text()).length, url.href).toBeGreaterThan(0);
    }
    expect(refs.map((u) => u.pathname)).toEqual(
      expect.arrayContaining([`${API_BASE}/docs/assets/swagger-ui-bundle.js`, `${API_BASE}/docs/assets/swagger-ui.css`, `${API_BASE}/openapi.json`]),
    );
  });

  it('the start-up script loads this API’s own document with the online validator off', async () => {
    const js = await (await api('GET', '/docs/assets/hexafac-docs.js')).text();
    expect(js).toContain(`url: "${API_BASE}/openapi.json"`);
    expect(js).toContain('validatorUrl: null');
    expect(js).not.toMatch(/https?:\/\//);
  });

  it('the Spanish chrome comes in the same-origin script, after the bundle, and each string it replaces is one Swagger UI writes', async () => {
    const page = await api('GET', '/docs');
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<html lang="es">');
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => new URL(m[1]!, ORIGIN).pathname);
    expect(scripts).toEqual([`${API_BASE}/docs/assets/swagger-ui-bundle.js`, `${API_BASE}/docs/assets/hexafac-docs.js`]);
    const res = await api('GET', '/docs/assets/hexafac-docs.js');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const js = await res.text();
    expect(js).toContain('MutationObserver');
    expect(js).toContain(JSON.stringify(CHROME_ES));
    expect(CHROME_ES['Try it out']).toBe('Probar');
    expect(CHROME_ES.Execute).toBe('Ejecutar');
    const bundle = await (await api('GET', '/docs/assets/swagger-ui-bundle.js')).text();
    for (const ingles of Object.keys(CHROME_ES)) expect(bundle, ingles).toContain(ingles);
    // A translation that were itself a key would be translated again.
    for (const espanol of Object.values(CHROME_ES)) expect(Object.keys(CHROME_ES)).not.toContain(espanol);
  });

  it('the bundle is the real Swagger UI, without a source-map reference to a file it does not serve', async () => {
    const js = await (await api('GET', '/docs/assets/swagger-ui-bundle.js')).text();
    expect(js).toContain('SwaggerUIBundle');
    expect(js).not.toContain('sourceMappingURL');
    const license = await api('GET', '/docs/assets/swagger-ui-bundle.js.LICENSE.txt');
    expect(license.status).toBe(200);
  });

  it('404 in the one error shape for an unknown asset', async () => {
    await expectError(await api('GET', '/docs/assets/nada.js'), 404, 'not_found');
    await expectError(await api('GET', '/docs/assets/..%2F..%2Fopenapi.json'), 404, 'not_found');
  });

  it('is public even with a bad key, like /openapi.json', async () => {
    expect((await api('GET', '/docs', { token: 'hfx_test_bad' })).status).toBe(200);
    expect((await api('GET', '/openapi.json', { token: 'hfx_test_bad' })).status).toBe(200);
  });
});
