import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomBytes, timingSafeEqual, toBase64Url } from '../src/lib/crypto';
import type { PortalEnv } from './env';

// The portal has no session: a double-submit cookie guards its form. The token lives in a SameSite=Strict,
// HttpOnly cookie and in the form's hidden field; a cross-site POST carries neither the cookie (Strict) nor a way
// to read it, so the two never match.

export const CSRF_COOKIE = 'hexafac_autofactura_csrf';

/** The browser's token (a new one the first time), for the form's hidden `_csrf` field. */
export function csrfToken(c: Context<PortalEnv>): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = toBase64Url(randomBytes(24));
  setCookie(c, CSRF_COOKIE, token, { path: '/autofactura', httpOnly: true, secure: true, sameSite: 'Strict', maxAge: 60 * 60 * 4 });
  return token;
}

export function csrfValido(c: Context<PortalEnv>, enviado: string | undefined): boolean {
  const cookie = getCookie(c, CSRF_COOKIE);
  return !!cookie && !!enviado && timingSafeEqual(cookie, enviado);
}
