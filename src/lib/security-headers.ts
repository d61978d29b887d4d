import type { MiddlewareHandler } from 'hono';

// The headers of the server-rendered pages (the admin panel, the autofactura portal): their own styles and scripts
// only, no framing, no sniffing. What differs between them is said by the caller: images (the panel shows data:
// previews) and the Referer (the portal's invoice address is its key and must never travel in one).

export interface SecurityHeadersOptions {
  /** Sources of img-src besides 'self'. */
  img?: string[];
  referrerPolicy: 'no-referrer' | 'same-origin';
}

export function securityHeaders(o: SecurityHeadersOptions): MiddlewareHandler {
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    "script-src 'self'",
    ["img-src 'self'", ...(o.img ?? [])].join(' '),
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', o.referrerPolicy);
  };
}
