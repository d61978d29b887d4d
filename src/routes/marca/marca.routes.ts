import { createRoute, z } from '@hono/zod-openapi';
import { requirePlatformAuth } from '../../lib/auth-plataforma';
import { errorResponses, jsonContent } from '../../lib/openapi';
import { CONTRASTE_MIN, LOGO_LADO, LOGO_MAX_BYTES, LOGO_PROPORCION_MAX, PIE_PAGINA_MAX, TIPOS_LOGO } from '../../services/marca';

// An application's identity on its PDFs, managed by its platform: logo, primary color and footer, and a sample
// PDF that shows them. Every {id} is one of the calling platform's applications; another platform's is a 404.

const tags = ['Plataforma'];


const IdParams = z.object({
  id: z.string().max(64).meta({ param: { name: 'id', in: 'path' }, example: '019a3c5e-7f10-7c3a-9d2e-5b7a1c0e4f21', description: 'Id de la aplicación.' }),
});

/** A real 64×32 PNG (solid #0B5394): the documented example uploads as it is. */
const EJEMPLO_LOGO =
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAAAgCAIAAAAt/+nTAAAAN0lEQVR42u3PQQkAAAgEsPsbz2oGNoNPYbACS/W8FgEBAQEBAQEBAQEBAQEBAQEBAQEBAQGBqwUohpBq2wj4cQAAAABJRU5ErkJggg==';

const ejemplo = {
  logo: { tipo: 'image/png', ancho: 240, alto: 80, bytes: 2287 },
  color_primario: '#0F766E',
  pie_pagina: 'Gracias por tu compra. Atención a clientes: 55 1234 5678.',
  version: '019a3c60-2b40-7c3a-9d2e-5b7a1c0e4f21',
};

export const MarcaSchema = z
  .object({
    logo: z
      .object({
        tipo: z.enum(TIPOS_LOGO),
        ancho: z.number().int().describe('Ancho en píxeles.'),
        alto: z.number().int().describe('Alto en píxeles.'),
        bytes: z.number().int().describe('Tamaño del archivo.'),
      })
      .nullable()
      .describe('El logo del encabezado del PDF; null sin logo.'),
    color_primario: z.string().nullable().describe('#RRGGBB de la banda del encabezado, los títulos, los encabezados de tabla y el total; null: el azul de HexaFac.'),
    pie_pagina: z.string().nullable().describe('Texto al pie de cada página.'),
    version: z.string().nullable().describe('Cambia con cada cambio de la marca; los PDF descargados después se generan de nuevo con ella. null: nunca tuvo marca.'),
  })
  .meta({ id: 'Marca', example: ejemplo });

export const MarcaCambiosSchema = z
  .strictObject({
    color_primario: z
      .string()
      .max(16)
      .nullable()
      .optional()
      .describe(
        `#RRGGBB (mayúsculas o minúsculas; se guarda en mayúsculas). Con contraste de al menos ${CONTRASTE_MIN}:1 contra el blanco (WCAG): los títulos van en blanco sobre él. null lo quita.`,
      ),
    pie_pagina: z
      .string()
      .max(4 * PIE_PAGINA_MAX)
      .nullable()
      .optional()
      .describe(`Un párrafo de hasta ${PIE_PAGINA_MAX} caracteres, sin saltos de línea ni caracteres de control. null (o vacío) lo quita.`),
  })
  .meta({ id: 'MarcaCambios', example: { color_primario: '#0f766e', pie_pagina: ejemplo.pie_pagina } });

const reglasLogo =
  `PNG o JPEG (baseline o progresivo) de hasta ${LOGO_MAX_BYTES / 1024} KB, de ${LOGO_LADO.min} a ${LOGO_LADO.max} px por lado y a lo más ` +
  `${LOGO_PROPORCION_MAX}:1 entre su lado mayor y el menor; se revisa el contenido del archivo, no su nombre.`;

