import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../src/db/client';
import { adminSessions, adminUsers } from '../src/db/schema';
import { MAX_FAILED_ATTEMPTS } from '../src/services/admin-users';
import { LOGIN_CSRF_COOKIE, SESSION_COOKIE } from './auth';
import { Browser, browserWith, sessionClaims, signedIn } from './test-helpers';

// A session is a row the cookie names: whoever holds a copy of the cookie loses it when the row ends.

const db = () => getDb(env);

/** Whether a browser holding this cookie gets into the panel. */
async function opens(sessionCookie: string): Promise<boolean> {
  const res = await browserWith(sessionCookie).get('/admin');
  if (res.status !== 200 && res.status !== 303) throw new Error(`GET /admin: ${res.status}`);
  return res.status === 200;
}

describe('sessions', () => {
  it('a cookie captured before sign-out no longer opens the panel, nor changes anything', async () => {
    const { browser, csrf } = await signedIn();
    const captured = browser.cookies.get(SESSION_COOKIE)!;
    expect(await opens(captured)).toBe(true);

    expect((await browser.post('/admin/logout', { _csrf: csrf })).status).toBe(303);
    expect(await opens(captured)).toBe(false);
    const copy = browserWith(captured);
    expect((await copy.post('/admin/modo', { _csrf: csrf, modo: 'live' })).status).toBe(401);
    // The refusal also clears the dead cookie from the browser that sent it.
    expect(copy.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('“Cerrar todas las sesiones” ends the admin’s sessions in every browser', async () => {
    const { browser: first, admin } = await signedIn();
    const second = new Browser();
    expect((await second.signIn(admin.email, admin.password)).status).toBe(303);
    const secondCsrf = await second.csrf();
    const firstCookie = first.cookies.get(SESSION_COOKIE)!;
    const other = await signedIn();

    const panel = await (await second.get('/admin')).text();
    expect(panel).toMatch(/<form method="post" action="\/admin\/logout-all" class="inline"><input type="hidden" name="_csrf" value="[^"]+"\/><button[^>]*>Cerrar todas las sesiones<\/button>/);
    expect((await second.post('/admin/logout-all', {})).status).toBe(403);
    expect(await opens(firstCookie)).toBe(true);

    const res = await second.post('/admin/logout-all', { _csrf: secondCsrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/admin/login');
    expect(second.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await opens(firstCookie)).toBe(false);
    expect((await first.get('/admin')).status).toBe(303);
    // Another admin's session is not touched, and signing in again works.
    expect((await other.browser.get('/admin')).status).toBe(200);
    expect((await second.signIn(admin.email, admin.password)).status).toBe(303);
    expect((await second.get('/admin')).status).toBe(200);
  });

  it('every sign-in starts a new session: new id and CSRF token, and the one the browser had before ends', async () => {
    const { browser, csrf, admin } = await signedIn();
    const before = browser.cookies.get(SESSION_COOKIE)!;
    const { jti: firstId } = sessionClaims(browser);
    expect(browser.cookies.has(LOGIN_CSRF_COOKIE)).toBe(false);

    // Signing in again over a live session (a second tab's form): the login double-submit token, by hand.
    const token = 'r'.repeat(32);
    browser.cookies.set(LOGIN_CSRF_COOKIE, token);
    expect((await browser.post('/admin/login', { _csrf: token, email: admin.email, password: admin.password })).status).toBe(303);
    const { jti: secondId } = sessionClaims(browser);
    expect(typeof firstId).toBe('string');
    expect(typeof secondId).toBe('string');
    expect(secondId).not.toBe(firstId);
    expect(browser.cookies.has(LOGIN_CSRF_COOKIE)).toBe(false);
    const newCsrf = await browser.csrf();
    expect(newCsrf).not.toBe(csrf);
    expect(newCsrf).not.toBe(token);

    expect(await opens(before)).toBe(false);
    expect(await opens(browser.cookies.get(SESSION_COOKIE)!)).toBe(true);
  });

  it('a session past its expiry, or whose row is gone, is refused whatever the cookie says', async () => {
    const expiring = await signedIn();
    const gone = await signedIn();
    await db()
      .update(adminSessions)
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where(eq(adminSessions.id, String(sessionClaims(expiring.browser).jti)));
    await db().delete(adminSessions).where(eq(adminSessions.id, String(sessionClaims(gone.browser).jti)));
    expect((await expiring.browser.get('/admin')).status).toBe(303);
    expect((await gone.browser.get('/admin')).status).toBe(303);
  });

  it('the lockout ends the sessions already open, and they stay ended once the lock runs out', async () => {
    const { browser, admin } = await signedIn();
    const captured = browser.cookies.get(SESSION_COOKIE)!;
    const attacker = new Browser();
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) expect((await attacker.signIn(admin.email, `mal-${i}`)).status).toBe(401);
    expect(await opens(captured)).toBe(true);
    expect((await attacker.signIn(admin.email, 'mal')).status).toBe(429);
    expect(await opens(captured)).toBe(false);

    await db().update(adminUsers).set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where(eq(adminUsers.email, admin.email));
    expect(await opens(captured)).toBe(false);
    expect((await browser.signIn(admin.email, admin.password)).status).toBe(303);
    expect((await browser.get('/admin')).status).toBe(200);
  });
});
