import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { errorResponses, SimulableHeadersSchema, jsonContent } from '../../lib/openapi';
import { listSchema } from '../../lib/pagination';
import { AceptadaSchema, EstadoSatSchema, FacturaCrearSchema, FacturaDetalleSchema, FacturaSchema, FacturaSustitutaSchema, IdParamsSchema, ListarComprobantesQuerySchema } from '../comprobantes.schemas';
import { respuestaBorradorCreado, rutaActualizar, rutaDescartar, rutaTimbrar } from '../comprobantes.borradores';
import { rutaValidar } from '../comprobantes.validar';
import { EJEMPLO_FACTURA } from '../ejemplos';

const tags = ['Facturas'];

export const crear = createRoute({
  method: 'post',
  path: '/facturas',
  operationId: 'crearFactura',
  tags,
  summary: 'Emitir una factura (CFDI de ingreso)',
  description:
    'Valida el comprobante completo (todas las reglas fiscales, cada problema con su ruta) y lo acepta para timbrado asíncrono: ' +
    'responde 202 con el id y las `advertencias` (lo que el SAT admite pero conviene revisar); el estado pasa a `timbrada`, `rechazada` o `error` ' +
    'y se notifica por webhook. Las reglas son las de la matriz de errores del SAT (docs/reglas-sat.md), incluidos c_ClaveProdServ y c_CodigoPostal; ' +
    '`POST /facturas/validar` las aplica sin emitir. Con `borrador: true` se guarda como borrador (201) sin timbrar: ' +
    'PATCH /facturas/{id} lo modifica, GET /facturas/{id}/pdf lo previsualiza y POST /facturas/{id}/timbrar lo emite.',
  security: [{ bearerAuth: ['facturas:write'] }],
  middleware: [requireAuth('facturas:write')] as const,
  request: {
    headers: SimulableHeadersSchema,
    body: { content: { 'application/json': { schema: FacturaCrearSchema, example: EJEMPLO_FACTURA } }, required: true },
  },
  responses: {
    ...respuestaBorradorCreado,
    202: {
      ...jsonContent(AceptadaSchema, 'Aceptada para timbrado.'),
      headers: z.object({ Location: z.string() }),
    },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const listar = createRoute({
  method: 'get',
  path: '/facturas',
  operationId: 'listarComprobantes',
  tags,
  summary: 'Listar comprobantes',
  description: 'Con `status=borrador`, los borradores (sin folio).',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: {
    query: ListarComprobantesQuerySchema.extend({
      tipo: z.enum(['I', 'E', 'P', 'N', 'T']).optional(),
      receptor_rfc: z.string().max(13).optional().meta({ example: 'XAXX010101000' }),
    }),
  },
  responses: {
    200: jsonContent(listSchema(FacturaSchema), 'Una página de comprobantes, del más reciente al más antiguo.'),
    ...errorResponses(401, 403, 422),
  },
});

export const obtener = createRoute({
  method: 'get',
  path: '/facturas/{id}',
  operationId: 'obtenerComprobante',
  tags,
  summary: 'Consultar un comprobante con su historial',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(FacturaDetalleSchema, 'El comprobante; una factura PPD con su saldo, pagos y notas de crédito.'),
    ...errorResponses(401, 403, 404),
  },
});

const archivo = (ext: 'xml' | 'pdf', operationId: string, mime: string, summary: string, description: string, errores: (401 | 403 | 404 | 409 | 422)[]) =>
  createRoute({
    method: 'get',
    path: `/facturas/{id}/${ext}`,
    operationId,
    tags,
    summary,
    description,
    security: [{ bearerAuth: ['facturas:read'] }],
    middleware: [requireAuth('facturas:read')] as const,
    request: { params: IdParamsSchema },
    responses: {
      200: { content: { [mime]: { schema: z.string().meta({ format: 'binary' }) } }, description: summary },
      ...errorResponses(...errores),
    },
  });

export const xml = archivo('xml', 'descargarXml', 'application/xml', 'Descargar el XML timbrado', 'Un comprobante sin timbrar (pendiente, borrador…) aún no tiene XML: 409.', [401, 403, 404, 409]);
export const pdf = archivo(
  'pdf',
  'descargarPdf',
  'application/pdf',
  'Descargar la representación impresa (PDF)',
  'De un borrador: una vista previa de su solicitud tal como está, sin timbre y marcada BORRADOR (no es un CFDI); 422 si ya no cumple las reglas.',
  [401, 403, 404, 409, 422],
);

export const estadoSat = createRoute({
  method: 'get',
  path: '/facturas/{id}/estado-sat',
  operationId: 'consultarEstadoSat',
  tags,
  summary: 'Estado del CFDI en el SAT',
  description:
    'Consulta el servicio público del SAT (ConsultaCFDIService) con la expresión impresa del comprobante: Vigente, Cancelado o No Encontrado, ' +
    'si es cancelable y cómo, el estatus de una cancelación y la validación EFOS. En modo de pruebas responde el sandbox. ' +
    'Un CFDI recién timbrado puede tardar en aparecer (No Encontrado) mientras el SAT lo recibe.',
  security: [{ bearerAuth: ['facturas:read'] }],
  middleware: [requireAuth('facturas:read')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(EstadoSatSchema, 'Lo que el SAT responde ahora.'),
    ...errorResponses(401, 403, 404, 409, 503),
  },
});

export const sustituir = createRoute({
  method: 'post',
  path: '/facturas/{id}/sustituir',
  operationId: 'sustituirFactura',
  tags,
  summary: 'Sustituir una factura (cancelación con motivo 01)',
  description:
    'Emite la factura corregida (mismo receptor; HexaFac agrega CfdiRelacionados 04 con el UUID de la original) y, cuando queda ' +
    '`timbrada`, solicita la cancelación de la original con motivo 01 y el nuevo UUID como folio de sustitución. Al cancelarse la ' +
    'original se envía el webhook `factura.sustituida` con ambas. Si la sustituta es rechazada, la original no cambia. ' +
    'Responde 202 con el id de la sustituta; su `sustituye_a` es la original.',
  security: [{ bearerAuth: ['facturas:write'] }],
  middleware: [requireAuth('facturas:write')] as const,
  request: {
    params: IdParamsSchema,
    headers: SimulableHeadersSchema,
    body: { content: { 'application/json': { schema: FacturaSustitutaSchema, example: EJEMPLO_FACTURA } }, required: true },
  },
  responses: {
    202: {
      ...jsonContent(AceptadaSchema, 'Sustituta aceptada para timbrado.'),
      headers: z.object({ Location: z.string() }),
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const validar = rutaValidar('/facturas/validar', 'validarFactura', tags, FacturaCrearSchema, 'una factura', EJEMPLO_FACTURA);

const borradores = { base: '/facturas', tags, que: 'un borrador', sufijo: '' };
export const actualizar = rutaActualizar(borradores);
export const timbrar = rutaTimbrar(borradores);
export const descartar = rutaDescartar(borradores);
