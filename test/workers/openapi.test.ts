import { validate } from '@hyperjump/json-schema/openapi-3-1';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { API_BASE } from '../../src/env';
import { SCOPES, type Scope } from '../../src/lib/auth';
import { PLATFORM_SCOPES, type PlatformScope } from '../../src/lib/auth-plataforma';
import { getDb } from '../../src/db/client';
import { eventos, facturas } from '../../src/db/schema';
import { EventoWebhookSchema } from '../../src/routes/eventos.schemas';
import { aplicarCambio, cambiarEstado } from '../../src/services/estado';
import { cuerpoEvento, EVENT_TYPES, EVENTO_PRUEBA } from '../../src/webhooks/events';
import { api, createEmisor, createKey, createTenant, facturaBase, insertarFactura, json } from '../helpers';
import { createPlataforma } from '../plataformas';
import { dejarCuota, idDeClave } from '../limites';

// The document against the app itself: generic over whatever routers are mounted, so a new route that is not
// documented, documents no errors, or declares a scope it does not enforce fails here.

type Json = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  op: Json;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const OAS_31_SCHEMA = 'https://spec.openapis.org/oas/3.1/schema-base';
const ERROR_REF = '#/components/schemas/Error';

let doc: Json;
let operations: Operation[];

beforeAll(async () => {
  const res = await api('GET', '/openapi.json');
  expect(res.status).toBe(200);
  doc = await json(res);
  operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] as Json })),
  );
});

const label = (o: Operation) => `${o.method.toUpperCase()} ${o.path}`;
/** `security: []` says public explicitly; only a non-empty list asks for a key. */
const secured = (o: Operation) => (o.op.security ?? []).length > 0;
/** Served beside the API, not part of its contract. */
const FUERA_DEL_DOCUMENTO = ['GET /docs', 'GET /docs/assets/{archivo}', 'GET /openapi.json'];
const schemaOf = (s: Json | undefined): Json | undefined => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);

