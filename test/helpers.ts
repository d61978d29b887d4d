import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { getDb } from '../src/db/client';
import { apiKeys } from '../src/db/schema';
import { depsDe } from '../src/deps';
import { API_BASE } from '../src/env';
import { fromBase64 } from '../src/lib/crypto';
import { uuidv7 } from '../src/lib/ids';
import type { Mode } from '../src/lib/mode';
import { MINUTE } from '../src/lib/time';
import { pacsDe } from '../src/pac';
import { SandboxConsultaSat, SandboxPac } from '../src/pac/sandbox';
import type { ConsultaSat, PacAdapter } from '../src/pac/types';
import { crearApiKey, revocarApiKey, SCOPES, type Scope } from '../src/services/api-keys';
import { crearAplicacion, type DatosAplicacion } from '../src/services/aplicaciones';
import { guardarCsd } from '../src/services/csd';
import { facturaBase } from './factura-base';

export { facturaBase };

// Helpers for Workers-pool tests: make tenants and keys in the real D1, call the real Worker.

export interface TestApp {
  id: string;
  rfc: string;
}

export async function createApplication(over: Partial<DatosAplicacion> = {}): Promise<TestApp> {
  const app = await crearAplicacion(depsDe(env), {
    name: `App ${uuidv7().slice(-6)}`,
    rfc: 'EKU9003173C9',
    razon_social: 'ESCUELA KEMPER URGATE',
    regimen_fiscal: '601',
    lugar_expedicion: '42501',
    ...over,
  });
  return { id: app.id, rfc: app.rfc };
}

export interface KeyOptions {
  mode?: Mode;
  scopes?: readonly Scope[];
  expiresAt?: string;
  revoked?: boolean;
}

export async function createKey(applicationId: string, opts: KeyOptions = {}): Promise<string> {
  // A key that has already expired was minted before it expired.
  const expira = opts.expiresAt ? Date.parse(opts.expiresAt) : Infinity;
  const deps = depsDe(env, undefined, expira <= Date.now() ? { clock: () => new Date(expira - MINUTE) } : {});
  const { token, apiKey } = await crearApiKey(deps, applicationId, {
    name: 'test key',
    mode: opts.mode ?? 'test',
    scopes: opts.scopes?.length ? opts.scopes : SCOPES,
    expires: opts.expiresAt,
  });
  if (opts.revoked) await revocarApiKey(deps, applicationId, apiKey.id);
  // The service mints no key without a scope (an operator's slip); the tests of the routes that need
  // none still want one, so its scopes are emptied afterwards.
  if (opts.scopes?.length === 0) await getDb(env).update(apiKeys).set({ scopes: [] }).where(eq(apiKeys.id, apiKey.id));
  return token;
}

/** An application with one key per mode, all scopes unless told otherwise. */
export async function createTenant(opts: KeyOptions & { app?: Partial<DatosAplicacion> } = {}) {
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

/** Loads the SAT test CSD into the application, through the admin panel's upload (key re-encrypted, password not kept). */
export async function cargarCsdDePrueba(applicationId: string): Promise<void> {
  await guardarCsd(depsDe(env), applicationId, { cer: fromBase64(env.TEST_CSD_CER), key: fromBase64(env.TEST_CSD_KEY), password: '12345678a' });
}

/** A tenant ready to invoice: application with the SAT test CSD, and a key. */
export async function createEmisor(opts: KeyOptions = {}) {
  const t = await createTenant(opts);
  await cargarCsdDePrueba(t.app.id);
  return t;
}

/** Polls until `check` returns a value (the queue consumer runs beside the test). */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, what = 'condition', timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Hands a stamped CFDI (and the project's own cadena of it) to the oracle folder test/output/cfdi/. */
export async function guardarParaOraculo(nombre: string, xml: string): Promise<void> {
  const { cadenaOriginal } = await import('../src/cfdi');
  for (const [ext, body] of [['xml', xml], ['txt', cadenaOriginal(xml)]] as const) {
    const res = await env.TEST_OUTPUT.fetch(`http://output/cfdi/${nombre}.${ext}`, { method: 'PUT', body });
    if (!res.ok) throw new Error(`could not write ${nombre}.${ext}`);
  }
}

/** A `pendiente` factura straight into D1 with no queue message, so the test drives the job itself. */
export const insertarPendiente = (applicationId: string, opts: { fecha?: string; ahora?: Date; serie?: string } = {}) =>
  insertarFactura(applicationId, opts.serie ? { serie: opts.serie } : {}, opts);

/** A factura row of the sample body straight into D1, in whatever state `over` says. */
export async function insertarFactura(
  applicationId: string,
  over: Partial<typeof import('../src/db/schema').facturas.$inferInsert> = {},
  opts: { fecha?: string; ahora?: Date } = {},
) {
  const { prepararComprobante } = await import('../src/cfdi');
  const { facturas } = await import('../src/db/schema');
  const emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
  const datos = facturaBase(opts.fecha ? { fecha: opts.fecha } : {});
  const prep = prepararComprobante(datos, emisor, { tipo: 'I', ahora: opts.ahora });
  if (!prep.ok) throw new Error(JSON.stringify(prep.errors));
  const c = prep.comprobante;
  const id = uuidv7();
  await getDb(env)
    .insert(facturas)
    .values({
      id,
      client_application_id: applicationId,
      mode: 'test',
      tipo: 'I',
      status: 'pendiente',
      serie: 'T',
      folio: id.slice(-12),
      receptor_rfc: c.receptor.rfc,
      receptor_nombre: c.receptor.nombre,
      moneda: c.moneda,
      subtotal: c.subTotal,
      total: c.total,
      fecha: c.fecha,
      datos: { ...datos, fecha: c.fecha },
      ...over,
    });
  return id;
}

/** A PAC in front of a real one (a fake of its network): every call goes through unless `over` replaces it. */
export function pacCon(real: PacAdapter, over: Partial<PacAdapter> = {}): PacAdapter {
  return {
    nombre: real.nombre,
    timbrar: (xml, o) => real.timbrar(xml, o),
    buscarTimbre: (xml, o) => real.buscarTimbre(xml, o),
    cancelar: (s) => real.cancelar(s),
    cancelacionesRecibidas: (a) => real.cancelacionesRecibidas(a),
    responderCancelacion: (r) => real.responderCancelacion(r),
    ...over,
  };
}

/** Deps whose PACs (both modes) are these, with real breakers; the SAT status service too when given. */
export function pacsCon(adaptadores: PacAdapter[], opts: { consultaSat?: ConsultaSat; clock?: () => Date } = {}) {
  return pacsDe(env, opts.clock ?? (() => new Date()), { adaptadores, ...(opts.consultaSat ? { consultaSat: opts.consultaSat } : {}) });
}

/** The sandbox PAC as test mode uses it, on the test's R2 (and its clock). */
export const sandboxPac = (now?: () => Date, nombre?: string) =>
  new SandboxPac({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store: env.CFDI_BUCKET, ...(now ? { now } : {}), ...(nombre ? { nombre } : {}) });

/** The SAT status service as the sandbox answers it. */
export const consultaSandbox = (now?: () => Date) =>
  new SandboxConsultaSat({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store: env.CFDI_BUCKET, ...(now ? { now } : {}) });
