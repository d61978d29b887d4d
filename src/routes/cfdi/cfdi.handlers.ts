import type { RouteHandler, z } from '@hono/zod-openapi';
import { fromBase64 } from '../../cfdi';
import type { AppEnv } from '../../lib/context';
import { DomainError } from '../../lib/errors';
import { verificarCfdi } from '../../services/verificacion';
import type { verificar, VerificarCuerpoSchema } from './cfdi.routes';

/** The document's bytes: the body itself when it is XML, else the JSON's xml or xml_base64 (exactly one). */
async function documento(c: Parameters<RouteHandler<typeof verificar, AppEnv>>[0]): Promise<Uint8Array | string> {
  if (/xml/i.test(c.req.header('Content-Type') ?? '')) {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (!bytes.length) throw new DomainError('validation_error', 'invalid', 'El cuerpo está vacío: envía el XML del CFDI.', [{ path: '', message: 'Cuerpo vacío.', code: 'HFX_CAMPO_REQUERIDO' }]);
    return bytes;
  }
  // the JSON validator ran (the XML body has none): it is the JSON shape
  const body = c.req.valid('json') as z.infer<typeof VerificarCuerpoSchema>;
  if ((body.xml === undefined) === (body.xml_base64 === undefined)) {
    throw new DomainError('validation_error', 'invalid', 'Envíe xml o xml_base64 (uno de los dos).', [
      { path: 'xml', message: 'Se espera exactamente uno de xml y xml_base64.', code: 'HFX_CAMPO_REQUERIDO' },
    ]);
  }
  if (body.xml !== undefined) return body.xml;
  try {
    return fromBase64(body.xml_base64!);
  } catch {
    throw new DomainError('validation_error', 'invalid', 'xml_base64 no es base64.', [{ path: 'xml_base64', message: 'No es base64 válido.', code: 'HFX_FORMATO' }]);
  }
}

export const verificarHandler: RouteHandler<typeof verificar, AppEnv> = async (c) => {
  const r = await verificarCfdi(c.env, c.var.auth.mode, await documento(c));
  return c.json(r, 200);
};
