import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireAuth } from '../lib/auth';
import type { AppEnv } from '../lib/context';
import { errorResponses, jsonContent, SimulableHeadersSchema } from '../lib/openapi';
import { tenantOf } from '../lib/tenancy';
import { actualizarBorrador, descartarBorrador, timbrarBorrador } from '../services/borradores';
import type { TipoComprobante } from '../services/comprobantes';
import { crearBorrador, type TipoEmision } from '../services/emision';
import { esBorrador, solicitudDe } from './comprobantes.mapper';
import { AceptadaSchema, BorradorCambiosSchema, BorradorSchema, IdParamsSchema } from './comprobantes.schemas';
import { respuesta202, respuestaAceptada, respuestaBorrador, vistaBorrador } from './comprobantes.views';
import type { Aceptada, OpcionesAceptar, Solicitud } from '../services/emision';
import type { Idempotent } from '../lib/idempotency';
import type { Deps } from '../deps';
import type { Tenant } from '../lib/tenancy';

// The borrador routes of the kinds that have drafts (facturas, notas de crédito): their creation's 201 besides the
// 202, PATCH of the stored request, POST …/{id}/timbrar and DELETE, defined once here like comprobantes.validar.ts.

/** The 201 of a creating route that may store a draft; documented beside its 202. */
export const respuestaBorradorCreado = {
  201: {
    ...jsonContent(BorradorSchema, 'Guardado como borrador (`borrador: true`): no se timbra hasta POST …/{id}/timbrar.'),
    headers: z.object({ Location: z.string() }),
  },
};

/**
 * The creating handler of a kind with drafts: `borrador: true` stores it (201), anything else accepts it for
 * stamping (202).
 */
export function crearComprobante(
  c: Context<AppEnv>,
  tipo: TipoEmision,
  aceptar: (deps: Deps, t: Tenant, solicitud: Solicitud, opts?: OpcionesAceptar) => Promise<Idempotent<Aceptada>>,
) {
  const body = c.req.valid('json' as never) as object;
  const [solicitud, opts] = solicitudDe(c, body);
  return esBorrador(body)
    ? crearBorrador(c.var.deps, tenantOf(c), tipo, solicitud, opts).then((r) => respuestaBorrador(c, r))
    : aceptar(c.var.deps, tenantOf(c), solicitud, opts).then((r) => respuestaAceptada(c, r));
}

interface Ruta {
  /** '/facturas' or '/notas-credito' */
  base: string;
  tags: string[];
  /** 'el borrador' of this kind, for the texts. */
  que: string;
  /** operationId suffix: '' for facturas (any kind's draft), 'NotaCredito'. */
  sufijo: string;
}

export function rutaActualizar(r: Ruta) {
  return createRoute({
    method: 'patch',
    path: `${r.base}/{id}`,
    operationId: `actualizarBorrador${r.sufijo}`,
    tags: r.tags,
    summary: `Modificar ${r.que}`,
    description:
      'JSON Merge Patch (RFC 7396) de la solicitud guardada; el resultado se valida completo con las reglas de la creación (422 con cada ' +
      'problema, y el borrador no cambia). Solo mientras el estado es `borrador` (si no, 409 `comprobante_no_borrador`). ' +
      'Para cambiar `cliente_id` por `receptor` envía `"cliente_id": null` junto con el receptor.',
    security: [{ bearerAuth: ['facturas:write'] }],
    middleware: [requireAuth('facturas:write')] as const,
    request: {
      params: IdParamsSchema,
      body: {
        content: {
          'application/merge-patch+json': { schema: BorradorCambiosSchema },
          'application/json': { schema: BorradorCambiosSchema },
        },
        required: true,
      },
    },
    responses: {
      200: jsonContent(BorradorSchema, 'El borrador modificado.'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
    },
  });
}

export function rutaTimbrar(r: Ruta) {
  return createRoute({
    method: 'post',
    path: `${r.base}/{id}/timbrar`,
    operationId: `timbrarBorrador${r.sufijo}`,
    tags: r.tags,
    summary: `Timbrar ${r.que}`,
    description:
      'Valida de nuevo la solicitud guardada (la `fecha` pasa a ser ahora, salvo que la solicitud la fije: el SAT exige timbrar dentro de ' +
      'las 72 h de la Fecha), le asigna su folio (el indicado o el siguiente de la serie) y la acepta para timbrado asíncrono como una ' +
      'creación: 202, estado `pendiente`. Si ya no cumple las reglas, 422 y sigue en borrador. Dos llamadas a la vez: una timbra y la ' +
      'otra recibe 409 `comprobante_no_borrador` (o, con la misma Idempotency-Key, la misma respuesta).',
    security: [{ bearerAuth: ['facturas:write'] }],
    middleware: [requireAuth('facturas:write')] as const,
    request: { params: IdParamsSchema, headers: SimulableHeadersSchema },
    responses: {
      202: { ...jsonContent(AceptadaSchema, 'Aceptado para timbrado.'), headers: z.object({ Location: z.string() }) },
      // No body is read, but one sent is still checked on the way in (size, Content-Type).
      ...errorResponses(401, 403, 404, 409, 413, 415, 422),
    },
  });
}

export function rutaDescartar(r: Ruta) {
  return createRoute({
    method: 'delete',
    path: `${r.base}/{id}`,
    operationId: `descartarBorrador${r.sufijo}`,
    tags: r.tags,
    summary: `Descartar ${r.que}`,
    description:
      'Borra definitivamente un borrador (nunca fue un CFDI: no tiene folio ni llegó al PAC); después responde 404. ' +
      'Un comprobante que no está en borrador no se borra: 409 `comprobante_no_borrador` (un CFDI timbrado se cancela).',
    security: [{ bearerAuth: ['facturas:write'] }],
    middleware: [requireAuth('facturas:write')] as const,
    request: { params: IdParamsSchema },
    responses: {
      204: { description: 'Borrador descartado.' },
      ...errorResponses(401, 403, 404, 409),
    },
  });
}

// `tipo`: the kind's routes act only on drafts of their kind; /facturas/{id} on any (as GET /facturas/{id} reads any).

export const handlerActualizar =
  (tipo?: TipoComprobante): RouteHandler<ReturnType<typeof rutaActualizar>, AppEnv> =>
  async (c) => {
    const r = await actualizarBorrador(c.var.deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json'), { tipo, aplicacion: c.get('application') });
    return c.json(vistaBorrador(r.factura, r.advertencias), 200);
  };

export const handlerTimbrar =
  (tipo?: TipoComprobante): RouteHandler<ReturnType<typeof rutaTimbrar>, AppEnv> =>
  async (c) => {
    const [, opts] = solicitudDe(c, {});
    const r = await timbrarBorrador(c.var.deps, tenantOf(c), c.req.valid('param').id, { ...opts, tipo });
    // the draft's own path, by its id (the request may have named it by its UUID)
    const self = c.req.path.replace(/\/[^/]+\/timbrar\/?$/, `/${r.value.id}`);
    return respuesta202(c, r, self, { ...r.value, links: { self } });
  };

export const handlerDescartar =
  (tipo?: TipoComprobante): RouteHandler<ReturnType<typeof rutaDescartar>, AppEnv> =>
  async (c) => {
    await descartarBorrador(c.var.deps, tenantOf(c), c.req.valid('param').id, { tipo });
    return c.body(null, 204);
  };
