import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, IdempotencyHeadersSchema, jsonContent } from '../../lib/openapi';
import { listSchema, PaginationQuerySchema } from '../../lib/pagination';
import { ESTADOS_RECIBIDA } from '../../services/cancelaciones-recibidas';

// The receptor's inbox: cancellations that suppliers ask of CFDIs addressed to the application's RFC.

const tags = ['Cancelaciones'];

const ejemplo = {
  id: '019a3c5e-7f10-7c3a-9d2e-5b7a1c0e4f99',
  uuid: '5FB2822E-396D-4725-8521-CDC4BDD20CCF',
  mode: 'test',
  estado: 'pendiente',
  rfc_emisor: 'PSA190613AB1',
  rfc_receptor: 'EKU9003173C9',
  total: '11600.00',
  solicitada_at: '2026-11-20T18:00:00.000Z',
  vence_at: '2026-11-23T18:00:00.000Z',
  respondida_at: null,
  pac: 'sandbox',
  errores: [],
  created_at: '2026-11-20T18:01:00.000Z',
  updated_at: '2026-11-20T18:01:00.000Z',
  links: {
    self: '/api/hexafac/v1/cancelaciones-recibidas/5FB2822E-396D-4725-8521-CDC4BDD20CCF',
    acuse: null,
  },
};

export const CancelacionRecibidaSchema = z
  .object({
    id: z.string(),
    uuid: z.string().meta({ description: 'Folio fiscal del CFDI cuya cancelación pide el emisor.' }),
    mode: z.enum(['test', 'live']),
    estado: z.enum(ESTADOS_RECIBIDA).meta({
      description: '`pendiente` (espera la respuesta), `aceptada`, `rechazada` o `vencida` (pasaron 72 horas sin respuesta: el SAT canceló el CFDI).',
    }),
    rfc_emisor: z.string().nullable().meta({ description: 'RFC del proveedor que emitió el CFDI y pide cancelarlo; null si el PAC no lo informa.' }),
    rfc_receptor: z.string(),
    total: z.string().nullable(),
    solicitada_at: z.string(),
    vence_at: z.string().meta({ description: 'Fin del plazo de 72 horas para responder.' }),
    respondida_at: z.string().nullable(),
    pac: z.string().nullable(),
    errores: z.array(z.object({ code: z.string(), message: z.string() })),
    created_at: z.string(),
    updated_at: z.string(),
    links: z.object({ self: z.string(), acuse: z.string().nullable() }),
  })
  .meta({ id: 'CancelacionRecibida', example: ejemplo });

const UuidParams = z.object({
  uuid: z
    .string()
    .max(64)
    .meta({ param: { name: 'uuid', in: 'path' }, example: ejemplo.uuid, description: 'Folio fiscal (UUID) del CFDI, en mayúsculas o minúsculas.' }),
});

export const listar = createRoute({
  method: 'get',
  path: '/cancelaciones-recibidas',
  operationId: 'listarCancelacionesRecibidas',
  tags,
  summary: 'Listar las solicitudes de cancelación recibidas',
  description:
    'Las solicitudes de cancelación que los proveedores hicieron de CFDI emitidos al RFC de la aplicación, de la más reciente a la más antigua. ' +
    'Se consultan al PAC periódicamente; cada solicitud nueva se notifica con el webhook `cancelacion_recibida.pendiente`. ' +
    'El receptor tiene 72 horas para aceptarla o rechazarla; después el SAT cancela el CFDI y la solicitud queda `vencida`.',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { query: PaginationQuerySchema.extend({ estado: z.enum(ESTADOS_RECIBIDA).optional().meta({ example: 'pendiente' }) }) },
  responses: {
    200: jsonContent(listSchema(CancelacionRecibidaSchema).meta({ id: 'CancelacionRecibidaLista' }), 'Una página de solicitudes.'),
    ...errorResponses(401, 403, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/cancelaciones-recibidas/{uuid}',
  operationId: 'obtenerCancelacionRecibida',
  tags,
  summary: 'Consultar una solicitud de cancelación recibida',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: UuidParams },
  responses: {
    200: jsonContent(CancelacionRecibidaSchema, 'La solicitud.'),
    ...errorResponses(401, 403, 404),
  },
});

export const acuse = createRoute({
  method: 'get',
  path: '/cancelaciones-recibidas/{uuid}/acuse',
  operationId: 'descargarAcuseCancelacionRecibida',
  tags,
  summary: 'Descargar el acuse de la respuesta a una solicitud de cancelación',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: UuidParams },
  responses: {
    200: { content: { 'application/xml': { schema: z.string().meta({ format: 'binary' }) } }, description: 'El acuse de la respuesta (XML).' },
    ...errorResponses(401, 403, 404, 409),
  },
});

const responder = (accion: 'aceptar' | 'rechazar', resumen: string, efecto: string) =>
  createRoute({
    method: 'post',
    path: `/cancelaciones-recibidas/{uuid}/${accion}`,
    operationId: `${accion}CancelacionRecibida`,
    tags,
    summary: resumen,
    description:
      `Envía la respuesta del receptor al SAT a través del PAC, firmada con el CSD de la aplicación: ${efecto} ` +
      'Sin cuerpo. 409 `solicitud_respondida` si ya se respondió, `plazo_vencido` si pasaron las 72 horas (queda `vencida`); ' +
      'si el PAC no acepta la respuesta, 409 o 422 `respuesta_rechazada_por_pac` con su código en `details`; ' +
      'si el PAC no responde, 503 `pac_no_disponible` y nada cambia (reintenta, de preferencia con la misma `Idempotency-Key`).',
    security: [{ bearerAuth: ['cancelaciones:write'] }],
    middleware: [requireAuth('cancelaciones:write')] as const,
    request: { params: UuidParams, headers: IdempotencyHeadersSchema },
    responses: {
      200: jsonContent(CancelacionRecibidaSchema, 'La solicitud respondida.'),
      ...errorResponses(401, 403, 404, 409, 413, 415, 422, 503),
    },
  });

export const aceptar = responder('aceptar', 'Aceptar una solicitud de cancelación recibida', 'el SAT cancela el CFDI.');
export const rechazar = responder('rechazar', 'Rechazar una solicitud de cancelación recibida', 'el CFDI sigue vigente.');

// Test mode only: the sandbox PAC makes such a request, deterministically, so integrators can drive the inbox.
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
  operationId: 'simularCancelacionRecibida',
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
