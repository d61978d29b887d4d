import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from '../../lib/openapi';

// The docs are served beside the API but are not part of its contract: hidden from the document.
export const docs = createRoute({
  method: 'get',
  path: '/docs',
  hide: true,
  summary: 'Documentación interactiva (Swagger UI) de esta API',
  description: 'Página HTML; todos sus recursos los sirve este mismo servidor, nada se carga de fuera.',
  responses: {
    200: { content: { 'text/html': { schema: z.string() } }, description: 'La página.' },
  },
});

export const asset = createRoute({
  method: 'get',
  path: '/docs/assets/{archivo}',
  hide: true,
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
