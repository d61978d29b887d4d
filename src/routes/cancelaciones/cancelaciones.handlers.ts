import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import { acuseDe } from '../../services/archivos';
import { cancelarComprobante } from '../../services/cancelacion';
import { descarga, vistaComprobante } from '../comprobantes.views';
import type { acuse, cancelar } from './cancelaciones.routes';

export const cancelarHandler: RouteHandler<typeof cancelar, AppEnv> = async (c) => {
  const r = await cancelarComprobante(c.var.deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json'), {
    idempotencyKey: c.req.header('Idempotency-Key'),
  });
  const view = vistaComprobante(r.value);
  c.header('Location', `${new URL(c.req.url).origin}${view.links.self}`);
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(view, 202);
};

export const acuseHandler: RouteHandler<typeof acuse, AppEnv> = async (c) => descarga(c, await acuseDe(c.var.deps, tenantOf(c), c.req.valid('param').id));
