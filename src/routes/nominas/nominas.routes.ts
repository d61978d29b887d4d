import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, jsonContent, SimulableHeadersSchema } from '../../lib/openapi';
import { listSchema, PaginationQuerySchema } from '../../lib/pagination';
import { MAX_RECIBOS_NOMINA } from '../../services/nominas';
import { EJEMPLO_NOMINA } from '../ejemplos';
import { DetalleSchema, errorDeItemSchema, porStatusSchema } from '../lotes.schemas';

// with the recibos de nómina: one tag for the kind, one at a time or a whole payroll
const tags = ['Nómina'];

const IdParamsSchema = z.object({ id: z.string().meta({ description: 'Id de la nómina.', example: '019ab1c2-0000-7000-8000-0000000000b1' }) });
const fecha = (description: string, example: string) =>
  z.iso
    .date({ error: 'Debe ser una fecha AAAA-MM-DD del calendario' })
    .regex(/^(19|20)/, 'Debe ser una fecha de 1900 a 2099')
    .meta({ description, example });

const PeriodoSchema = z
  .strictObject({
    tipo_nomina: z.enum(['O', 'E']).meta({ description: 'c_TipoNomina: O ordinaria, E extraordinaria.', example: 'O' }),
    fecha_pago: fecha('Fecha en que se pagó (FechaPago).', '2026-11-15'),
    fecha_inicial_pago: fecha('Primer día del periodo pagado.', '2026-11-01'),
    fecha_final_pago: fecha('Último día del periodo pagado.', '2026-11-15'),
  })
  .meta({ id: 'PeriodoNomina', description: 'El periodo de pago de todos los recibos de la nómina.' });

export const NominaCrearSchema = z
  .strictObject({
    periodo: PeriodoSchema,
    emisor: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({
        description: 'Los datos del patrón de `ReciboNominaNuevo.emisor` (registro_patronal, rfc_patron_origen…) comunes a todos los recibos; el `emisor` de un recibo prevalece, y un campo suyo en null lo quita (p. ej. `registro_patronal` de un asimilado a salarios).',
        example: { registro_patronal: 'B5510768108' },
      }),
    recibos: z
      .array(z.record(z.string(), z.unknown()))
      .min(1)
      .max(MAX_RECIBOS_NOMINA)
      .meta({
        description:
          `De 1 a ${MAX_RECIBOS_NOMINA} recibos: cada uno es el cuerpo de \`POST /recibos-nomina\` (ReciboNominaNuevo) sin los campos del periodo, ` +
          'que toma de `periodo` (si los indica, deben ser los mismos). Se valida con las mismas reglas: sus errores son los de esa ruta, con la ruta `recibos[i].…`.',
      }),
  })
  .meta({ id: 'NominaNueva' });

const ReciboAceptadoSchema = z.object({
  indice: z.number().int(),
  status: z.literal('aceptado'),
  id: z.string().meta({ description: 'El recibo de nómina, `pendiente` al aceptarse; consúltalo en `links.self`.' }),
  advertencias: z.array(DetalleSchema),
  replayed: z.boolean().meta({ description: 'true: un intento anterior con la misma Idempotency-Key ya lo había creado.' }),
  links: z.object({ self: z.string() }),
});
const ReciboRechazadoSchema = z.object({
  indice: z.number().int(),
  status: z.literal('rechazado'),
  error: errorDeItemSchema('Lo que `POST /recibos-nomina` habría respondido (422…), con rutas `recibos[i].…`. No se guardó nada de él.'),
});

const NoTimbradoSchema = z.object({
  indice: z.number().int(),
  id: z.string(),
  status: z.enum(['rechazada', 'error']).meta({ description: '`rechazada`: el PAC lo rechazó por una regla del SAT; `error`: no se pudo timbrar tras los reintentos.' }),
  errores: z.array(z.object({ code: z.string(), message: z.string() })),
  links: z.object({ self: z.string() }),
});

const PorStatusSchema = porStatusSchema('Recibos de esta nómina, por estado.');

const NominaResumenSchema = z
  .object({
    id: z.string(),
    periodo: PeriodoSchema,
    total: z.number().int(),
    aceptados: z.number().int().meta({ description: 'Recibos aceptados (con id), que se timbran por sí solos.' }),
    rechazados: z.number().int().meta({ description: 'Recibos rechazados al aceptarse: no se guardó nada de ellos.' }),
    completado_at: z.string().nullable().meta({ description: 'Cuándo ningún recibo quedó `pendiente` (webhook `nomina.completada`).' }),
    created_at: z.string(),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: 'NominaResumen' });

export const NominaSchema = NominaResumenSchema.extend({
  por_status: PorStatusSchema,
  recibos: z.array(z.discriminatedUnion('status', [ReciboAceptadoSchema, ReciboRechazadoSchema])).meta({ description: 'Un resultado por recibo, en el orden enviado.' }),
  no_timbrados: z.array(NoTimbradoSchema).meta({ description: 'Recibos aceptados que el PAC rechazó o que no se pudieron timbrar, con sus errores.' }),
}).meta({ id: 'Nomina' });

/** What `nomina.completada` carries (src/services/lotes.ts completarLote). */
export const NominaEventoSchema = NominaResumenSchema.omit({ links: true })
  .extend({ por_status: PorStatusSchema, completado_at: z.string() })
  .meta({ id: 'NominaEvento' });

export const crear = createRoute({
  method: 'post',
  path: '/nominas',
  operationId: 'crearNomina',
  tags,
  summary: 'Emitir la nómina completa de un periodo',
  description:
    `Hasta ${MAX_RECIBOS_NOMINA} recibos de nómina de un periodo de pago en una solicitud (cuerpo de hasta 8 MiB). Cada recibo se valida y acepta por ` +
    'sí solo, como en `POST /recibos-nomina`, con el periodo (y los datos del patrón en `emisor`) de la nómina: uno inválido no impide los demás. ' +
    'Responde 202 con el id de la nómina y el resultado de cada recibo (su id o sus errores); los aceptados se timbran como cualquier recibo ' +
    '(webhooks `recibo_nomina.*`) y, cuando ninguno queda `pendiente`, se envía `nomina.completada` con los conteos. La Idempotency-Key repite ' +
    'la respuesta entera y, si un intento se interrumpió, su reintento no emite dos veces ningún recibo. `X-HexaFac-Simular` aplica a todos.',
  security: [{ bearerAuth: ['facturas:write'] }],
  middleware: [requireAuth('facturas:write')] as const,
  request: {
    headers: SimulableHeadersSchema,
    body: { content: { 'application/json': { schema: NominaCrearSchema, example: EJEMPLO_NOMINA } }, required: true },
  },
  responses: {
    202: { ...jsonContent(NominaSchema, 'Nómina aceptada: el resultado de cada recibo.'), headers: z.object({ Location: z.string() }) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/nominas/{id}',
  operationId: 'obtenerNomina',
  tags,
  summary: 'Consultar una nómina: conteos por estado, el resultado de cada recibo y los no timbrados',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(NominaSchema, 'La nómina.'),
    ...errorResponses(401, 403, 404),
  },
});

export const listar = createRoute({
  method: 'get',
  path: '/nominas',
  operationId: 'listarNominas',
  tags,
  summary: 'Listar nóminas',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { query: PaginationQuerySchema },
  responses: {
    200: jsonContent(listSchema(NominaResumenSchema).meta({ id: 'ListaNominas' }), 'Una página de nóminas, de la más reciente a la más antigua.'),
    ...errorResponses(401, 403, 422),
  },
});
