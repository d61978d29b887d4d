import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, jsonContent, SimulableHeadersSchema } from '../../lib/openapi';
import { listSchema } from '../../lib/pagination';
import { rutaPdf, rutaXml } from '../comprobantes.archivos';
import { rutaCancelar } from '../comprobantes.cancelacion';
import { AceptadaSchema, IdParamsSchema } from '../comprobantes.schemas';
import { rutaValidar } from '../comprobantes.validar';
import { EJEMPLO_RECIBO_NOMINA } from '../ejemplos';
import { ListarRecibosNominaQuerySchema, ReciboNominaCrearSchema, ReciboNominaDetalleSchema, ReciboNominaSchema } from './recibos-nomina.schemas';

const tags = ['Nómina'];
const coleccion = {
  base: '/recibos-nomina',
  tags,
  que: 'un recibo de nómina',
  sufijo: 'ReciboNomina',
  pdf: 'Con el trabajador (CURP, NSS, número de empleado, puesto, periodo, días pagados, SDI), sus percepciones, deducciones, otros pagos e incapacidades y el neto a pagar con letra.',
};

export const crear = createRoute({
  method: 'post',
  path: '/recibos-nomina',
  operationId: 'crearReciboNomina',
  tags,
  summary: 'Emitir un recibo de nómina (CFDI tipo N, Nómina 1.2)',
  description:
    'El periodo, el trabajador y sus percepciones, deducciones, otros pagos e incapacidades. HexaFac calcula lo que el SAT calcula: ' +
    'TotalPercepciones, TotalGravado/Exento, TotalSueldos, TotalSeparacionIndemnizacion, TotalJubilacionPensionRetiro, TotalDeducciones ' +
    '(ISR aparte en TotalImpuestosRetenidos), TotalOtrosPagos, la antigüedad si no se da, y los valores fijos del comprobante tipo N ' +
    '(MXN, exportación 01, el concepto 84111505/ACT «Pago de nómina» por percepciones + otros pagos con las deducciones como descuento, ' +
    'objeto de impuesto 01, sin nodo Impuestos, PUE, receptor 605/CN01). Cada regla de la matriz NOM que puede comprobarse antes de timbrar ' +
    'se aplica: 422 con su código NOMxx y la ruta del campo. El trabajador va en `receptor` (no hay `cliente_id`). ' +
    'Timbrado asíncrono como POST /facturas (202); webhooks recibo_nomina.timbrado / .rechazado / .error. Para toda una nómina: POST /nominas.',
  security: [{ bearerAuth: ['facturas:write'] }],
  middleware: [requireAuth('facturas:write')] as const,
  request: {
    headers: SimulableHeadersSchema,
    body: { content: { 'application/json': { schema: ReciboNominaCrearSchema, example: EJEMPLO_RECIBO_NOMINA } }, required: true },
  },
  responses: {
    202: { ...jsonContent(AceptadaSchema, 'Aceptado para timbrado.'), headers: z.object({ Location: z.string() }) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const listar = createRoute({
  method: 'get',
  path: '/recibos-nomina',
  operationId: 'listarRecibosNomina',
  tags,
  summary: 'Listar recibos de nómina',
  description: 'Por trabajador (RFC, CURP, número de empleado), periodo y estado, del más reciente al más antiguo.',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { query: ListarRecibosNominaQuerySchema },
  responses: {
    200: jsonContent(listSchema(ReciboNominaSchema), 'Una página de recibos de nómina.'),
    ...errorResponses(401, 403, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/recibos-nomina/{id}',
  operationId: 'obtenerReciboNomina',
  tags,
  summary: 'Consultar un recibo de nómina: trabajador, periodo, totales y neto, con su historial',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(ReciboNominaDetalleSchema, 'El recibo de nómina.'),
    ...errorResponses(401, 403, 404),
  },
});

export const validar = rutaValidar('/recibos-nomina/validar', 'validarReciboNomina', tags, ReciboNominaCrearSchema, 'un recibo de nómina', EJEMPLO_RECIBO_NOMINA);

export const xml = rutaXml(coleccion);
export const pdf = rutaPdf(coleccion);

export const cancelar = rutaCancelar({
  base: '/recibos-nomina',
  operationId: 'cancelarReciboNomina',
  tags,
  que: 'un recibo de nómina',
  description:
    'Como POST /facturas/{id}/cancelar, solo para recibos de nómina. Un recibo con errores se sustituye: emite primero el recibo correcto ' +
    'del mismo trabajador y cancela este con motivo 01 y `folio_sustitucion` = el UUID del nuevo; sin sustituto, motivo 02 (o 03 si no se pagó). ' +
    'Termina en `cancelada` (acuse en GET /facturas/{id}/acuse) o `cancelacion_rechazada`, con los webhooks recibo_nomina.cancelado / .cancelacion_rechazada. ' +
    'Solo un recibo `timbrada` o `cancelacion_rechazada` puede cancelarse (si no, 409).',
});
