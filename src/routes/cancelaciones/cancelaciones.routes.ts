import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, SimulableHeadersSchema, jsonContent } from '../../lib/openapi';
import { MOTIVOS_CANCELACION } from '../../services/cancelacion';
import { FacturaSchema, IdParamsSchema } from '../comprobantes.schemas';
import { EJEMPLO_CANCELACION } from '../ejemplos';

const tags = ['Cancelaciones'];

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

export const cancelar = createRoute({
  method: 'post',
  path: '/facturas/{id}/cancelar',
  operationId: 'cancelarComprobante',
  tags,
  summary: 'Solicitar la cancelación de un CFDI',
  description:
    'Acepta la solicitud (el comprobante pasa a `cancelacion_pendiente`) y la envía al PAC de forma asíncrona: termina en `cancelada` ' +
    '(con el acuse en `GET /facturas/{id}/acuse`) o en `cancelacion_rechazada` (el CFDI sigue vigente; puede volver a solicitarse), y se notifica por webhook. ' +
    'Solo un comprobante `timbrada` o `cancelacion_rechazada` puede cancelarse: 409 `cancelacion_en_curso`, `ya_cancelada` o `no_cancelable`. ' +
    'En el sandbox se cancela sin aceptación del receptor dentro de las 24 h del timbrado, para tipos E/T/N, receptores XAXX010101000/XEXX010101000 ' +
    'o totales de hasta 1,000 pesos (salvo pagos); si no, el receptor acepta cuando el último dígito hexadecimal del UUID es par y rechaza cuando es impar.',
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

export const acuse = createRoute({
  method: 'get',
  path: '/facturas/{id}/acuse',
  operationId: 'descargarAcuseCancelacion',
  tags,
  summary: 'Descargar el acuse de cancelación',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: { content: { 'application/xml': { schema: z.string().meta({ format: 'binary' }) } }, description: 'El acuse de cancelación (XML).' },
    ...errorResponses(401, 403, 404, 409),
  },
});
