import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, jsonContent } from '../../lib/openapi';

export const health = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'obtenerSalud',
  tags: ['Sistema'],
  summary: 'Estado del servicio',
  security: [],
  responses: {
    200: jsonContent(
      z.object({ status: z.literal('ok'), version: z.string(), time: z.string() }).meta({ id: 'Health' }),
      'El servicio responde.',
    ),
    // like every route of the API, even a GET is refused unread when it carries a body over the limit
    ...errorResponses(413),
  },
});

export const me = createRoute({
  method: 'get',
  path: '/me',
  operationId: 'obtenerIdentidad',
  tags: ['Sistema'],
  summary: 'La aplicación, el modo y los scopes de la API key que llama',
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth()] as const,
  responses: {
    200: jsonContent(
      z
        .object({
          application: z.object({
            id: z.string(),
            name: z.string(),
            status: z.enum(['active', 'suspended']),
            emisor: z.object({
              rfc: z.string().meta({ example: 'EKU9003173C9' }),
              nombre: z.string().meta({ example: 'ESCUELA KEMPER URGATE' }),
              regimen_fiscal: z.string().meta({ example: '601' }),
              lugar_expedicion: z.string().meta({ example: '42501' }),
            }),
            csd: z.object({ no_certificado: z.string(), valido_hasta: z.string() }).nullable(),
          }),
          mode: z.enum(['test', 'live']),
          key: z.object({ id: z.string(), scopes: z.array(z.string()) }),
        })
        .meta({ id: 'Me' }),
      'La identidad de la API key.',
    ),
    ...errorResponses(401),
  },
});

export const certificadoSandbox = createRoute({
  method: 'get',
  path: '/sandbox/certificado',
  operationId: 'obtenerCertificadoSandbox',
  tags: ['Sistema'],
  security: [],
  summary: 'Certificado del PAC sandbox, para verificar el SelloSAT de los timbres de prueba',
  description:
    'El sandbox firma el TimbreFiscalDigital con un par de llaves propio de HexaFac (no del SAT); este es su certificado público. ' +
    '`formato=pem` (predeterminado) o `der` (.cer).',
  request: { query: z.object({ formato: z.enum(['pem', 'der']).default('pem') }) },
  responses: {
    200: {
      content: {
        'application/x-pem-file': { schema: z.string() },
        'application/pkix-cert': { schema: z.string().meta({ format: 'binary' }) },
      },
      description: 'El certificado.',
    },
    ...errorResponses(422),
  },
});
