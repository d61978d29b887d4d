import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import { requireAuth } from '../lib/auth';
import type { AppEnv } from '../lib/context';
import { errorResponses } from '../lib/openapi';
import { tenantOf } from '../lib/tenancy';
import { pdfDe, xmlDe } from '../services/archivos';
import { cargarComprobante, type TipoComprobante } from '../services/comprobantes';
import { IdParamsSchema } from './comprobantes.schemas';
import { descarga } from './comprobantes.views';

// GET …/{id}/xml and …/{id}/pdf of a kind with its own collection (/recibos-nomina, /traslados…), defined once
// here like comprobantes.cancelacion.ts: the same files as GET /facturas/{id}/xml|pdf, but a kind's route only
// serves its own tipo (another tipo's id is a 404, as another tenant's is).

/**
 * `base` is the kind's collection ('/recibos-nomina'), `que` the comprobante in Spanish ('un recibo de nómina'), `sufijo` of the
 * operationIds; `pdf`, what the kind's printed representation shows besides the comprobante (a sentence of the PDF route's description).
 */
interface Coleccion {
  base: string;
  tags: string[];
  que: string;
  sufijo: string;
  pdf?: string;
}

const SIN_TIMBRAR = 'Sin timbrar (pendiente, rechazado, error) aún no tiene archivo: 409 `factura_no_timbrada`.';

const archivo = (o: Coleccion, ext: 'xml' | 'pdf', mime: string, summary: string, description = SIN_TIMBRAR) =>
  createRoute({
    method: 'get',
    path: `${o.base}/{id}/${ext}`,
    operationId: `descargar${ext === 'xml' ? 'Xml' : 'Pdf'}${o.sufijo}`,
    tags: o.tags,
    summary: `${summary} de ${o.que}`,
    description,
    security: [{ bearerAuth: ['facturas:read'] }],
    middleware: [requireAuth('facturas:read')] as const,
    request: { params: IdParamsSchema },
    responses: {
      200: { content: { [mime]: { schema: z.string().meta({ format: 'binary' }) } }, description: summary },
      ...errorResponses(401, 403, 404, 409),
    },
  });

export const rutaXml = (o: Coleccion) => archivo(o, 'xml', 'application/xml', 'Descargar el XML timbrado');
export const rutaPdf = (o: Coleccion) =>
  archivo(o, 'pdf', 'application/pdf', 'Descargar la representación impresa (PDF)', o.pdf ? `${o.pdf} ${SIN_TIMBRAR}` : SIN_TIMBRAR);

type Ruta = ReturnType<typeof archivo>;
const servir =
  (leer: typeof xmlDe, tipo: TipoComprobante): RouteHandler<Ruta, AppEnv> =>
  async (c) => {
    const f = await cargarComprobante(c.var.deps, tenantOf(c), c.req.valid('param').id, tipo);
    return descarga(c, await leer(c.var.deps, tenantOf(c), f.id));
  };

export const handlerXml = (tipo: TipoComprobante) => servir(xmlDe, tipo);
export const handlerPdf = (tipo: TipoComprobante) => servir(pdfDe, tipo);
