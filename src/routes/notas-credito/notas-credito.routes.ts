import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, SimulableHeadersSchema, jsonContent } from '../../lib/openapi';
import { AceptadaSchema, FacturaCrearSchema, FacturaDetalleSchema, IdParamsSchema } from '../comprobantes.schemas';
import { respuestaBorradorCreado, rutaActualizar, rutaTimbrar } from '../comprobantes.borradores';
import { rutaValidar } from '../comprobantes.validar';
import { EJEMPLO_NOTA_CREDITO } from '../ejemplos';

const tags = ['Notas de crédito'];

export const NotaCreditoCrearSchema = FacturaCrearSchema.meta({
  id: 'NotaCreditoNueva',
  description:
    'Un CFDI de egreso (tipo E) con `cfdi_relacionados` de tipo_relacion 01 sobre facturas timbradas propias del mismo receptor y moneda.',
});

export const crear = createRoute({
  method: 'post',
  path: '/notas-credito',
  operationId: 'crearNotaCredito',
  tags,
  summary: 'Emitir una nota de crédito (CFDI de egreso)',
  description:
    'Relaciona (tipo_relacion 01) una o varias facturas timbradas vigentes de esta aplicación y modo, del mismo RFC receptor y la misma moneda, ' +
    'por su folio fiscal (UUID). Su total no puede exceder la suma de los saldos de esas facturas (total − pagos − notas de crédito previas): ' +
    'si lo excede, 422 `excede_saldo` con los números. El importe se aplica a las facturas en el orden en que se relacionan, ' +
    'a cada una hasta agotar su saldo, y se descuenta de su saldo desde que la nota se acepta (si termina `rechazada` o `error` se devuelve). ' +
    'Si otro pago o nota cambió el saldo al mismo tiempo: 409 `saldo_cambio`, reintenta. Timbrado asíncrono como POST /facturas (202). ' +
    'Con `borrador: true` se guarda como borrador (201) sin aplicar nada a los saldos hasta POST /notas-credito/{id}/timbrar.',
  security: [{ bearerAuth: ['facturas:write'] }],
  middleware: [requireAuth('facturas:write')] as const,
  request: {
    headers: SimulableHeadersSchema,
    body: { content: { 'application/json': { schema: NotaCreditoCrearSchema, example: EJEMPLO_NOTA_CREDITO } }, required: true },
  },
  responses: {
    ...respuestaBorradorCreado,
    202: { ...jsonContent(AceptadaSchema, 'Aceptada para timbrado.'), headers: z.object({ Location: z.string() }) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/notas-credito/{id}',
  operationId: 'obtenerNotaCredito',
  tags,
  summary: 'Consultar una nota de crédito, con su historial y lo que aplicó a cada factura',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(FacturaDetalleSchema, 'La nota de crédito.'),
    ...errorResponses(401, 403, 404),
  },
});

export const validar = rutaValidar('/notas-credito/validar', 'validarNotaCredito', tags, NotaCreditoCrearSchema, 'una nota de crédito', EJEMPLO_NOTA_CREDITO);

const borradores = { base: '/notas-credito', tags, que: 'una nota de crédito en borrador', sufijo: 'NotaCredito' };
export const actualizar = rutaActualizar(borradores);
export const timbrar = rutaTimbrar(borradores);
