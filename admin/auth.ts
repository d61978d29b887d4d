// Admin access: PBKDF2 password hashes, a jose-signed session cookie bound to a CSRF token, and
// account lockout after repeated failed sign-ins. Web Crypto only, so the seed can run it in Node too.
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { jwtVerify, SignJWT } from 'jose';
import type { Db } from '../src/db/client';
import { getDb } from '../src/db/client';
import { adminUsers } from '../src/db/schema';
import type { Env } from '../src/env';
import { fromBase64, randomBytes, timingSafeEqual, toBase64, toBase64Url } from '../src/lib/crypto';
import { uuidv7 } from '../src/lib/ids';

// Workers' PBKDF2 refuses more than 100,000 iterations; that is also the issue's floor.
export const PBKDF2_ITERATIONS = 100_000;
export const SESSION_COOKIE = 'hexafac_admin';
export const LOGIN_CSRF_COOKIE = 'hexafac_admin_login';
export const SESSION_SECONDS = 8 * 60 * 60;
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256));
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
  const salt = randomBytes(16);
  return { hash: toBase64(await pbkdf2(password, salt, iterations)), salt: toBase64(salt), iterations };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const derived = await pbkdf2(password, fromBase64(stored.salt), stored.iterations);
  return timingSafeEqual(toBase64(derived), stored.hash);
}

export interface NewAdmin {
  email: string;
  name: string;
  password: string;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function crearAdmin(db: Db, { email, name, password }: NewAdmin): Promise<{ id: string }> {
  const id = uuidv7();
  const h = await hashPassword(password);
  await db.insert(adminUsers).values({
    id,
    email: normalizeEmail(email),
    name: name.trim(),
    password_hash: h.hash,
    password_salt: h.salt,
    password_iterations: h.iterations,
  });
  return { id };
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The same row as crearAdmin, as SQL for `wrangler d1 execute --local` (the `npm start` seed); keeps an existing admin. */
export async function adminSeedSql({ email, name, password }: NewAdmin): Promise<string> {
  const h = await hashPassword(password);
  const values = [uuidv7(), normalizeEmail(email), name.trim(), h.hash, h.salt].map(sqlString);
  return (
    'INSERT OR IGNORE INTO hexafac_admin_users (id, email, name, password_hash, password_salt, password_iterations) ' +
    `VALUES (${values.join(', ')}, ${h.iterations});`
  );
}

// ---- sign-in with lockout

export type SignInResult =
  | { ok: true; admin: typeof adminUsers.$inferSelect }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: string };

// Unknown e-mails still pay for one PBKDF2 so timing does not reveal which accounts exist.
let dummyHash: Promise<PasswordHash> | undefined;

export async function signIn(db: Db, email: string, password: string, now = new Date()): Promise<SignInResult> {
  const admin = await db.select().from(adminUsers).where(eq(adminUsers.email, normalizeEmail(email))).get();
  if (!admin) {
    dummyHash ??= hashPassword('not-a-password');
    await verifyPassword(password, await dummyHash);
    return { ok: false, reason: 'invalid' };
  }
  const nowIso = now.toISOString();
  if (admin.locked_until && admin.locked_until > nowIso) return { ok: false, reason: 'locked', until: admin.locked_until };

  const good = await verifyPassword(password, {
    hash: admin.password_hash,
    salt: admin.password_salt,
    iterations: admin.password_iterations,
  });
  if (good) {
    await db
      .update(adminUsers)
      .set({ failed_attempts: 0, locked_until: null, last_login_at: nowIso, updated_at: nowIso })
      .where(eq(adminUsers.id, admin.id))
      .run();
    return { ok: true, admin };
  }
  // A lock that has run out starts a fresh count.
  const attempts = (admin.locked_until ? 0 : admin.failed_attempts) + 1;
  const locked = attempts >= MAX_FAILED_ATTEMPTS;
  const until = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
  await db
    .update(adminUsers)
    .set({ failed_attempts: locked ? 0 : attempts, locked_until: locked ? until : null, updated_at: nowIso })
    .where(eq(adminUsers.id, admin.id))
    .run();
  return locked ? { ok: false, reason: 'locked', until } : { ok: false, reason: 'invalid' };
}

// ---- session

export interface AdminSession {
  adminId: string;
  email: string;
  name: string;
  /** Bound to the session: every form carries it, every POST must echo it. */
  csrf: string;
}

export interface AdminEnv {
  Bindings: Env;
  Variables: { requestId: string; session: AdminSession; loginCsrf: string };
}

const jwtKey = (env: Env) => new TextEncoder().encode(env.ADMIN_JWT_SECRET);

export async function startSession(c: Context<AdminEnv>, admin: { id: string; email: string; name: string }): Promise<void> {
  const jwt = await new SignJWT({ email: admin.email, name: admin.name, csrf: toBase64Url(randomBytes(24)) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(admin.id)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_SECONDS}s`)
    .setAudience('hexafac-admin')
    .sign(jwtKey(c.env));
  setCookie(c, SESSION_COOKIE, jwt, {
    path: '/admin',
    httpOnly: true,
    // Browsers take Secure cookies from http://localhost and 127.0.0.1 (Chromium treats loopback as secure).
    secure: true,
    sameSite: 'Lax',
    maxAge: SESSION_SECONDS,
  });
}

export function endSession(c: Context<AdminEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: true, httpOnly: true, sameSite: 'Lax' });
}

export async function readSession(c: Context<AdminEnv>): Promise<AdminSession | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, jwtKey(c.env), { algorithms: ['HS256'], audience: 'hexafac-admin' });
    if (typeof payload.sub !== 'string' || typeof payload.csrf !== 'string') return null;
    return { adminId: payload.sub, email: String(payload.email), name: String(payload.name), csrf: payload.csrf };
  } catch {
    return null;
  }
}

/** Pages behind sign-in: no (or a stale) session → the sign-in page, remembering where the operator was going. */
export const requireSession = createMiddleware<AdminEnv>(async (c, next) => {
  const session = await readSession(c);
  // The admin must still exist and not be locked out; a deleted account loses its sessions at once.
  const admin = session
    ? await getDb(c.env).select({ locked_until: adminUsers.locked_until }).from(adminUsers).where(eq(adminUsers.id, session.adminId)).get()
    : undefined;
  if (!session || !admin || (admin.locked_until && admin.locked_until > new Date().toISOString())) {
    if (session) endSession(c);
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
