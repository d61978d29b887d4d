import type { RouteHandler } from '@hono/zod-openapi';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { tenantOf } from '../../lib/tenancy';
import { emitirFacturaGlobal } from '../../services/factura-global';
import type * as routes from './factura-global.routes';

export const crearHandler: RouteHandler<typeof routes.crear, AppEnv> = async (c) => {
  const r = await emitirFacturaGlobal(c.var.deps, tenantOf(c), c.req.valid('json'), {
    idempotencyKey: c.req.header('Idempotency-Key'),
    aplicacion: c.get('application'),
  });
  if (r.replayed) c.header('Idempotent-Replayed', 'true');
  const facturas = r.value.facturas.map((f) => ({ ...f, links: { self: `${API_BASE}/facturas/${f.id}` } }));
  return c.json({ ...r.value, facturas }, 202);
};
