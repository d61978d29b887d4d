import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import { acuseDe } from '../../services/archivos';
import { cancelarComprobante } from '../../services/cancelacion';
import { descarga, respuesta202, vistaComprobante } from '../comprobantes.views';
import { simulacionDe } from '../simulacion';
import type { acuse, cancelar } from './cancelaciones.routes';

export const cancelarHandler: RouteHandler<typeof cancelar, AppEnv> = async (c) => {
  const r = await cancelarComprobante(c.var.deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json'), {
    idempotencyKey: c.req.header('Idempotency-Key'),
    simulacion: simulacionDe(c),
  });
  const view = vistaComprobante(r.value);
  return respuesta202(c, r, view.links.self, view);
};

export const acuseHandler: RouteHandler<typeof acuse, AppEnv> = async (c) => descarga(c, await acuseDe(c.var.deps, tenantOf(c), c.req.valid('param').id));
