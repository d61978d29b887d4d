import { createRoute, z } from '@hono/zod-openapi';
import { FACTURA_STATUSES } from '../../db/schema';
import { requireAuth } from '../../lib/auth';
import { errorResponses, IdempotencyHeadersSchema, jsonContent } from '../../lib/openapi';
import { MAX_RANGO_DIAS } from '../../services/exportaciones';

const tags = ['Exportaciones'];
// Exporting is reading in bulk: whoever may read the comprobantes may export them.
const security = [{ bearerAuth: ['facturas:read'] }];

const IdParams = z.object({
  id: z.string().meta({ param: { name: 'id', in: 'path' }, example: '0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11' }),
});

const filtros = {
  desde: z.iso.date().meta({ description: 'Fecha del comprobante desde (inclusive), AAAA-MM-DD.', example: '2026-11-01' }),
  hasta: z.iso.date().meta({ description: `Fecha del comprobante hasta (inclusive), AAAA-MM-DD; a lo más ${MAX_RANGO_DIAS} días después de \`desde\`.`, example: '2026-11-30' }),
  tipo: z.enum(['I', 'E', 'P', 'N', 'T']).optional().meta({ description: 'Solo un tipo de comprobante: I (factura), E (nota de crédito), P (complemento de pago), N (recibo de nómina), T (traslado).' }),
  status: z
    .enum(FACTURA_STATUSES.filter((s) => s !== 'borrador') as [string, ...string[]])
    .optional()
    .meta({ description: 'Solo los comprobantes en este estado. Sin él, todos salvo los borradores.' }),
};

export const ExportacionCrearSchema = z
  .strictObject({
    formato: z.enum(['zip', 'csv']).meta({ description: '`zip`: XML timbrado + PDF de cada CFDI y `manifiesto.csv`; `csv`: un resumen.' }),
    ...filtros,
  })
  .meta({ id: 'ExportacionCrear', example: { formato: 'zip', desde: '2026-11-01', hasta: '2026-11-30' } });

export const ExportacionSchema = z
  .object({
    id: z.string(),
    formato: z.enum(['zip', 'csv']),
    filtros: z.object(filtros).meta({ id: 'FiltrosExportacion' }),
    status: z.enum(['pendiente', 'procesando', 'lista', 'error']).meta({
      description: '`pendiente` → `procesando` → `lista` (el archivo se puede descargar) o `error` (ver `error`).',
    }),
    comprobantes: z.number().int().meta({ description: 'Comprobantes escritos hasta ahora; al estar lista, el total.' }),
    bytes: z.number().int().nullable().meta({ description: 'Tamaño del archivo, cuando está lista.' }),
    error: z.string().nullable(),
    created_at: z.string(),
    completada_at: z.string().nullable(),
    links: z.object({
      self: z.string(),
      descarga: z.string().optional().meta({ description: 'Cuando está lista: `GET` con la misma API key descarga el archivo.' }),
    }),
  })
  .meta({ id: 'Exportacion' });

export const crear = createRoute({
  method: 'post',
  path: '/exportaciones',
  operationId: 'crearExportacion',
  tags,
  summary: 'Exporta los comprobantes de un periodo a un ZIP o un CSV',
  description:
    'Se procesa en segundo plano: responde 202 con la exportación `pendiente`; consulta `links.self` o espera el webhook ' +
    '`exportacion.lista`. El ZIP trae, en una carpeta por mes (`AAAA-MM/`), el XML timbrado exactamente como se guardó y el PDF ' +
    'de cada CFDI (`<serie><folio>-<UUID>.xml/.pdf`), y `manifiesto.csv`. El CSV (UTF-8 con BOM, RFC 4180) trae uuid, serie, ' +
    'folio, tipo, fecha, receptor, moneda, subtotal, total de impuestos trasladados y retenidos (como los declara el XML), total y ' +
    'estado. Un comprobante sin timbrar (pendiente, rechazada, error) aparece en el manifiesto y en el CSV con su estado, sin ' +
    'impuestos ni archivos.',
  security,
  middleware: [requireAuth('facturas:read')] as const,
  request: { headers: IdempotencyHeadersSchema, body: { content: { 'application/json': { schema: ExportacionCrearSchema } }, required: true } },
  responses: {
    202: jsonContent(ExportacionSchema, 'Exportación aceptada; `Location` apunta a ella.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/exportaciones/{id}',
  operationId: 'obtenerExportacion',
  tags,
  summary: 'Estado de una exportación y, cuando está lista, su enlace de descarga',
  security,
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParams },
  responses: { 200: jsonContent(ExportacionSchema, 'La exportación.'), ...errorResponses(401, 403, 404) },
});

export const archivo = createRoute({
  method: 'get',
  path: '/exportaciones/{id}/archivo',
  operationId: 'descargarExportacion',
  tags,
  summary: 'Descarga el archivo de una exportación lista',
  security,
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParams },
  responses: {
    200: {
      content: {
        'application/zip': { schema: z.string().meta({ format: 'binary' }) },
        'text/csv': { schema: z.string().meta({ format: 'binary' }) },
      },
      description: 'El ZIP o el CSV.',
    },
    ...errorResponses(401, 403, 404, 409),
  },
});
