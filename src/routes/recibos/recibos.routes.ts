import { createRoute, z } from '@hono/zod-openapi';
import { RECIBO_STATUSES } from '../../db/schema';
import { requireAuth } from '../../lib/auth';
import { errorResponses, IdempotencyHeadersSchema, jsonContent, SimulableHeadersSchema } from '../../lib/openapi';
import { listSchema, PaginationQuerySchema } from '../../lib/pagination';
import { DIAS_AUTOFACTURA } from '../../services/recibos';
import { AceptadaSchema, FacturaCrearSchema } from '../comprobantes.schemas';

const tags = ['Recibos'];

const IdParamsSchema = z.object({ id: z.string().meta({ description: 'Id del recibo.', example: '019ab1c2-0000-7000-8000-0000000000b1' }) });
const FECHA_DIA = /^\d{4}-\d{2}-\d{2}$/;

export const EJEMPLO_RECIBO = {
  forma_pago: '01',
  external_id: 'ticket-0001',
  conceptos: [
    {
      clave_prod_serv: '50192100',
      cantidad: '2',
      clave_unidad: 'H87',
      descripcion: 'Torta de jamón',
      valor_unitario: '45.00',
      objeto_imp: '02',
      impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] },
    },
  ],
};

export const ReciboCrearSchema = z
  .strictObject({
    conceptos: FacturaCrearSchema.shape.conceptos,
    forma_pago: z.string().meta({ description: 'c_FormaPago con que se pagó (99 "Por definir" no aplica: un recibo ya está pagado).', example: '01' }),
    fecha: z
      .string()
      .optional()
      .meta({ description: 'AAAA-MM-DDThh:mm:ss, hora local del lugar de expedición; por omisión, ahora. Decide el periodo de su factura global.', example: '2026-11-30T13:05:00' }),
    moneda: z.string().optional().meta({ description: 'Solo MXN (la factura global que los reúne es de una sola moneda).', example: 'MXN' }),
    folio: z.string().trim().min(1).max(40).optional().meta({ description: 'Folio del punto de venta; por omisión, un consecutivo propio de los recibos.', example: 'A-1024' }),
    external_id: z.string().trim().min(1).max(100).optional().meta({ description: 'Tu identificador del ticket: único por aplicación (409 si se repite).', example: 'ticket-0001' }),
  })
  .meta({ id: 'ReciboNuevo', example: EJEMPLO_RECIBO });

export const ReciboSchema = z
  .object({
    id: z.string(),
    folio: z.string(),
    external_id: z.string().nullable(),
    clave_autofactura: z.string().meta({ description: 'Lo que el cliente teclea en el portal (no adivinable; no es el id).', example: '7KQ2-9XMA-40RT-HV3B' }),
    url_autofactura: z
      .string()
      .nullable()
      .meta({ description: 'La página del portal para este recibo (lo que codifica el QR); null mientras la aplicación no tenga `autofactura_slug` (PUT /recibos/configuracion).' }),
    fecha: z.string(),
    forma_pago: z.string(),
    moneda: z.string(),
    subtotal: z.string(),
    descuento: z.string().nullable(),
    total_impuestos_trasladados: z.string().nullable(),
    total_impuestos_retenidos: z.string().nullable(),
    total: z.string(),
    status: z.enum(RECIBO_STATUSES).meta({ description: 'vigente (se puede facturar), facturado (su propio CFDI), facturado_global, cancelado.' }),
    vigente_hasta: z.string().meta({ description: 'Hasta cuándo puede facturarse por separado (fecha + `dias_autofactura`).' }),
    factura_id: z.string().nullable(),
    factura_global_id: z.string().nullable(),
    nota_credito_id: z
      .string()
      .nullable()
      .meta({ description: 'La nota de crédito (tipo E) que lo sacó de su factura global para facturarlo por separado (`tras_global: nota_credito`).' }),
    created_at: z.string(),
    links: z.object({ self: z.string(), qr_png: z.string(), qr_svg: z.string() }),
  })
  .meta({ id: 'Recibo' });

