import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, SimulableHeadersSchema, jsonContent } from '../../lib/openapi';
import { AceptadaSchema, ComplementoPagoCrearSchema, FacturaDetalleSchema, IdParamsSchema } from '../comprobantes.schemas';
import { rutaValidar } from '../comprobantes.validar';
import { EJEMPLO_COMPLEMENTO_PAGO } from '../ejemplos';

const tags = ['Complementos de pago'];

export const crear = createRoute({
  method: 'post',
  path: '/complementos-pago',
  operationId: 'crearComplementoPago',
  tags,
  summary: 'Emitir un complemento de pago 2.0 (CFDI tipo P)',
  description:
    'Uno o varios pagos, cada uno sobre una o varias facturas PPD timbradas vigentes del mismo receptor (por `uuid` o `id`). ' +
    'NumParcialidad, ImpSaldoAnt e ImpSaldoInsoluto se calculan del historial de la factura (pagos y notas de crédito vigentes o en timbrado); ' +
    'si se dan, se comprueban. Pagar de más o pagar una factura saldada → 422 con la ruta del documento. Los ImpuestosDR se prorratean ' +
    'de los impuestos de la factura; ImpuestosP y Totales se calculan. Un pago en otra moneda lleva `tipo_cambio` y, por documento, `equivalencia`. ' +
    'Lo pagado se descuenta del saldo desde que se acepta (y se devuelve si termina `rechazada` o `error`); si otro pago cambió el saldo ' +
    'al mismo tiempo: 409 `saldo_cambio`, reintenta. Timbrado asíncrono como POST /facturas (202).',
  security: [{ bearerAuth: ['facturas:write'] }],
  middleware: [requireAuth('facturas:write')] as const,
  request: {
    headers: SimulableHeadersSchema,
    body: { content: { 'application/json': { schema: ComplementoPagoCrearSchema, example: EJEMPLO_COMPLEMENTO_PAGO } }, required: true },
  },
  responses: {
    202: { ...jsonContent(AceptadaSchema, 'Aceptado para timbrado.'), headers: z.object({ Location: z.string() }) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/complementos-pago/{id}',
  operationId: 'obtenerComplementoPago',
  tags,
  summary: 'Consultar un complemento de pago, con su historial y lo que pagó de cada factura',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(FacturaDetalleSchema, 'El complemento de pago.'),
    ...errorResponses(401, 403, 404),
  },
});

export const validar = rutaValidar('/complementos-pago/validar', 'validarComplementoPago', tags, ComplementoPagoCrearSchema, 'un complemento de pago', EJEMPLO_COMPLEMENTO_PAGO);
