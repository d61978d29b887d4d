import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { prepararComprobante } from '../../cfdi';
import { getDb } from '../../db/client';
import type { AppEnv } from '../../lib/context';
import { DomainError } from '../../lib/errors';
import { toPage } from '../../lib/pagination';
import { tenantOf } from '../../lib/tenancy';
import { cargarFactura, facturaView, historial, listarFacturas, type TipoComprobante } from '../../services/facturas';
import { relacionesDe } from '../../services/saldos';
import { aceptar } from './aceptar';
import type { crear, listar, obtener, pdf, xml } from './facturas.routes';

// aceptar() answers 202 itself, or replays the first answer of an Idempotency-Key as a plain Response.
export const crearHandler: RouteHandler<typeof crear, AppEnv> = (c) =>
  aceptar(c, 'I', c.req.valid('json'), async (datos, emisor) => prepararComprobante(datos, emisor, { tipo: 'I' })) as never;

export const listarHandler: RouteHandler<typeof listar, AppEnv> = async (c) => {
  const q = c.req.valid('query');
  const rows = await listarFacturas(
    getDb(c.env),
    tenantOf(c),
    { status: q.status, tipo: q.tipo, receptorRfc: q.receptor_rfc, desde: q.desde, hasta: q.hasta },
    q,
  );
  return c.json(toPage(rows, q.limit, facturaView), 200);
};

/** GET detail of any comprobante (the tipo-specific routes pass their tipo): view, history, balances. */
export async function detalle(c: Context<AppEnv>, id: string, tipo?: TipoComprobante) {
  const t = tenantOf(c);
  const db = getDb(c.env);
  const f = await cargarFactura(db, t, id, tipo);
  return { ...facturaView(f), historial: await historial(db, t, f.id), ...(await relacionesDe(db, t, f)) };
}

export const obtenerHandler: RouteHandler<typeof obtener, AppEnv> = async (c) => c.json(await detalle(c, c.req.valid('param').id), 200);

const descargar = (campo: 'xml_key' | 'pdf_key', tipo: string, ext: string) =>
  (async (c) => {
    const f = await cargarFactura(getDb(c.env), tenantOf(c), c.req.param('id')!);
    const key = f[campo];
    if (!key) throw new DomainError('factura_no_timbrada', 'conflict', `El comprobante está ${f.status}: aún no tiene ${ext.toUpperCase()}.`);
    const obj = await c.env.CFDI_BUCKET.get(key);
    if (!obj) throw new DomainError('archivo_no_disponible', 'not_found', 'El archivo no está disponible.');
    return new Response(obj.body, {
      headers: {
        'Content-Type': tipo,
        'Content-Disposition': `attachment; filename="${f.serie}${f.folio}-${f.uuid}.${ext}"`,
        'X-Request-Id': c.get('requestId'),
      },
    });
  }) satisfies RouteHandler<typeof xml | typeof pdf, AppEnv>;

export const xmlHandler = descargar('xml_key', 'application/xml; charset=utf-8', 'xml');
export const pdfHandler = descargar('pdf_key', 'application/pdf', 'pdf');
