import type { RouteHandler } from '@hono/zod-openapi';
import { getDb } from '../../db/client';
import type { AppEnv } from '../../lib/context';
import { DomainError } from '../../lib/errors';
import { withIdempotency } from '../../lib/idempotency';
import { tenantOf } from '../../lib/tenancy';
import { cancelarFactura } from '../../services/cancelacion';
import { cargarFactura, facturaView } from '../../services/facturas';
import type { acuse, cancelar } from './cancelaciones.routes';

// withIdempotency replays the first answer of an Idempotency-Key as a plain Response.
export const cancelarHandler: RouteHandler<typeof cancelar, AppEnv> = (c) => {
  const body = c.req.valid('json');
  return withIdempotency(c, body, async () => {
    const f = await cancelarFactura(c.env, tenantOf(c), c.req.valid('param').id, body);
    const view = facturaView(f);
    c.header('Location', `${new URL(c.req.url).origin}${view.links.self}`);
    return c.json(view, 202);
  }) as never;
};

export const acuseHandler: RouteHandler<typeof acuse, AppEnv> = async (c) => {
  const f = await cargarFactura(getDb(c.env), tenantOf(c), c.req.valid('param').id);
  if (!f.acuse_key) throw new DomainError('factura_no_cancelada', 'conflict', `El comprobante está ${f.status}: no tiene acuse de cancelación.`);
  const obj = await c.env.CFDI_BUCKET.get(f.acuse_key);
  if (!obj) throw new DomainError('archivo_no_disponible', 'not_found', 'El acuse no está disponible.');
  return new Response(obj.body, {
    headers: {
      'Content-Type': 'application/xml; charset=utf-8',
      'Content-Disposition': `attachment; filename="${f.serie}${f.folio}-${f.uuid}-acuse.xml"`,
      'X-Request-Id': c.get('requestId'),
    },
  }) as never;
};
