import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, IdempotencyHeadersSchema, jsonContent } from '../../lib/openapi';
import { listSchema, PaginationQuerySchema } from '../../lib/pagination';
import {
  EntregaSchema,
  WebhookActualizarSchema,
  WebhookConSecretoSchema,
  WebhookCrearSchema,
  WebhookSchema,
} from '../../webhooks/schemas';
import { cuerpo, EntregaParams, IdParams } from '../webhooks.schemas';

const tags = ['Webhooks'];

export const listar = createRoute({
  method: 'get',
  path: '/webhooks',
  operationId: 'listarWebhooks',
  tags,
  summary: 'Lista los webhooks de la aplicación en el modo de la API key',
  security: [{ bearerAuth: ['webhooks:read'] }],
  middleware: [requireAuth('webhooks:read')] as const,
  request: { query: PaginationQuerySchema },
  responses: {
    200: jsonContent(listSchema(WebhookSchema).meta({ id: 'ListaWebhooks' }), 'Página de webhooks, del más reciente al más antiguo.'),
    ...errorResponses(401, 403, 422),
  },
});

export const crear = createRoute({
  method: 'post',
  path: '/webhooks',
  operationId: 'crearWebhook',
  tags,
  summary: 'Registra un webhook; la respuesta trae su secreto de firma por única vez',
  security: [{ bearerAuth: ['webhooks:write'] }],
  middleware: [requireAuth('webhooks:write')] as const,
  request: { headers: IdempotencyHeadersSchema, ...cuerpo(WebhookCrearSchema) },
  responses: {
    201: jsonContent(WebhookConSecretoSchema, 'Webhook creado. Guarda `secret`: no se vuelve a mostrar.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/webhooks/{id}',
  operationId: 'obtenerWebhook',
  tags,
  summary: 'Obtiene un webhook',
  security: [{ bearerAuth: ['webhooks:read'] }],
  middleware: [requireAuth('webhooks:read')] as const,
  request: { params: IdParams },
  responses: { 200: jsonContent(WebhookSchema, 'El webhook.'), ...errorResponses(401, 403, 404) },
});

export const actualizar = createRoute({
  method: 'patch',
  path: '/webhooks/{id}',
  operationId: 'actualizarWebhook',
  tags,
  summary: 'Cambia URL, eventos, descripción o estado de un webhook',
  security: [{ bearerAuth: ['webhooks:write'] }],
  middleware: [requireAuth('webhooks:write')] as const,
  request: { params: IdParams, ...cuerpo(WebhookActualizarSchema) },
  responses: { 200: jsonContent(WebhookSchema, 'El webhook actualizado.'), ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
});

export const eliminar = createRoute({
  method: 'delete',
  path: '/webhooks/{id}',
  operationId: 'eliminarWebhook',
  tags,
  summary: 'Elimina un webhook; lo que esperaba entrega se descarta',
  security: [{ bearerAuth: ['webhooks:write'] }],
  middleware: [requireAuth('webhooks:write')] as const,
  request: { params: IdParams },
  responses: { 204: { description: 'Eliminado.' }, ...errorResponses(401, 403, 404) },
});

export const rotarSecreto = createRoute({
  method: 'post',
  path: '/webhooks/{id}/rotar-secreto',
  operationId: 'rotarSecretoWebhook',
  tags,
  summary: 'Genera un secreto nuevo; el anterior sigue firmando 24 h',
  security: [{ bearerAuth: ['webhooks:write'] }],
  middleware: [requireAuth('webhooks:write')] as const,
  request: { params: IdParams },
  responses: {
    200: jsonContent(WebhookConSecretoSchema, 'El secreto nuevo, por única vez. Durante 24 h cada entrega lleva ambas firmas.'),
    ...errorResponses(401, 403, 404, 413, 415),
  },
});

export const listarEntregas = createRoute({
  method: 'get',
  path: '/webhooks/{id}/entregas',
  operationId: 'listarEntregas',
  tags,
  summary: 'Bitácora de entregas del webhook, con cada intento',
  security: [{ bearerAuth: ['webhooks:read'] }],
  middleware: [requireAuth('webhooks:read')] as const,
  request: { params: IdParams, query: PaginationQuerySchema },
  responses: {
    200: jsonContent(listSchema(EntregaSchema).meta({ id: 'ListaEntregas' }), 'Página de entregas, de la más reciente a la más antigua.'),
    ...errorResponses(401, 403, 404, 422),
  },
});

export const reenviarEntrega = createRoute({
  method: 'post',
  path: '/webhooks/{id}/entregas/{entrega}/reenviar',
  operationId: 'reenviarEntrega',
  tags,
  summary: 'Vuelve a enviar una entrega terminada (mismo cuerpo y webhook-id)',
  security: [{ bearerAuth: ['webhooks:write'] }],
  middleware: [requireAuth('webhooks:write')] as const,
  request: { params: EntregaParams },
  responses: {
    202: jsonContent(EntregaSchema, 'La nueva entrega, en cola.'),
    ...errorResponses(401, 403, 404, 409, 413, 415),
  },
});

export const enviarPrueba = createRoute({
  method: 'post',
  path: '/webhooks/{id}/prueba',
  operationId: 'probarWebhook',
  tags,
  summary: 'Envía un evento firmado `webhook.prueba`',
  security: [{ bearerAuth: ['webhooks:write'] }],
  middleware: [requireAuth('webhooks:write')] as const,
  request: { params: IdParams },
  responses: {
    202: jsonContent(EntregaSchema, 'La entrega de prueba, en cola.'),
    ...errorResponses(401, 403, 404, 409, 413, 415),
  },
});
