import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { fromBase64 } from '../../cfdi';
import type { AppEnv } from '../../lib/context';
import { DomainError } from '../../lib/errors';
import * as marca from '../../services/marca';
import { aplicacionDePlataforma } from '../../services/plataformas';
import type * as routes from './marca.routes';

/** The {id} of the path, once it is known to be the calling platform's application (else a 404). */
async function aplicacion(c: Context<AppEnv>, id: string): Promise<string> {
  return (await aplicacionDePlataforma(c.var.deps, c.var.plataforma.platformId, id)).id;
}

export const obtenerHandler: RouteHandler<typeof routes.obtener, AppEnv> = async (c) =>
  c.json(await marca.leerMarca(c.var.deps, await aplicacion(c, c.req.valid('param').id)), 200);

export const actualizarHandler: RouteHandler<typeof routes.actualizar, AppEnv> = async (c) =>
  c.json(await marca.actualizarMarca(c.var.deps, await aplicacion(c, c.req.valid('param').id), c.req.valid('json')), 200);

const base64Invalido = () => DomainError.validation([{ path: 'logo_base64', message: 'No es base64 válido.', code: 'HFX_FORMATO' }]);

export const subirLogoHandler: RouteHandler<typeof routes.subirLogo, AppEnv> = async (c) => {
  const id = await aplicacion(c, c.req.valid('param').id);
  const cuerpo = c.req.valid(/^multipart\/form-data/i.test(c.req.header('Content-Type') ?? '') ? 'form' : 'json');
  if ('logo' in cuerpo) return c.json(await marca.subirLogo(c.var.deps, id, new Uint8Array(await cuerpo.logo.arrayBuffer())), 200);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(cuerpo.logo_base64.replace(/\s+/g, ''));
  } catch {
    throw base64Invalido();
  }
  return c.json(await marca.subirLogo(c.var.deps, id, bytes, cuerpo.tipo), 200);
};

export const quitarLogoHandler: RouteHandler<typeof routes.quitarLogo, AppEnv> = async (c) =>
  c.json(await marca.quitarLogo(c.var.deps, await aplicacion(c, c.req.valid('param').id)), 200);

export const vistaPreviaHandler: RouteHandler<typeof routes.vistaPrevia, AppEnv> = async (c) => {
  const pdf = await marca.vistaPrevia(c.var.deps, await aplicacion(c, c.req.valid('param').id));
  // a sample, never the same twice (its date is now): not to be cached
  return new Response(pdf, { headers: { 'X-Request-Id': c.get('requestId'), 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="vista-previa.pdf"', 'Cache-Control': 'no-store' } });
};
