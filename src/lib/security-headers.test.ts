import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers';

const pagina = (o: Parameters<typeof securityHeaders>[0]) => {
  const app = new Hono();
  app.use('*', securityHeaders(o));
  app.get('/', (c) => c.html('<p>hola</p>'));
  return app.request('/');
};

describe('securityHeaders', () => {
  it('the portal: only its own sources, no framing, no Referer', async () => {
    const res = await pagina({ referrerPolicy: 'no-referrer' });
    expect(res.headers.get('Content-Security-Policy')).toBe(
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
  });

  it('the admin panel: data: images besides its own, the Referer within the origin', async () => {
    const res = await pagina({ img: ['data:'], referrerPolicy: 'same-origin' });
    expect(res.headers.get('Content-Security-Policy')).toContain("img-src 'self' data:; form-action 'self'");
    expect(res.headers.get('Referrer-Policy')).toBe('same-origin');
  });
});
