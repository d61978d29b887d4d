import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, SimulableHeadersSchema, jsonContent } from '../../lib/openapi';
import { listSchema } from '../../lib/pagination';
import { rutaPdf, rutaXml } from '../comprobantes.archivos';
import { EJEMPLO_TRASLADO } from '../comprobantes.carta-porte';
import { rutaCancelar } from '../comprobantes.cancelacion';
import { AceptadaSchema, FacturaDetalleSchema, FacturaSchema, IdParamsSchema, ListarComprobantesQuerySchema, TrasladoCrearSchema } from '../comprobantes.schemas';
import { rutaValidar } from '../comprobantes.validar';

const tags = ['Traslados'];
const coleccion = {
  base: '/traslados',
  tags,
  que: 'un traslado',
  sufijo: 'Traslado',
  pdf: 'Con la Carta Porte: ubicaciones, mercancías, autotransporte, figuras, IdCCP y QR.',
};

export const crear = createRoute({
  method: 'post',
  path: '/traslados',
  operationId: 'crearTraslado',
  tags,
  summary: 'Emitir un traslado (CFDI tipo T) con Carta Porte 3.1',
  description:
    'El CFDI que ampara el traslado de mercancías por carretera federal: SubTotal y Total 0, moneda XXX, sin forma ni método de pago, ' +
    'ObjetoImp 01 y sin impuestos; el receptor es el propio emisor. Con `carta_porte` (autotransporte federal) HexaFac genera el IdCCP ' +
    '(y lo conserva en cada intento de timbrado) y calcula TotalDistRec, PesoBrutoTotal y NumTotalMercancias. Cada regla de la matriz ' +
    'de Carta Porte que se puede revisar antes de timbrar responde 422 con su código (CP1xx) y su ruta (docs/reglas-sat.md). Transporte ' +
    'marítimo, aéreo o ferroviario: 422 HFX_TRANSPORTE_NO_SOPORTADO (solo autotransporte). Timbrado asíncrono como POST /facturas (202); ' +
    'webhooks traslado.timbrado, traslado.rechazado, traslado.cancelado…',
  security: [{ bearerAuth: ['facturas:write'] }],
  middleware: [requireAuth('facturas:write')] as const,
  request: {
    headers: SimulableHeadersSchema,
    body: { content: { 'application/json': { schema: TrasladoCrearSchema, example: EJEMPLO_TRASLADO } }, required: true },
  },
  responses: {
    202: { ...jsonContent(AceptadaSchema, 'Aceptado para timbrado.'), headers: z.object({ Location: z.string() }) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const listar = createRoute({
  method: 'get',
  path: '/traslados',
  operationId: 'listarTraslados',
  tags,
  summary: 'Listar traslados',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { query: ListarComprobantesQuerySchema },
  responses: {
    200: jsonContent(listSchema(FacturaSchema), 'Una página de traslados, del más reciente al más antiguo.'),
    ...errorResponses(401, 403, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/traslados/{id}',
  operationId: 'obtenerTraslado',
  tags,
  summary: 'Consultar un traslado con su historial',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(FacturaDetalleSchema, 'El traslado.'),
    ...errorResponses(401, 403, 404),
  },
});

export const xml = rutaXml(coleccion);
export const pdf = rutaPdf(coleccion);

export const cancelar = rutaCancelar({
  ...coleccion,
  operationId: 'cancelarTraslado',
  description:
    'Como POST /facturas/{id}/cancelar, solo para traslados (el id de otro tipo de comprobante: 404). Un traslado se cancela sin ' +
    'aceptación del receptor; motivo 01 con el folio fiscal del traslado que lo sustituye. Webhooks traslado.cancelado o traslado.cancelacion_rechazada.',
});

export const validar = rutaValidar('/traslados/validar', 'validarTraslado', tags, TrasladoCrearSchema, 'un traslado', EJEMPLO_TRASLADO);
