import { env, exports } from 'cloudflare:workers';
import { getDb } from '../src/db/client';
import { apiKeys, clientApplications, type Mode } from '../src/db/schema';
import { API_BASE } from '../src/env';
import { generateApiKey, SCOPES, type Scope } from '../src/lib/auth';
import { uuidv7 } from '../src/lib/ids';

// Helpers for Workers-pool tests: make tenants and keys in the real D1, call the real Worker.

export interface TestApp {
  id: string;
  rfc: string;
}

export async function createApplication(over: Partial<typeof clientApplications.$inferInsert> = {}): Promise<TestApp> {
  const id = uuidv7();
  const row = {
    id,
    name: `App ${id.slice(-6)}`,
    rfc: 'EKU9003173C9',
    razon_social: 'ESCUELA KEMPER URGATE',
    regimen_fiscal: '601',
    lugar_expedicion: '42501',
    ...over,
  };
  await getDb(env).insert(clientApplications).values(row);
  return { id, rfc: row.rfc };
}

export interface KeyOptions {
  mode?: Mode;
  scopes?: readonly Scope[];
  expiresAt?: string;
  revoked?: boolean;
}

export async function createKey(applicationId: string, opts: KeyOptions = {}): Promise<string> {
  const mode = opts.mode ?? 'test';
  const key = await generateApiKey(mode);
  await getDb(env)
    .insert(apiKeys)
    .values({
      id: uuidv7(),
      client_application_id: applicationId,
      name: 'test key',
      mode,
      prefix: key.prefix,
      token_hash: key.tokenHash,
      scopes: [...(opts.scopes ?? SCOPES)],
      expires_at: opts.expiresAt ?? null,
      revoked_at: opts.revoked ? new Date().toISOString() : null,
    });
  return key.token;
}

/** An application with one key per mode, all scopes unless told otherwise. */
export async function createTenant(opts: KeyOptions & { app?: Partial<typeof clientApplications.$inferInsert> } = {}) {
  const app = await createApplication(opts.app);
  const token = await createKey(app.id, opts);
  return { app, token };
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls the Worker's own fetch handler, as a client would over HTTP. */
export async function api(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['Content-Type'] ??= 'application/json';
  }
  return exports.default.fetch(new Request(`http://hexafac.test${API_BASE}${path}`, { method, headers, body }));
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Asserts the one error shape and returns it. */
export async function expectError(res: Response, status: number, code?: string) {
  const body = await json(res);
  if (res.status !== status || (code && body?.error?.code !== code)) {
    throw new Error(`expected ${status} ${code ?? ''}, got ${res.status}: ${JSON.stringify(body)}`);
  }
  if (typeof body.error.message !== 'string' || !Array.isArray(body.error.details) || !body.error.request_id) {
    throw new Error(`not the error shape: ${JSON.stringify(body)}`);
  }
  return body.error as { code: string; message: string; details: { path: string; message: string; code?: string }[]; request_id: string };
}