export const LogoJsonSchema = z
  .strictObject({
    logo_base64: z.string().max(Math.ceil((LOGO_MAX_BYTES * 4) / 3) + 4).describe('El archivo en base64.'),
    tipo: z.enum(TIPOS_LOGO).describe('Debe coincidir con el contenido.'),
  })
  .meta({ id: 'LogoBase64', example: { logo_base64: EJEMPLO_LOGO, tipo: 'image/png' } });

export const LogoMultipartSchema = z
  .object({ logo: z.instanceof(File).meta({ type: 'string', format: 'binary' }).describe('El archivo del logo.') })
  .meta({ id: 'LogoArchivo' });

export const obtener = createRoute({
  method: 'get',
  path: '/plataforma/aplicaciones/{id}/marca',
  operationId: 'obtenerMarcaAplicacion',
  tags,
  summary: 'Obtiene la marca de la aplicación en sus PDF',
  security: [{ platformAuth: ['aplicaciones:read'] }],
  middleware: [requirePlatformAuth('aplicaciones:read')] as const,
  request: { params: IdParams },
  responses: { 200: jsonContent(MarcaSchema, 'La marca.'), ...errorResponses(401, 403, 404) },
});

export const actualizar = createRoute({
  method: 'patch',
  path: '/plataforma/aplicaciones/{id}/marca',
  operationId: 'actualizarMarcaAplicacion',
  tags,
  summary: 'Cambia el color primario o el pie de página de los PDF',
  description: 'Un campo ausente no cambia; null lo quita. Cada problema en su campo (422) y nada cambia.',
  security: [{ platformAuth: ['aplicaciones:write'] }],
  middleware: [requirePlatformAuth('aplicaciones:write')] as const,
  request: { params: IdParams, body: { content: { 'application/json': { schema: MarcaCambiosSchema } }, required: true } },
  responses: { 200: jsonContent(MarcaSchema, 'La marca cambiada.'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
});

export const subirLogo = createRoute({
  method: 'put',
  path: '/plataforma/aplicaciones/{id}/marca/logo',
  operationId: 'subirLogoAplicacion',
  tags,
  summary: 'Carga (o reemplaza) el logo de los PDF',
  description: `Como \`multipart/form-data\` (campo \`logo\`) o como JSON en base64. ${reglasLogo} Cada problema en su campo (422).`,
  security: [{ platformAuth: ['aplicaciones:write'] }],
  middleware: [requirePlatformAuth('aplicaciones:write')] as const,
  request: {
    params: IdParams,
    body: {
      content: { 'multipart/form-data': { schema: LogoMultipartSchema }, 'application/json': { schema: LogoJsonSchema } },
      description: 'El logo.',
      // with two media types a required body makes each validator demand its own; the handler asks for one
      required: false,
    },
  },
  responses: { 200: jsonContent(MarcaSchema, 'La marca con el logo nuevo.'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
});

export const quitarLogo = createRoute({
  method: 'delete',
  path: '/plataforma/aplicaciones/{id}/marca/logo',
  operationId: 'quitarLogoAplicacion',
  tags,
  summary: 'Quita el logo de los PDF',
  security: [{ platformAuth: ['aplicaciones:write'] }],
  middleware: [requirePlatformAuth('aplicaciones:write')] as const,
  request: { params: IdParams },
  responses: { 200: jsonContent(MarcaSchema, 'La marca sin logo.'), ...errorResponses(401, 403, 404, 409) },
});

export const vistaPrevia = createRoute({
  method: 'get',
  path: '/plataforma/aplicaciones/{id}/marca/vista-previa',
  operationId: 'vistaPreviaMarcaAplicacion',
  tags,
  summary: 'Un PDF de ejemplo con la marca actual',
  description:
    'Una factura de ejemplo con el emisor de la aplicación, un receptor y un concepto ficticios y la marca de agua VISTA PREVIA. ' +
    'No se sella, no se timbra ni se guarda: no es un CFDI.',
  security: [{ platformAuth: ['aplicaciones:read'] }],
  middleware: [requirePlatformAuth('aplicaciones:read')] as const,
  request: { params: IdParams },
  responses: {
    200: { content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } }, description: 'El PDF de ejemplo.' },
    ...errorResponses(401, 403, 404),
  },
});
