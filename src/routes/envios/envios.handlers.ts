import type { RouteHandler } from '@hono/zod-openapi';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import { datosEnvio, enviarComprobante, listarEnvios } from '../../services/envios';
import { respuesta202 } from '../comprobantes.views';
import type { KindEnvio, rutaEnviar, rutaListar } from './envios.routes';

export const enviarHandler =
  (k: KindEnvio): RouteHandler<ReturnType<typeof rutaEnviar>, AppEnv> =>
  async (c) => {
    const { id } = c.req.valid('param');
    const r = await enviarComprobante(c.var.deps, tenantOf(c), id, c.req.valid('json'), { tipo: k.tipo, idempotencyKey: c.req.header('Idempotency-Key') });
    return respuesta202(c, r, `${API_BASE}${k.base}/${r.value.factura_id}/envios`, datosEnvio(r.value));
  };

export const listarHandler =
  (k: KindEnvio): RouteHandler<ReturnType<typeof rutaListar>, AppEnv> =>
  async (c) =>
    c.json({ data: (await listarEnvios(c.var.deps, tenantOf(c), c.req.valid('param').id, k.tipo)).map(datosEnvio) }, 200);
