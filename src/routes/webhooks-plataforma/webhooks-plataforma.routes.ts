import { createRoute } from '@hono/zod-openapi';
import { requirePlatformAuth } from '../../lib/auth-plataforma';
import { errorResponses, IdempotencyHeadersSchema, jsonContent } from '../../lib/openapi';
import { listSchema, PaginationQuerySchema } from '../../lib/pagination';
import {
  EntregaSchema,
  WebhookPlataformaActualizarSchema,
  WebhookPlataformaConSecretoSchema,
  WebhookPlataformaCrearSchema,
  WebhookPlataformaSchema,
} from '../../webhooks/schemas';
import { cuerpo, EntregaParams, IdParams } from '../webhooks.schemas';

// A platform's own endpoints: the events about its applications (aplicacion.*), signed and delivered exactly as an
// application's webhooks are, with the same contract as /webhooks.

const tags = ['Plataforma'];
const description =
  'Un webhook de la plataforma recibe los eventos de sus aplicaciones (`aplicacion.*`; `*` los suscribe todos), firmados como los de una aplicación. La URL sigue las reglas de modo live (https).';

export const listar = createRoute({
  method: 'get',
  path: '/plataforma/webhooks',
  operationId: 'listarWebhooksPlataforma',
  tags,
  summary: 'Lista los webhooks de la plataforma',
  description,
  security: [{ platformAuth: ['webhooks:read'] }],
  middleware: [requirePlatformAuth('webhooks:read')] as const,
  request: { query: PaginationQuerySchema },
  responses: {
    200: jsonContent(listSchema(WebhookPlataformaSchema).meta({ id: 'ListaWebhooksPlataforma' }), 'Página de webhooks, del más reciente al más antiguo.'),
    ...errorResponses(401, 403, 422),
  },
});

export const crear = createRoute({
  method: 'post',
  path: '/plataforma/webhooks',
  operationId: 'crearWebhookPlataforma',
  tags,
  summary: 'Registra un webhook de la plataforma; la respuesta trae su secreto de firma por única vez',
  description,
  security: [{ platformAuth: ['webhooks:write'] }],
  middleware: [requirePlatformAuth('webhooks:write')] as const,
  request: { headers: IdempotencyHeadersSchema, ...cuerpo(WebhookPlataformaCrearSchema) },
  responses: {
    201: jsonContent(WebhookPlataformaConSecretoSchema, 'Webhook creado. Guarda `secret`: no se vuelve a mostrar.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/plataforma/webhooks/{id}',
  operationId: 'obtenerWebhookPlataforma',
  tags,
  summary: 'Obtiene un webhook de la plataforma',
  security: [{ platformAuth: ['webhooks:read'] }],
  middleware: [requirePlatformAuth('webhooks:read')] as const,
  request: { params: IdParams },
  responses: { 200: jsonContent(WebhookPlataformaSchema, 'El webhook.'), ...errorResponses(401, 403, 404) },
});

export const actualizar = createRoute({
  method: 'patch',
  path: '/plataforma/webhooks/{id}',
  operationId: 'actualizarWebhookPlataforma',
  tags,
  summary: 'Cambia URL, eventos, descripción o estado de un webhook de la plataforma',
  security: [{ platformAuth: ['webhooks:write'] }],
  middleware: [requirePlatformAuth('webhooks:write')] as const,
  request: { params: IdParams, ...cuerpo(WebhookPlataformaActualizarSchema) },
  responses: { 200: jsonContent(WebhookPlataformaSchema, 'El webhook actualizado.'), ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
});

export const eliminar = createRoute({
  method: 'delete',
  path: '/plataforma/webhooks/{id}',
  operationId: 'eliminarWebhookPlataforma',
  tags,
  summary: 'Elimina un webhook de la plataforma; lo que esperaba entrega se descarta',
  security: [{ platformAuth: ['webhooks:write'] }],
  middleware: [requirePlatformAuth('webhooks:write')] as const,
  request: { params: IdParams },
  responses: { 204: { description: 'Eliminado.' }, ...errorResponses(401, 403, 404) },
});

export const rotarSecreto = createRoute({
  method: 'post',
  path: '/plataforma/webhooks/{id}/rotar-secreto',
  operationId: 'rotarSecretoWebhookPlataforma',
  tags,
  summary: 'Genera un secreto nuevo para un webhook de la plataforma; el anterior sigue firmando 24 h',
  security: [{ platformAuth: ['webhooks:write'] }],
  middleware: [requirePlatformAuth('webhooks:write')] as const,
  request: { params: IdParams },
  responses: {
    200: jsonContent(WebhookPlataformaConSecretoSchema, 'El secreto nuevo, por única vez. Durante 24 h cada entrega lleva ambas firmas.'),
    ...errorResponses(401, 403, 404, 413, 415),
  },
});

export const listarEntregas = createRoute({
  method: 'get',
  path: '/plataforma/webhooks/{id}/entregas',
  operationId: 'listarEntregasPlataforma',
  tags,
  summary: 'Bitácora de entregas de un webhook de la plataforma, con cada intento',
  security: [{ platformAuth: ['webhooks:read'] }],
  middleware: [requirePlatformAuth('webhooks:read')] as const,
  request: { params: IdParams, query: PaginationQuerySchema },
  responses: {
    200: jsonContent(listSchema(EntregaSchema).meta({ id: 'ListaEntregasPlataforma' }), 'Página de entregas, de la más reciente a la más antigua.'),
    ...errorResponses(401, 403, 404, 422),
  },
});

export const reenviarEntrega = createRoute({
  method: 'post',
  path: '/plataforma/webhooks/{id}/entregas/{entrega}/reenviar',
  operationId: 'reenviarEntregaPlataforma',
  tags,
  summary: 'Vuelve a enviar una entrega terminada de un webhook de la plataforma (mismo cuerpo y webhook-id)',
  security: [{ platformAuth: ['webhooks:write'] }],
  middleware: [requirePlatformAuth('webhooks:write')] as const,
  request: { params: EntregaParams },
  responses: {
    202: jsonContent(EntregaSchema, 'La nueva entrega, en cola.'),
    ...errorResponses(401, 403, 404, 409, 413, 415),
  },
});

export const enviarPrueba = createRoute({
  method: 'post',
  path: '/plataforma/webhooks/{id}/prueba',
  operationId: 'probarWebhookPlataforma',
  tags,
  summary: 'Envía un evento firmado `webhook.prueba` a un webhook de la plataforma',
  security: [{ platformAuth: ['webhooks:write'] }],
  middleware: [requirePlatformAuth('webhooks:write')] as const,
  request: { params: IdParams },
  responses: {
    202: jsonContent(EntregaSchema, 'La entrega de prueba, en cola.'),
    ...errorResponses(401, 403, 404, 409, 413, 415),
  },
});
