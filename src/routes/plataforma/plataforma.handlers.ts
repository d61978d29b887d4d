import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { fromBase64 } from '../../lib/crypto';
import { DomainError } from '../../lib/errors';
import type { ApiKey } from '../../services/api-keys';
import type { Aplicacion } from '../../services/comprobantes';
import type { ArchivosCsd } from '../../services/csd';
import * as plataformas from '../../services/plataformas';
import type * as routes from './plataforma.routes';

const platformId = (c: Context<AppEnv>) => c.var.plataforma.platformId;
const ruta = (id: string) => `${API_BASE}/plataforma/aplicaciones/${id}`;

const vistaCsd = (a: Aplicacion, ahora: Date) =>
  a.csd_no_certificado && a.csd_valido_hasta
    ? { rfc: a.rfc, no_certificado: a.csd_no_certificado, valido_hasta: a.csd_valido_hasta, vigente: Date.parse(a.csd_valido_hasta) > ahora.getTime() }
    : null;

const vista = (a: Aplicacion, ahora: Date) => ({
  id: a.id,
  platform_id: a.platform_id!,
  name: a.name,
  description: a.description,
  status: a.status,
  rfc: a.rfc,
  razon_social: a.razon_social,
  regimen_fiscal: a.regimen_fiscal,
  lugar_expedicion: a.lugar_expedicion,
  series: a.series ?? {},
  csd: vistaCsd(a, ahora),
  created_at: a.created_at,
  updated_at: a.updated_at,
  links: { self: ruta(a.id), csd: `${ruta(a.id)}/csd`, api_keys: `${ruta(a.id)}/api-keys` },
});

const vistaKey = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  mode: k.mode,
  prefix: k.prefix,
  scopes: k.scopes,
  expires_at: k.expires_at,
  last_used_at: k.last_used_at,
  revoked_at: k.revoked_at,
  created_at: k.created_at,
});

const replay = (c: Context<AppEnv>, replayed: boolean) => {
  if (replayed) c.header('Idempotent-Replayed', 'true');
};

export const crearHandler: RouteHandler<typeof routes.crear, AppEnv> = async (c) => {
  const r = await plataformas.crearAplicacionDePlataforma(c.var.deps, platformId(c), c.req.valid('json'), { idempotencyKey: c.req.header('Idempotency-Key') });
  c.header('Location', ruta(r.value.id));
  replay(c, r.replayed);
  return c.json(vista(r.value, c.var.deps.clock()), 201);
};

export const listarHandler: RouteHandler<typeof routes.listar, AppEnv> = async (c) => {
  const page = await plataformas.listarAplicacionesDePlataforma(c.var.deps, platformId(c), c.req.valid('query'));
  const ahora = c.var.deps.clock();
  return c.json({ data: page.data.map((a) => vista(a, ahora)), next_cursor: page.next_cursor }, 200);
};

export const obtenerHandler: RouteHandler<typeof routes.obtener, AppEnv> = async (c) =>
  c.json(vista(await plataformas.aplicacionDePlataforma(c.var.deps, platformId(c), c.req.valid('param').id), c.var.deps.clock()), 200);

export const actualizarHandler: RouteHandler<typeof routes.actualizar, AppEnv> = async (c) =>
  c.json(vista(await plataformas.actualizarAplicacionDePlataforma(c.var.deps, platformId(c), c.req.valid('param').id, c.req.valid('json')), c.var.deps.clock()), 200);

export const suspenderHandler: RouteHandler<typeof routes.suspender, AppEnv> = async (c) =>
  c.json(vista(await plataformas.suspenderAplicacionDePlataforma(c.var.deps, platformId(c), c.req.valid('param').id), c.var.deps.clock()), 200);

export const reactivarHandler: RouteHandler<typeof routes.reactivar, AppEnv> = async (c) =>
  c.json(vista(await plataformas.reactivarAplicacionDePlataforma(c.var.deps, platformId(c), c.req.valid('param').id), c.var.deps.clock()), 200);

/** The files as the request sent them: multipart fields, or base64 in JSON (a detail on `cer` then names `cer_base64`). */
async function archivosCsd(c: Context<AppEnv>, form: { cer?: File; key?: File; password?: string }, json: Partial<Record<'cer_base64' | 'key_base64' | 'password', string>>) {
  if (/^multipart\/form-data/i.test(c.req.header('Content-Type') ?? '')) {
    const bytes = async (f?: File) => (f ? new Uint8Array(await f.arrayBuffer()) : undefined);
    return { archivos: { cer: await bytes(form.cer), key: await bytes(form.key), password: form.password ?? '' }, campo: (p: string) => p };
  }
  const decodificar = (path: 'cer_base64' | 'key_base64') => {
    try {
      return json[path] ? fromBase64(json[path]) : undefined;
    } catch {
      throw DomainError.validation([{ path, message: 'No es base64 válido.' }], 'El CSD no es válido.');
    }
  };
  const archivos: ArchivosCsd = { cer: decodificar('cer_base64'), key: decodificar('key_base64'), password: json.password ?? '' };
  return { archivos, campo: (p: string) => (p === 'cer' || p === 'key' ? `${p}_base64` : p) };
}

export const subirCsdHandler: RouteHandler<typeof routes.subirCsd, AppEnv> = async (c) => {
  const { archivos, campo } = await archivosCsd(c, c.req.valid('form'), c.req.valid('json'));
  try {
    const app = await plataformas.guardarCsdDePlataforma(c.var.deps, platformId(c), c.req.valid('param').id, archivos);
    return c.json(vistaCsd(app, c.var.deps.clock())!, 200);
  } catch (e) {
    if (!(e instanceof DomainError) || e.kind !== 'invalid') throw e;
    throw new DomainError(e.code, e.kind, e.message, e.details.map((d) => ({ ...d, path: campo(d.path) })));
  }
};

export const crearApiKeyHandler: RouteHandler<typeof routes.crearApiKey, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const r = await plataformas.crearApiKeyDePlataforma(c.var.deps, platformId(c), id, c.req.valid('json'), { idempotencyKey: c.req.header('Idempotency-Key') });
  c.header('Location', `${ruta(id)}/api-keys/${r.value.apiKey.id}`);
  replay(c, r.replayed);
  return c.json({ ...vistaKey(r.value.apiKey), token: r.value.token }, 201);
};

export const listarApiKeysHandler: RouteHandler<typeof routes.listarApiKeys, AppEnv> = async (c) =>
  c.json({ data: (await plataformas.listarApiKeysDePlataforma(c.var.deps, platformId(c), c.req.valid('param').id)).map(vistaKey) }, 200);

export const revocarApiKeyHandler: RouteHandler<typeof routes.revocarApiKey, AppEnv> = async (c) => {
  const { id, key_id } = c.req.valid('param');
  await plataformas.revocarApiKeyDePlataforma(c.var.deps, platformId(c), id, key_id);
  return c.body(null, 204);
};

export const fijarFolioHandler: RouteHandler<typeof routes.fijarFolio, AppEnv> = async (c) => {
  const { id, serie } = c.req.valid('param');
  return c.json(await plataformas.fijarSiguienteFolio(c.var.deps, platformId(c), id, serie, c.req.valid('json')), 200);
};
