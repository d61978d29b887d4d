import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from '../../lib/openapi';

const tags = ['Documentación'];

export const docs = createRoute({
  method: 'get',
  path: '/docs',
  tags,
  summary: 'Documentación interactiva (Swagger UI) de esta API',
  description: 'Página HTML; todos sus recursos los sirve este mismo servidor, nada se carga de fuera.',
  responses: {
    200: { content: { 'text/html': { schema: z.string() } }, description: 'La página.' },
  },
});

export const asset = createRoute({
  method: 'get',
  path: '/docs/assets/{archivo}',
  tags,
  summary: 'Recursos estáticos de la documentación interactiva',
  request: {
    params: z.object({ archivo: z.string().meta({ example: 'swagger-ui.css' }) }),
  },
  responses: {
    200: {
      content: {
        'text/javascript': { schema: z.string() },
        'text/css': { schema: z.string() },
        'text/plain': { schema: z.string() },
        'image/png': { schema: z.string().meta({ format: 'binary' }) },
      },
      description: 'El archivo.',
    },
    ...errorResponses(404),
  },
});

/** Served by `doc31` in src/app.ts; described here so the document lists itself. */
export const openapiJson = {
  method: 'get' as const,
  path: '/openapi.json',
  tags,
  summary: 'Este documento OpenAPI 3.1',
  responses: {
    200: { content: { 'application/json': { schema: z.object({}).passthrough() } }, description: 'El documento OpenAPI.' },
  },
};