describe('GET /openapi.json', () => {
  it('is public and a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const out = await validate(OAS_31_SCHEMA, doc, 'BASIC');
    expect(out.valid, JSON.stringify(out.valid ? [] : out.errors?.slice(0, 5), null, 2)).toBe(true);
  });

  it('the validator rejects a broken document (it is not a no-op)', async () => {
    const broken = structuredClone(doc);
    broken.paths['/health'].get.responses = { 200: { content: {} } }; // a response without description
    delete broken.info.title;
    expect((await validate(OAS_31_SCHEMA, broken)).valid).toBe(false);
  });

  it('lists every route the app registers under the API, and nothing it does not serve', () => {
    const registered = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && r.path.startsWith(`${API_BASE}/`))
        .map((r) => `${r.method.toUpperCase()} ${r.path.slice(API_BASE.length).replace(/:([A-Za-z_]\w*)(\{[^}]*\})?/g, '{$1}')}`),
    );
    const documented = new Set([...operations.map(label), ...FUERA_DEL_DOCUMENTO]);
    expect(registered.size).toBeGreaterThan(10);
    expect([...registered].filter((r) => !documented.has(r)), 'registered but not documented').toEqual([]);
    expect([...documented].filter((d) => !registered.has(d)), 'documented but not served').toEqual([]);
  });

  it('a request field with a default is optional', () => {
    const bodies = operations.filter((o) => o.op.requestBody).map((o) => schemaOf(o.op.requestBody.content['application/json'].schema)!);
    const conDefault = bodies.flatMap((b) => Object.entries((b.properties ?? {}) as Json).filter(([, p]) => p.default !== undefined).map(([k]) => [b, k] as const));
    expect(conDefault.map(([, k]) => k)).toEqual(expect.arrayContaining(['moneda', 'exportacion', 'cfdi_relacionados']));
    for (const [b, k] of conDefault) expect(b.required ?? [], k).not.toContain(k);
  });

  it('names every operation with a unique camelCase operationId', () => {
    const ids = operations.map((o) => o.op.operationId as string);
    for (const [i, id] of ids.entries()) expect(id, label(operations[i]!)).toMatch(/^[a-z][a-zA-Z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['crearFactura', 'cancelarComprobante', 'reenviarEntrega', 'verificarCfdi']));
  });

  it('has an absolute server: the origin that served it', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: `http://hexafac.test${API_BASE}` })]);
  });

  it('explains auth, scopes, errors, idempotency, pagination and the sandbox, in Spanish', () => {
    for (const heading of ['Autenticación', 'Scopes', 'Errores', 'Idempotencia', 'Paginación', 'Sandbox']) {
      expect(doc.info.description).toContain(`## ${heading}`);
    }
    for (const scope of SCOPES) expect(doc.info.description).toContain(scope);
  });

  it('declares, with a description, every tag an operation uses; every operation has a tag and a summary', () => {
    const declared = new Map((doc.tags as Json[]).map((t) => [t.name, t.description]));
    for (const o of operations) {
      expect(o.op.summary, label(o)).toBeTruthy();
      expect(o.op.tags?.length, label(o)).toBeGreaterThan(0);
      for (const t of o.op.tags) expect(declared.get(t), `tag ${t} of ${label(o)}`).toBeTruthy();
    }
  });

  it('every secured operation uses bearerAuth (or, under /plataforma, platformAuth) with known scopes and documents 401 (and 403 when scoped)', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.platformAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const conLlave = operations.filter(secured);
    expect(conLlave.length).toBeGreaterThan(10);
    for (const o of conLlave) {
      for (const req of o.op.security) {
        const [esquema, ...otros] = Object.keys(req);
        expect(otros, label(o)).toEqual([]);
        expect(esquema, label(o)).toBe(o.path.startsWith('/plataforma/') ? 'platformAuth' : 'bearerAuth');
        for (const s of req[esquema!]) expect(esquema === 'platformAuth' ? PLATFORM_SCOPES : SCOPES, label(o)).toContain(s);
        if (req[esquema!].length) expect(o.op.responses, label(o)).toHaveProperty('403');
      }
      expect(o.op.responses, label(o)).toHaveProperty('401');
    }
  });

  it('every error response of every operation is the Error schema', () => {
    expect(schemaOf({ $ref: ERROR_REF })?.properties?.error?.required).toEqual(expect.arrayContaining(['code', 'message', 'details', 'request_id']));
    for (const o of operations) {
      for (const [status, r] of Object.entries(o.op.responses as Json)) {
        if (Number(status) < 400) continue;
        expect(r.description, `${label(o)} ${status}`).toBeTruthy();
        expect(r.content?.['application/json']?.schema?.$ref, `${label(o)} ${status}`).toBe(ERROR_REF);
      }
    }
  });

  it('operations with a JSON body document 400, 415 and 422; those with path parameters document 404', () => {
    for (const o of operations) {
      if (o.op.requestBody) for (const s of ['400', '415', '422']) expect(o.op.responses, `${label(o)} ${s}`).toHaveProperty(s);
      if (o.path.includes('{')) expect(o.op.responses, `${label(o)} 404`).toHaveProperty('404');
    }
  });

  it('request bodies carry examples, and the examples speak Spanish', () => {
    const hasExample = (s: Json | undefined, depth = 0): boolean => {
      s = schemaOf(s);
      if (!s || depth > 3) return false;
      if (s.example !== undefined || s.examples !== undefined) return true;
      return [...Object.values(s.properties ?? {}), s.items, ...(s.anyOf ?? []), ...(s.allOf ?? [])].some((x) => hasExample(x as Json, depth + 1));
    };
    const bodies = operations.filter((o) => o.op.requestBody);
    expect(bodies.length).toBeGreaterThan(3);
    for (const o of bodies) expect(hasExample(o.op.requestBody.content['application/json'].schema), label(o)).toBe(true);
    const text = JSON.stringify(doc);
    expect(schemaOf({ $ref: ERROR_REF })!.properties.error.properties.message.example).toMatch(/inválid/);
    expect(text).toContain('PUBLICO EN GENERAL');
  });
});

describe('declared security is the enforced security', () => {
  const fill = (path: string) => path.replace(/\{[^}]+\}/g, '019ab1c2-0000-7000-8000-00000000dead');
  const call = (o: Operation, token?: string) =>
    api(o.method.toUpperCase(), fill(o.path), { token, body: ['post', 'put', 'patch'].includes(o.method) ? {} : undefined });

  it('public operations answer without a key; secured ones answer 401 without one', async () => {
    for (const o of operations) {
      const res = await call(o);
      if (secured(o)) expect(res.status, label(o)).toBe(401);
      else expect(res.status, label(o)).not.toBe(401);
      await res.body?.cancel();
    }
  });

  it('a key without the declared scope gets 403; with only that scope it passes auth, and what it gets is documented', async () => {
    const { app: tenant } = await createTenant();
    // a platform key for the platformAuth operations, an application key for the rest
    // (one platform per set of scopes: a platform and its key cost more to make than an application's key)
    const plataformas = new Map<string, Promise<string>>();
    const deLaPlataforma = (scopes: PlatformScope[]) => {
      if (!plataformas.has(scopes.join())) plataformas.set(scopes.join(), createPlataforma({ scopes }).then((p) => p.token));
      return plataformas.get(scopes.join())!;
    };
    const llave = async (o: Operation, excepto: boolean, scopes: string[]) =>
      o.op.security[0].platformAuth
        ? deLaPlataforma(PLATFORM_SCOPES.filter((s) => scopes.includes(s) !== excepto))
        : createKey(tenant.id, { scopes: SCOPES.filter((s) => scopes.includes(s) !== excepto) as Scope[] });
    for (const o of operations.filter(secured)) {
      const scopes: string[] = o.op.security[0].bearerAuth ?? o.op.security[0].platformAuth;
      if (scopes.length) {
        const sinScope = await llave(o, true, scopes);
        const res = await call(o, sinScope);
        expect(res.status, label(o)).toBe(403);
        await res.body?.cancel();
      }
      const justo = await llave(o, false, scopes);
      const res = await call(o, justo);
      expect([401, 403], label(o)).not.toContain(res.status);
      if (res.status >= 400) expect(o.op.responses, `${label(o)} answered ${res.status}`).toHaveProperty(String(res.status));
      await res.body?.cancel();
    }
  });
});

