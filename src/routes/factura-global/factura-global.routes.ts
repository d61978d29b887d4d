import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, IdempotencyHeadersSchema, jsonContent } from '../../lib/openapi';
import { PERIODICIDADES } from '../../services/factura-global';

const tags = ['Recibos'];
const security = [{ bearerAuth: ['recibos:write'] }];

export const FacturaGlobalCrearSchema = z
  .strictObject({
    periodicidad: z.enum(PERIODICIDADES).meta({
      description: 'c_Periodicidad: 01 diario, 02 semanal, 03 quincenal, 04 mensual, 05 bimestral (solo un emisor del régimen 621, Incorporación Fiscal: CFDI40132; si no, 422 en `periodicidad`).',
    }),
    meses: z
      .string()
      .regex(/^(0[1-9]|1[0-8])$/, 'Una clave de c_Meses: 01 a 12, o 13 a 18 (bimestres)')
      .meta({ description: 'c_Meses: 01 a 12; con periodicidad 05, 13 (enero-febrero) a 18 (noviembre-diciembre).', example: '11' }),
    año: z.number().int().min(2022).max(9999).meta({ description: 'Año del periodo (el en curso o hasta 5 anteriores, CFDI40136).', example: 2026 }),
    fecha: z.iso
      .date()
      .optional()
      .meta({
        description:
          'Un día del periodo (AAAA-MM-DD), obligatorio con 01, 02 y 03: el día (diario), su semana de lunes a domingo dentro del mes (semanal), o su quincena 1–15 / 16–fin de mes (quincenal).',
        example: '2026-11-30',
      }),
    serie: z.string().trim().min(1).max(25).regex(/^[^|]*$/).optional().meta({ description: 'Serie de los CFDI; por omisión la de la configuración de recibos (`serie_global`) o `G`.' }),
  })
  .meta({ id: 'FacturaGlobalCrear', example: { periodicidad: '04', meses: '11', año: 2026 } });

const PeriodoSchema = z
  .object({
    periodicidad: z.string(),
    meses: z.string(),
    año: z.number().int(),
    desde: z.string().meta({ description: 'Primer día del periodo (AAAA-MM-DD), según la fecha de los recibos.' }),
    hasta: z.string().meta({ description: 'Día siguiente al último del periodo (no incluido).' }),
  })
  .meta({ id: 'PeriodoFacturaGlobal' });

export const FacturaGlobalSchema = z
  .object({
    periodo: PeriodoSchema,
    facturas: z
      .array(
        z.object({
          id: z.string(),
          status: z.literal('pendiente'),
          forma_pago: z.string().meta({ description: 'Un CFDI global por forma de pago (guía de llenado del CFDI global).' }),
          recibos: z.number().int().meta({ description: 'Recibos que incluye (un Concepto cada uno, o uno por tasa si sus líneas tienen tasas distintas).' }),
          total: z.string(),
          links: z.object({ self: z.string() }),
        }),
      )
      .meta({ description: 'Los CFDI aceptados; se timbran en segundo plano (webhook `factura_global.timbrada`).' }),
    recibos: z.number().int().meta({ description: 'Recibos facturados en total (ahora `facturado_global`).' }),
    excluidos: z
      .array(z.object({ id: z.string(), folio: z.string(), motivo: z.string() }))
      .meta({ description: 'Recibos del periodo que no caben en una factura global (retenciones, impuesto por cuota, moneda distinta de MXN): siguen vigentes para facturarse por separado.' }),
  })
  .meta({ id: 'FacturaGlobal' });

export const crear = createRoute({
  method: 'post',
  path: '/recibos/factura-global',
  operationId: 'crearFacturaGlobal',
  tags,
  summary: 'Emite la factura global de los recibos no facturados de un periodo',
  description:
    'Un CFDI de ingreso a XAXX010101000 / PUBLICO EN GENERAL (régimen 616, uso S01, código postal = lugar de expedición) con ' +
    '`InformacionGlobal`, MetodoPago PUE, y un Concepto por recibo vigente del periodo (ClaveProdServ 01010101, ClaveUnidad ACT, ' +
    'Cantidad 1, Descripcion "Venta", NoIdentificacion = folio del recibo, su subtotal, descuento e impuestos trasladados). ' +
    'Un CFDI por forma de pago. La fecha de cada recibo decide su periodo. Los recibos pasan a `facturado_global` en la misma ' +
    'transacción que guarda el CFDI: un recibo que el portal factura en ese momento queda en uno solo de los dos. ' +
    'Sin recibos por facturar responde 422 `sin_recibos_por_facturar`.',
  security,
  middleware: [requireAuth('recibos:write')] as const,
  request: { headers: IdempotencyHeadersSchema, body: { content: { 'application/json': { schema: FacturaGlobalCrearSchema } }, required: true } },
  responses: {
    202: jsonContent(FacturaGlobalSchema, 'Facturas globales aceptadas, `pendiente` hasta su timbrado.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});
