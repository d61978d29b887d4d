import { z } from '@hono/zod-openapi';

// What the application's webhook routes (src/routes/webhooks) and the platform's (src/routes/webhooks-plataforma)
// share: the path parameters and the JSON body. The configuration and delivery shapes are in src/webhooks/schemas.ts.

export const IdParams = z.object({
  id: z.string().meta({ param: { name: 'id', in: 'path' }, example: '0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11' }),
});

export const EntregaParams = IdParams.extend({
  entrega: z.string().meta({ param: { name: 'entrega', in: 'path' }, example: '0196f3c2-9b00-7d11-8e2a-5a6b7c8d9e0f' }),
});

export const cuerpo = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
