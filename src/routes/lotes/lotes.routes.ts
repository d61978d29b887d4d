import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, jsonContent, SimulableHeadersSchema } from '../../lib/openapi';
import { listSchema, PaginationQuerySchema } from '../../lib/pagination';
import { MAX_ITEMS_LOTE } from '../../services/lotes';
import { DetalleSchema, errorDeItemSchema, porStatusSchema } from '../lotes.schemas';
import { EJEMPLO_COMPLEMENTO_PAGO, EJEMPLO_FACTURA, EJEMPLO_NOTA_CREDITO } from '../ejemplos';

const tags = ['Lotes'];

const IdParamsSchema = z.object({ id: z.string().meta({ description: 'Id del lote.', example: '019ab1c2-0000-7000-8000-0000000000a1' }) });

const ItemSchema = z.strictObject({
  tipo: z.enum(['factura', 'nota_credito', 'complemento_pago']).meta({ description: 'Qué se emite; `datos` es el cuerpo de su propia ruta.' }),
  idempotency_key: z
    .string()
    .optional()
    .meta({
      description:
        'La Idempotency-Key del comprobante: la misma clave con los mismos `datos` (en este lote, en otro o en la ruta del tipo) da el mismo comprobante, nunca otro.',
      example: 'pedido-1234',
    }),
  datos: z.record(z.string(), z.unknown()).meta({
    description:
      'El cuerpo de `POST /facturas` (FacturaNueva), `POST /notas-credito` (NotaCreditoNueva) o `POST /complementos-pago` (ComplementoPagoNuevo), ' +
      'validado con las mismas reglas: los errores de un comprobante son los de su ruta, con la ruta `items[i].datos.…`.',
  }),
});

export const LoteCrearSchema = z
  .strictObject({ items: z.array(ItemSchema).min(1).max(MAX_ITEMS_LOTE).meta({ description: `De 1 a ${MAX_ITEMS_LOTE} comprobantes, de cualquier tipo.` }) })
  .meta({ id: 'LoteNuevo' });

const PorStatusSchema = porStatusSchema('Comprobantes emitidos por este lote, por estado.');

const TipoItem = ItemSchema.shape.tipo;

const ItemAceptadoSchema = z.object({
  indice: z.number().int(),
  tipo: TipoItem,
  status: z.literal('aceptado'),
  id: z.string().meta({ description: 'El comprobante, `pendiente` al aceptarse; consúltalo en `links.self`.' }),
  advertencias: z.array(DetalleSchema),
  replayed: z.boolean().meta({ description: 'true: su `idempotency_key` ya había creado este comprobante (en otro lote o solicitud, donde se cuenta).' }),
  links: z.object({ self: z.string() }),
});
const ItemRechazadoSchema = z.object({
  indice: z.number().int(),
  tipo: TipoItem,
  status: z.literal('rechazado'),
  error: errorDeItemSchema('Lo que su propia ruta habría respondido (422, 409…), con rutas `items[i].datos.…`. No se guardó nada de él.'),
});

const LoteResumenSchema = z
  .object({
    id: z.string(),
    total: z.number().int(),
    aceptados: z.number().int().meta({ description: 'Items con comprobante (nuevo, o el de su `idempotency_key`).' }),
    rechazados: z.number().int(),
    completado_at: z.string().nullable().meta({ description: 'Cuándo ningún comprobante del lote quedó `pendiente` (webhook `lote.completado`).' }),
    created_at: z.string(),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: 'LoteResumen' });

export const LoteSchema = LoteResumenSchema.extend({
  por_status: PorStatusSchema,
  items: z.array(z.discriminatedUnion('status', [ItemAceptadoSchema, ItemRechazadoSchema])).meta({ description: 'Un resultado por item, en el orden enviado.' }),
}).meta({ id: 'Lote' });

/** What `lote.completado` carries (src/services/lotes.ts completarLote). */
export const LoteEventoSchema = LoteResumenSchema.omit({ links: true })
  .extend({ por_status: PorStatusSchema, completado_at: z.string() })
  .meta({ id: 'LoteEvento' });

/** A factura, a nota de crédito and a complemento de pago: the same bodies as the kinds' own examples. */
export const EJEMPLO_LOTE = {
  items: [
    { tipo: 'factura', idempotency_key: 'pedido-1234', datos: EJEMPLO_FACTURA },
    { tipo: 'nota_credito', datos: EJEMPLO_NOTA_CREDITO },
    { tipo: 'complemento_pago', datos: EJEMPLO_COMPLEMENTO_PAGO },
  ],
};

export const crear = createRoute({
  method: 'post',
  path: '/lotes',
  operationId: 'crearLote',
  tags,
  summary: 'Emitir un lote de comprobantes',
  description:
    `Hasta ${MAX_ITEMS_LOTE} facturas, notas de crédito y complementos de pago en una solicitud (cuerpo de hasta 8 MiB; el resto de la API, 1 MiB). ` +
    'Cada item se valida y acepta por sí solo, en orden, como en la ruta de su tipo: uno inválido no impide los demás. Responde 202 con el id del lote ' +
    'y el resultado de cada item (su id o sus errores); los aceptados se timbran como cualquier otro comprobante (webhooks por comprobante) y, ' +
    'cuando ninguno queda `pendiente`, se envía `lote.completado`. La Idempotency-Key del lote repite la respuesta entera; la de cada item ' +
    '(`idempotency_key`) nunca crea un segundo comprobante. `X-HexaFac-Simular` aplica a todos los items.',
  security: [{ bearerAuth: ['facturas:write'] }],
  middleware: [requireAuth('facturas:write')] as const,
  request: {
    headers: SimulableHeadersSchema,
    body: { content: { 'application/json': { schema: LoteCrearSchema, example: EJEMPLO_LOTE } }, required: true },
  },
  responses: {
    202: { ...jsonContent(LoteSchema, 'Lote aceptado: el resultado de cada item.'), headers: z.object({ Location: z.string() }) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/lotes/{id}',
  operationId: 'obtenerLote',
  tags,
  summary: 'Consultar un lote: conteos por estado y el resultado de cada item',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(LoteSchema, 'El lote.'),
    ...errorResponses(401, 403, 404),
  },
});

export const listar = createRoute({
  method: 'get',
  path: '/lotes',
  operationId: 'listarLotes',
  tags,
  summary: 'Listar lotes',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { query: PaginationQuerySchema },
  responses: {
    200: jsonContent(listSchema(LoteResumenSchema).meta({ id: 'ListaLotes' }), 'Una página de lotes, del más reciente al más antiguo.'),
    ...errorResponses(401, 403, 422),
  },
});
