import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, jsonContent } from '../../lib/openapi';
import { CancelacionRecibidaSchema } from '../cancelaciones-recibidas/cancelaciones-recibidas.routes';

export const SolicitudRecibidaPruebaSchema = z
  .strictObject({
    n: z.number().int().min(1).max(1_000_000).optional().meta({
      description: 'Número de la solicitud (1 por omisión): el mismo `n` es siempre la misma solicitud, con el mismo UUID.',
      example: 1,
    }),
  })
  .meta({ id: 'SolicitudRecibidaPrueba', example: { n: 1 } });

export const crearRecibidaPrueba = createRoute({
  method: 'post',
  path: '/sandbox/cancelaciones-recibidas',
  tags: ['Sistema'],
  summary: 'Simular que un proveedor pide cancelar un CFDI emitido a la aplicación (solo pruebas)',
  description:
    'Crea en el PAC sandbox una solicitud de cancelación de un CFDI del proveedor ficticio PSA190613AB1 al RFC de la aplicación, ' +
    'y la trae de inmediato a `GET /cancelaciones-recibidas` (con su webhook `cancelacion_recibida.pendiente`). ' +
    'Determinista: el mismo `n` es la misma solicitud (201 la primera vez, 200 después). Solo con llaves de prueba (403 `solo_modo_test`); ' +
    'requiere el CSD cargado (409 `csd_no_configurado`).',
  security: [{ bearerAuth: ['cancelaciones:write'] }],
  middleware: [requireAuth('cancelaciones:write')] as const,
  request: { body: { ...jsonContent(SolicitudRecibidaPruebaSchema, 'Qué solicitud crear.'), required: false } },
  responses: {
    201: jsonContent(CancelacionRecibidaSchema, 'La solicitud, nueva.'),
    200: jsonContent(CancelacionRecibidaSchema, 'La solicitud, que ya existía.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
  },
});