describe('documented error examples are what the app answers', () => {
  const exampleOf = (path: string, method: string, status: number) => doc.paths[path][method].responses[status].content['application/json'].example.error;
  const answerOf = async (res: Response) => {
    const { error } = await json(res);
    return { code: error.code, message: error.message, details: error.details };
  };

  it('400, 401, 403, 404, 409, 413, 415, 422 and 429 each show their own real answer', async () => {
    const { token } = await createEmisor();
    const { app: tenant } = await createTenant();
    const lector = await createKey(tenant.id, { scopes: ['facturas:read'] });
    const cliente = { rfc: 'XOJI740919U48', nombre: 'Ingrid Xodar Jimenez', domicilio_fiscal: '88965', regimen_fiscal: '612' };
    const casos: [number, string, string, () => Promise<Response>][] = [
      [400, '/clientes', 'post', () => api('POST', '/clientes', { token, body: '{' })],
      [401, '/me', 'get', () => api('GET', '/me')],
      [403, '/facturas', 'post', () => api('POST', '/facturas', { token: lector, body: facturaBase() })],
      [404, '/facturas/{id}', 'get', () => api('GET', '/facturas/019ab1c2-0000-7000-8000-00000000dead', { token })],
      [
        409,
        '/clientes',
        'post',
        async () => {
          await (await api('POST', '/clientes', { token, body: cliente, headers: { 'Idempotency-Key': 'ejemplo-409' } })).text();
          return api('POST', '/clientes', { token, body: { ...cliente, nombre: 'OTRO' }, headers: { 'Idempotency-Key': 'ejemplo-409' } });
        },
      ],
      [413, '/clientes', 'post', () => api('POST', '/clientes', { token, body: `"${'x'.repeat(1024 * 1024)}"` })],
      [415, '/clientes', 'post', () => api('POST', '/clientes', { token, body: 'rfc=X', headers: { 'Content-Type': 'text/plain' } })],
      [422, '/facturas', 'post', () => api('POST', '/facturas', { token, body: facturaBase({ receptor: { ...facturaBase().receptor, uso_cfdi: 'CN01' } }) })],
      [
        429,
        '/facturas',
        'post',
        async () => {
          const gastada = await createKey(tenant.id);
          await dejarCuota(await idDeClave(gastada), 'escrituras', 0);
          return api('POST', '/facturas', { token: gastada, body: facturaBase() });
        },
      ],
    ];
    for (const [status, path, method, enviar] of casos) {
      const res = await enviar();
      expect(res.status, `${status}`).toBe(status);
      const { request_id: _, ...ejemplo } = exampleOf(path, method, status);
      expect(await answerOf(res), `${status}`).toEqual(ejemplo);
    }
  });
});

describe('webhooks section', () => {
  it('declares every event type, each with the Standard Webhooks headers and a signature security, and their union', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...EVENT_TYPES, EVENTO_PRUEBA, '*'].sort());
    for (const [type, item] of Object.entries(doc.webhooks as Json)) {
      const headers = (item.post.parameters as Json[]).filter((p) => p.in === 'header').map((p) => p.name);
      expect(headers, type).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
      expect(item.post.security, type).toEqual([{ firmaWebhook: [] }]);
      const body = schemaOf(item.post.requestBody.content['application/json'].schema)!;
      if (type !== '*') expect(body.properties.type.enum, type).toEqual([type]);
    }
    expect(doc.components.schemas.EventoWebhook.oneOf).toHaveLength(EVENT_TYPES.length + 1);
  });

  it('the body the app sends for an event it really records matches its documented schema', async () => {
    const { app: tenant } = await createTenant();
    const id = await insertarFactura(tenant.id);
    const fila = (await getDb(env).select().from(facturas).where(eq(facturas.id, id)).get())!;
    const cambio = cambiarEstado(env.DB, fila, 'timbrada', { uuid: '5FB2822E-396D-4725-8521-CDC4BDD20CCF', fecha_timbrado: fila.fecha }, new Date());
    expect(await aplicarCambio(env.DB, cambio)).toBe(cambio.eventoId);
    const evento = (await getDb(env).select().from(eventos).where(eq(eventos.id, cambio.eventoId)).get())!;
    const cuerpo = JSON.parse(cuerpoEvento(evento));
    expect(EventoWebhookSchema.parse(cuerpo)).toMatchObject({ type: 'factura.timbrada', timestamp: evento.created_at, data: { id, status: 'timbrada' } });
    expect(EventoWebhookSchema.safeParse({ ...cuerpo, type: 'factura.cancelada', data: { id } }).success).toBe(false);
  });
});
