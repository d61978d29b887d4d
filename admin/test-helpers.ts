import { env, exports } from 'cloudflare:workers';
import { depsDe } from '../src/deps';
import { createAdmin } from '../src/services/admin-users';
import { SESSION_COOKIE } from './auth';

// A tiny cookie-keeping client for the panel's route tests: it talks to the real Worker.

export const ADMIN = { email: 'ops@hexafac.test', name: 'Operadora', password: 'correct horse battery staple' };

let n = 0;
export async function newAdmin() {
  const email = `ops${++n}-${crypto.randomUUID().slice(0, 8)}@hexafac.test`;
  await createAdmin(depsDe(env), { ...ADMIN, email });
  return { ...ADMIN, email };
}

export class Browser {
  cookies = new Map<string, string>();

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await exports.default.fetch(new Request(`https://hexafac.test${path}`, { ...init, headers, redirect: 'manual' }));
    for (const c of res.headers.getAll('Set-Cookie')) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (!value || /Max-Age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string) {
    return this.fetch(path);
  }

  post(path: string, fields: Record<string, string | string[]> | FormData) {
    let body: URLSearchParams | FormData;
    if (fields instanceof FormData) body = fields;
    else {
      body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    }
    return this.fetch(path, { method: 'POST', body });
  }

  /** The CSRF token of the page at `path` (every form carries it). */
  async csrf(path = '/admin'): Promise<string> {
    const html = await (await this.get(path)).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error(`no CSRF token on ${path}: ${html.slice(0, 300)}`);
    return m[1]!;
  }

  async signIn(email: string, password: string): Promise<Response> {
    const token = await this.csrf('/admin/login');
    return this.post('/admin/login', { _csrf: token, email, password });
  }
}

export async function signedIn(): Promise<{ browser: Browser; csrf: string; admin: typeof ADMIN }> {
  const admin = await newAdmin();
  const browser = new Browser();
  const res = await browser.signIn(admin.email, admin.password);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return { browser, csrf: await browser.csrf('/admin'), admin };
}

/** The claims of the browser's session cookie (a JWT), read without checking it. */
export function sessionClaims(browser: Browser): Record<string, unknown> {
  const jwt = browser.cookies.get(SESSION_COOKIE);
  if (!jwt) throw new Error('no session cookie');
  return JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
}

/** Another browser that holds only the given session cookie: what someone who copied it would have. */
export function browserWith(sessionCookie: string): Browser {
  const b = new Browser();
  b.cookies.set(SESSION_COOKIE, sessionCookie);
  return b;
}

/** Text content of the element carrying `id="<id>-error"` (a field-level error), or undefined. */
export function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`id="${field}-error">([^<]*)<`).exec(html)?.[1];
}
