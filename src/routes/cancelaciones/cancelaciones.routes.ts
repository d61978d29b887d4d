import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses } from '../../lib/openapi';
import { rutaCancelar } from '../comprobantes.cancelacion';
import { IdParamsSchema } from '../comprobantes.schemas';

const tags = ['Cancelaciones'];

export const cancelar = rutaCancelar({
  base: '/facturas',
  operationId: 'cancelarComprobante',
  tags,
  que: 'un CFDI',
  description:
    'Acepta la solicitud (el comprobante pasa a `cancelacion_pendiente`) y la envía al PAC de forma asíncrona: termina en `cancelada` ' +
    '(con el acuse en `GET /facturas/{id}/acuse`) o en `cancelacion_rechazada` (el CFDI sigue vigente; puede volver a solicitarse), y se notifica por webhook. ' +
    'Solo un comprobante `timbrada` o `cancelacion_rechazada` puede cancelarse: 409 `cancelacion_en_curso`, `ya_cancelada` o `no_cancelable`. ' +
    'En el sandbox se cancela sin aceptación del receptor dentro de las 24 h del timbrado, para tipos E/T/N, receptores XAXX010101000/XEXX010101000 ' +
    'o totales de hasta 1,000 pesos (salvo pagos); si no, el receptor acepta cuando el último dígito hexadecimal del UUID es par y rechaza cuando es impar.',
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
