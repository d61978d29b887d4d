// The panel's session: a jose-signed cookie naming a session row (src/services/admin-sessions.ts) and bound
// to a CSRF token, for the operators of src/services/admin-users.ts (passwords and lockout live there).
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { jwtVerify, SignJWT } from 'jose';
import type { Deps } from '../src/deps';
import type { Env } from '../src/env';
import { randomBytes, timingSafeEqual, toBase64Url } from '../src/lib/crypto';
import { SECOND } from '../src/lib/time';
import { createSession, findActiveSession, SESSION_MS } from '../src/services/admin-sessions';
import { newAdminRow, type NewAdmin } from '../src/services/admin-users';

export const SESSION_COOKIE = 'hexafac_admin';
export const LOGIN_CSRF_COOKIE = 'hexafac_admin_login';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A new admin's row as SQL for `wrangler d1 execute --local` (the `npm start` seed); keeps an existing admin. */
export async function adminSeedSql(admin: NewAdmin): Promise<string> {
  const r = await newAdminRow(admin);
  const values = [r.id, r.email, r.name, r.password_hash, r.password_salt].map(sqlString);
  return (
    'INSERT OR IGNORE INTO hexafac_admin_users (id, email, name, password_hash, password_salt, password_iterations) ' +
    `VALUES (${values.join(', ')}, ${r.password_iterations});`
  );
}

export interface AdminSession {
  /** The row in hexafac_admin_sessions that signing out revokes. */
  id: string;
  adminId: string;
  email: string;
  name: string;
  /** Bound to the session: every form carries it, every POST must echo it. */
  csrf: string;
}

export interface AdminEnv {
  Bindings: Env;
  Variables: { requestId: string; deps: Deps; session: AdminSession; loginCsrf: string };
}

const jwtKey = (env: Env) => new TextEncoder().encode(env.ADMIN_JWT_SECRET);

/** The cookie's signed claims, before D1 says whether its session still stands. */
async function sessionClaims(c: Context<AdminEnv>): Promise<{ id: string; adminId: string; csrf: string } | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, jwtKey(c.env), { algorithms: ['HS256'], audience: 'hexafac-admin' });
    const { jti, sub, csrf } = payload;
    return typeof jti === 'string' && typeof sub === 'string' && typeof csrf === 'string' ? { id: jti, adminId: sub, csrf } : null;
  } catch {
    return null;
  }
}

/** A new session at every sign-in (new id, new CSRF token); the one this browser had, if any, ends. */
export async function startSession(c: Context<AdminEnv>, adminId: string): Promise<void> {
  const previous = await sessionClaims(c);
  const session = await createSession(c.var.deps, adminId, previous?.id);
  const jwt = await new SignJWT({ csrf: toBase64Url(randomBytes(24)) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(adminId)
    .setJti(session.id)
    .setIssuedAt(session.createdAt)
    .setExpirationTime(session.expiresAt)
    .setAudience('hexafac-admin')
    .sign(jwtKey(c.env));
  setCookie(c, SESSION_COOKIE, jwt, {
    path: '/admin',
    httpOnly: true,
    // Browsers take Secure cookies from http://localhost and 127.0.0.1 (Chromium treats loopback as secure).
    secure: true,
    sameSite: 'Lax',
    maxAge: SESSION_MS / SECOND,
  });
}

export function endSession(c: Context<AdminEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: true, httpOnly: true, sameSite: 'Lax' });
}

/** The browser's session if it still stands: a valid cookie whose row is open and whose admin may act. */
export async function readSession(c: Context<AdminEnv>): Promise<AdminSession | null> {
  const claims = await sessionClaims(c);
  if (!claims) return null;
  const admin = await findActiveSession(c.var.deps, claims.id, claims.adminId);
  return admin ? { ...claims, ...admin } : null;
}

/** Pages behind sign-in: no (or an ended) session → the sign-in page, remembering where the operator was going. */
export const requireSession = createMiddleware<AdminEnv>(async (c, next) => {
  const session = await readSession(c);
  if (!session) {
    if (getCookie(c, SESSION_COOKIE)) endSession(c);
    if (c.req.method !== 'GET') return c.text('Sesión requerida.', 401);
    const url = new URL(c.req.url);
    return c.redirect(`/admin/login?volver=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }
  c.set('session', session);
  await next();
});

/** Every state-changing request must carry the session's CSRF token (form field `_csrf` or header X-CSRF-Token). */
export const requireCsrf = createMiddleware<AdminEnv>(async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const expected = c.get('session').csrf;
  if (!(await csrfMatches(c, expected))) return c.text('Token CSRF ausente o inválido.', 403);
  await next();
});

export async function csrfMatches(c: Context<AdminEnv>, expected: string | undefined): Promise<boolean> {
  let given = c.req.header('X-CSRF-Token');
  if (!given) {
    const type = c.req.header('Content-Type') ?? '';
    if (/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type)) {
      // all: true, as every other reader of this body (Hono caches the first parse).
      const v = (await c.req.parseBody({ all: true }))._csrf;
      const first = Array.isArray(v) ? v[0] : v;
      given = typeof first === 'string' ? first : undefined;
    }
  }
  return !!given && !!expected && timingSafeEqual(given, expected);
}

/** The sign-in form has no session yet: a double-submit cookie guards it against login CSRF. */
export function loginCsrfToken(c: Context<AdminEnv>): string {
  const existing = getCookie(c, LOGIN_CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = toBase64Url(randomBytes(24));
  setCookie(c, LOGIN_CSRF_COOKIE, token, { path: '/admin', httpOnly: true, secure: true, sameSite: 'Strict', maxAge: 3600 });
  return token;
}

/** Where to go after sign-in: only a path inside the panel (no open redirect). */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[^\s\\]*)?(\?[^\s\\]*)?$/.test(value) && !value.startsWith('/admin//')
    ? value
    : '/admin';
}