export const FacturarReciboSchema = z
  .strictObject({
    receptor: z.strictObject({
      rfc: z.string(),
      nombre: z.string(),
      domicilio_fiscal: z.string(),
      regimen_fiscal: z.string(),
      uso_cfdi: z.string(),
    }),
    email: z.email().optional().meta({ description: 'A quién se envían el XML y el PDF al timbrarse.' }),
  })
  .meta({
    id: 'FacturarRecibo',
    example: { receptor: { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' }, email: 'cliente@example.com' },
  });

const ConfiguracionCampos = {
  autofactura_slug: z
    .string()
    .nullable()
    .meta({ description: 'La dirección del portal: /autofactura/{slug}. De 3 a 40 caracteres (minúsculas, dígitos, guiones); única entre comercios (409 si ya la usa otro).', example: 'tortas-pachuca' }),
  dias_autofactura: z
    .number()
    .int()
    .meta({ description: `Días tras la fecha del recibo en que puede facturarse por separado (${DIAS_AUTOFACTURA.min} a ${DIAS_AUTOFACTURA.max}).`, example: 30 }),
  tras_global: z.enum(['rechazar', 'nota_credito']).meta({
    description:
      'Un recibo ya incluido en la factura global: `rechazar` (no se factura por separado) o `nota_credito` (al facturarlo se emite antes una nota de crédito a PUBLICO EN GENERAL, uso G02, relacionada 01 con la global, con los conceptos e importes que la global lleva de ese recibo: guía del CFDI global, Apéndice 2, III).',
  }),
  periodicidad_global: z
    .enum(['01', '02', '03', '04', '05'])
    .nullable()
    .meta({ description: 'c_Periodicidad de la factura global automática; null: no se emite sola. 05 (bimestral) solo para un emisor del régimen 621 (CFDI40132; si no, 422 en este campo).' }),
  serie_global: z.string().meta({ description: 'Serie de las facturas globales.', example: 'G' }),
};

export const ConfiguracionRecibosSchema = z.object(ConfiguracionCampos).meta({ id: 'ConfiguracionRecibos' });
export const ConfiguracionCambiosSchema = z
  .strictObject({
    autofactura_slug: ConfiguracionCampos.autofactura_slug.optional(),
    dias_autofactura: ConfiguracionCampos.dias_autofactura.optional(),
    tras_global: ConfiguracionCampos.tras_global.optional(),
    periodicidad_global: ConfiguracionCampos.periodicidad_global.optional(),
    serie_global: z.string().trim().min(1).max(25).optional(),
  })
  .meta({ id: 'ConfiguracionRecibosCambios', example: { autofactura_slug: 'tortas-pachuca', dias_autofactura: 30, tras_global: 'rechazar' } });

export const crear = createRoute({
  method: 'post',
  path: '/recibos',
  operationId: 'crearRecibo',
  tags,
  summary: 'Registrar un recibo (ticket) del punto de venta',
  description:
    'Guarda la venta con sus conceptos (el mismo modelo que POST /facturas, con sus impuestos) y calcula sus importes como los llevará su CFDI. ' +
    'Responde 201 con la clave y la URL del portal de autofactura (y los QR PNG/SVG de esa URL para el ticket). Solo MXN y una forma de pago distinta de 99.',
  security: [{ bearerAuth: ['recibos:write'] }],
  middleware: [requireAuth('recibos:write')] as const,
  request: { headers: IdempotencyHeadersSchema, body: { content: { 'application/json': { schema: ReciboCrearSchema } }, required: true } },
  responses: { 201: jsonContent(ReciboSchema, 'El recibo.'), ...errorResponses(400, 401, 403, 409, 413, 415, 422) },
});

export const listar = createRoute({
  method: 'get',
  path: '/recibos',
  operationId: 'listarRecibos',
  tags,
  summary: 'Listar recibos',
  security: [{ bearerAuth: ['recibos:read'] }],
  middleware: [requireAuth('recibos:read')] as const,
  request: {
    query: PaginationQuerySchema.extend({
      status: z.enum(RECIBO_STATUSES).optional(),
      desde: z.string().regex(FECHA_DIA).optional().meta({ description: 'Fecha del recibo desde (AAAA-MM-DD, incluido).' }),
      hasta: z.string().regex(FECHA_DIA).optional().meta({ description: 'Fecha del recibo hasta (AAAA-MM-DD, el día entero).' }),
    }),
  },
  responses: { 200: jsonContent(listSchema(ReciboSchema).meta({ id: 'ListaRecibos' }), 'Una página de recibos, del más reciente al más antiguo.'), ...errorResponses(401, 403, 422) },
});

export const obtener = createRoute({
  method: 'get',
  path: '/recibos/{id}',
  operationId: 'obtenerRecibo',
  tags,
  summary: 'Consultar un recibo',
  security: [{ bearerAuth: ['recibos:read'] }],
  middleware: [requireAuth('recibos:read')] as const,
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(ReciboSchema, 'El recibo.'), ...errorResponses(401, 403, 404) },
});

const qr = (formato: 'png' | 'svg', mime: string) =>
  createRoute({
    method: 'get',
    path: `/recibos/{id}/qr.${formato}`,
    operationId: formato === 'png' ? 'obtenerQrPngRecibo' : 'obtenerQrSvgRecibo',
    tags,
    summary: `QR (${formato.toUpperCase()}) de la URL de autofactura del recibo`,
    description: 'Para imprimirlo en el ticket. Sin `autofactura_slug` en la configuración no hay URL que codificar: 409 `sin_slug_autofactura`.',
    security: [{ bearerAuth: ['recibos:read'] }],
  middleware: [requireAuth('recibos:read')] as const,
    request: { params: IdParamsSchema },
    responses: { 200: { description: 'La imagen del QR.', content: { [mime]: { schema: z.string().meta({ format: 'binary' }) } } }, ...errorResponses(401, 403, 404, 409) },
  });
export const qrPng = qr('png', 'image/png');
export const qrSvg = qr('svg', 'image/svg+xml');

const cancelacion = <M extends 'delete' | 'post'>(method: M, path: string, operationId: string) =>
  createRoute({
    method,
    path,
    operationId,
    tags,
    summary: 'Cancelar un recibo (la venta se deshizo)',
    description: 'Solo un recibo `vigente`: uno facturado (por separado o en la global) o ya cancelado responde 409 `recibo_no_cancelable`.',
    security: [{ bearerAuth: ['recibos:write'] }],
    middleware: [requireAuth('recibos:write')] as const,
    request: { params: IdParamsSchema },
    responses: { 200: jsonContent(ReciboSchema, 'El recibo, cancelado.'), ...errorResponses(401, 403, 404, 409, 413, 415) },
  });
export const eliminar = cancelacion('delete', '/recibos/{id}', 'eliminarRecibo');
export const cancelar = cancelacion('post', '/recibos/{id}/cancelar', 'cancelarRecibo');

export const facturar = createRoute({
  method: 'post',
  path: '/recibos/{id}/facturar',
  operationId: 'facturarRecibo',
  tags,
  summary: 'Facturar un recibo a su cliente',
  description:
    'Emite el CFDI de ingreso del recibo (sus conceptos, su forma de pago, PUE) al receptor dado, como POST /facturas: 202 y timbrado asíncrono ' +
    '(webhook `recibo.facturado`). El recibo queda `facturado` en la misma transacción; uno cancelado, ya facturado, vencido o en una factura ' +
    'global responde 409 `recibo_no_facturable` (el motivo en `details[0].code`). Si el CFDI termina rechazado, con error o cancelado, el recibo vuelve a estar vigente. ' +
      'Con `tras_global: nota_credito`, un recibo `facturado_global` se factura: primero la nota de crédito a la global (una sola por recibo, en `nota_credito_id`; ' +
      'su receptor se revisa antes, así que un 422 no emite nota), luego este CFDI; mientras la global no esté timbrada, 409 con `details[0].code` `factura_global_en_proceso` y Retry-After.',
  security: [{ bearerAuth: ['recibos:write'] }],
  middleware: [requireAuth('recibos:write')] as const,
  request: { params: IdParamsSchema, headers: SimulableHeadersSchema, body: { content: { 'application/json': { schema: FacturarReciboSchema } }, required: true } },
  responses: {
    202: { ...jsonContent(AceptadaSchema, 'CFDI aceptado para timbrado.'), headers: z.object({ Location: z.string() }) },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const obtenerConfiguracion = createRoute({
  method: 'get',
  path: '/recibos/configuracion',
  operationId: 'obtenerConfiguracionRecibos',
  tags,
  summary: 'Configuración de recibos y autofactura',
  security: [{ bearerAuth: ['recibos:read'] }],
  middleware: [requireAuth('recibos:read')] as const,
  responses: { 200: jsonContent(ConfiguracionRecibosSchema, 'La configuración, con los valores por omisión aplicados.'), ...errorResponses(401, 403) },
});

export const configurar = createRoute({
  method: 'put',
  path: '/recibos/configuracion',
  operationId: 'configurarRecibos',
  tags,
  summary: 'Cambiar la configuración de recibos y autofactura',
  description:
    'Cambia solo los campos enviados. Un `autofactura_slug` que ya usa otro comercio responde 409 `slug_en_uso`; `periodicidad_global` 05 de un emisor que no es del régimen 621, 422 (CFDI40132).',
  security: [{ bearerAuth: ['recibos:write'] }],
  middleware: [requireAuth('recibos:write')] as const,
  request: { body: { content: { 'application/json': { schema: ConfiguracionCambiosSchema } }, required: true } },
  responses: { 200: jsonContent(ConfiguracionRecibosSchema, 'La configuración resultante.'), ...errorResponses(400, 401, 403, 409, 413, 415, 422) },
});
