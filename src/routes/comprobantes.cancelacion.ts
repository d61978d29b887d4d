import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import { requireAuth } from '../lib/auth';
import type { AppEnv } from '../lib/context';
import { errorResponses, SimulableHeadersSchema, jsonContent } from '../lib/openapi';
import { tenantOf } from '../lib/tenancy';
import { cancelarComprobante, MOTIVOS_CANCELACION } from '../services/cancelacion';
import { cargarComprobante, type TipoComprobante } from '../services/comprobantes';
import { FacturaSchema, IdParamsSchema } from './comprobantes.schemas';
import { respuesta202, vistaComprobante } from './comprobantes.views';
import { EJEMPLO_CANCELACION } from './ejemplos';
import { simulacionDe } from './simulacion';

// POST …/{id}/cancelar for every kind: POST /facturas/{id}/cancelar takes any comprobante; a kind's own route
// (POST /traslados/{id}/cancelar…) only its tipo (another tipo's id is a 404). One service: src/services/cancelacion.ts.

export const CancelacionSchema = z
  .strictObject({
    motivo: z.enum(MOTIVOS_CANCELACION).meta({
      description:
        'Motivo del SAT: 01 comprobante emitido con errores con relación (requiere `folio_sustitucion`), 02 con errores sin relación, ' +
        '03 no se llevó a cabo la operación, 04 operación nominativa relacionada en una factura global.',
      example: '02',
    }),
    folio_sustitucion: z.string().optional().meta({
      description:
        'Solo con motivo 01, y entonces obligatorio: folio fiscal (UUID) de un CFDI timbrado y vigente de la misma aplicación, modo y receptor que lo sustituye.',
      example: '5FB2822E-396D-4725-8521-CDC4BDD20CCF',
    }),
  })
  .meta({ id: 'SolicitudCancelacion', example: { motivo: '02' } });

/** The route: `base` is the kind's collection ('/facturas', '/traslados'), `que` what is cancelled, in Spanish. */
export function rutaCancelar(o: { base: string; operationId: string; tags: string[]; que: string; description: string }) {
  return createRoute({
    method: 'post',
    path: `${o.base}/{id}/cancelar`,
    operationId: o.operationId,
    tags: o.tags,
    summary: `Solicitar la cancelación de ${o.que}`,
    description: o.description,
    security: [{ bearerAuth: ['cancelaciones:write'] }],
    middleware: [requireAuth('cancelaciones:write')] as const,
    request: {
      params: IdParamsSchema,
      headers: SimulableHeadersSchema,
      body: { content: { 'application/json': { schema: CancelacionSchema, example: EJEMPLO_CANCELACION } }, required: true },
    },
    responses: {
      202: {
        ...jsonContent(FacturaSchema, 'Solicitud aceptada: el comprobante en `cancelacion_pendiente`.'),
        headers: z.object({ Location: z.string() }),
      },
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
    },
  });
}

/** The handler; with `tipo`, a comprobante of another tipo is not found. */
export const handlerCancelar =
  (tipo?: TipoComprobante): RouteHandler<ReturnType<typeof rutaCancelar>, AppEnv> =>
  async (c) => {
    const { id } = c.req.valid('param');
    if (tipo) await cargarComprobante(c.var.deps, tenantOf(c), id, tipo);
    const r = await cancelarComprobante(c.var.deps, tenantOf(c), id, c.req.valid('json'), {
      idempotencyKey: c.req.header('Idempotency-Key'),
      simulacion: simulacionDe(c),
    });
    const view = vistaComprobante(r.value);
    return respuesta202(c, r, view.links.self, view);
  };
