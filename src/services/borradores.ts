import { eq } from 'drizzle-orm';
import { comprobanteXml, generarPdf } from '../cfdi';
import { facturas } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { elComprobanteEsta } from '../lib/mensajes';
import { tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import { pdfDe, type Archivo } from './archivos';
import { COMPLEMENTO_PAGO } from './complementos-pago';
import { cargarComprobante, datosDe, type Aplicacion, type TipoComprobante } from './comprobantes';
import {
  comprobantePreparado,
  datosParaTimbrar,
  detallesDe,
  ejecutarConFolio,
  encolarTimbrado,
  folioSql,
  guardarDatos,
  preparar,
  serieDe,
  type Aceptada,
  type OpcionesAceptar,
  type Solicitud,
  type TipoEmision,
} from './emision';
import { cambiarEstado, type Factura } from './estado';
import { FACTURA } from './facturas';
import { marcaPdf } from './marca';
import { NOTA_CREDITO } from './notas-credito';
import { despacharEvento } from '../webhooks/events';

// Borradores: a comprobante stored as its request (validated like any other, src/services/emision.ts), with no
// folio, no CSD needed, nothing reserved and no stamping job. It is edited in place by a JSON Merge Patch of that
// request, previewed as an unsigned PDF marked BORRADOR, discarded, or sent to stamp: prepared again (the Fecha
// becomes now unless the client fixed one) and moved to `pendiente` with its folio in one guarded batch.

// Only these kinds are kept as drafts: a recibo de nómina or a traslado is never stored as borrador.
const TIPOS: Partial<Record<TipoComprobante, TipoEmision>> = { I: FACTURA, E: NOTA_CREDITO, P: COMPLEMENTO_PAGO };
function tipoDe(f: Factura): TipoEmision {
  const tipo = TIPOS[f.tipo];
  if (!tipo) throw noBorrador(f, 'usar');
  return tipo;
}

/** A tenant's draft (of `tipo`, when the route is a kind's); any other status is a 409 that names it. */
async function cargarBorrador(deps: Deps, t: Tenant, id: string, que: string, tipo?: TipoComprobante): Promise<Factura> {
  const f = await cargarComprobante(deps, t, id, tipo);
  if (f.status !== 'borrador') throw noBorrador(f, que);
  return f;
}

const noBorrador = (f: Pick<Factura, 'status'>, que: string) =>
  new DomainError('comprobante_no_borrador', 'conflict', `${elComprobanteEsta(f.status)}: solo un borrador se puede ${que}.`);

/** After a guarded write matched nothing: the draft left borrador (or was discarded) meanwhile. */
async function yaNoEsBorrador(deps: Deps, t: Tenant, id: string, que: string): Promise<DomainError> {
  const f = await cargarComprobante(deps, t, id);
  return noBorrador(f, que);
}

/** RFC 7396: objects merge key by key, null removes a key, anything else replaces. */
export function aplicarMergePatch(destino: unknown, parche: unknown): unknown {
  if (!esObjeto(parche)) return parche;
  const r: Record<string, unknown> = esObjeto(destino) ? { ...destino } : {};
  for (const [k, v] of Object.entries(parche)) {
    if (v === null) delete r[k];
    else r[k] = aplicarMergePatch(r[k], v);
  }
  return r;
}
const esObjeto = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface BorradorActualizado {
  factura: Factura;
  advertencias: ReturnType<typeof detallesDe>;
}

/**
 * PATCH of a draft: its stored request merged with the patch, prepared again as a whole (the same rules as its
 * creation) and stored only if valid, while it is still a borrador.
 */
export async function actualizarBorrador(
  deps: Deps,
  t: Tenant,
  id: string,
  parche: Record<string, unknown>,
  opts: { tipo?: TipoComprobante; aplicacion?: Aplicacion } = {},
): Promise<BorradorActualizado> {
  const f = await cargarBorrador(deps, t, id, 'modificar', opts.tipo);
  const tipo = tipoDe(f);
  const solicitud = aplicarMergePatch(await datosDe(deps, f), parche) as Solicitud;
  const { clienteId, app, prep: preparado } = await preparar(deps, t, tipo, solicitud, { aplicacion: opts.aplicacion, exigirCsd: false });
  const { comprobante: c, advertencias } = comprobantePreparado(preparado);
  const guardados = await guardarDatos(deps, t, c.fecha, `datos/${f.id}-${uuidv7()}`, solicitud);
  const ahora = deps.clock().toISOString();
  const cambios = {
    serie: serieDe(app, tipo, c),
    cliente_id: clienteId ?? null,
    receptor_rfc: c.receptor.rfc,
    receptor_nombre: c.receptor.nombre,
    moneda: c.moneda,
    metodo_pago: c.metodoPago ?? null,
    subtotal: c.subTotal,
    total: c.total,
    fecha: c.fecha,
    datos: guardados.fila,
    datos_key: guardados.datosKey,
    updated_at: ahora,
  };
  // a draft is edited in place: no status change, no event
  const { db } = tenantDb(deps, t);
  const r = await db
    .update(facturas)
    .set(cambios)
    .where(tenantWhere(facturas, t, eq(facturas.id, f.id), eq(facturas.status, 'borrador')))
    .run();
  if (r.meta.changes === 0) {
    if (guardados.datosKey) deps.defer(deps.bucket.delete(guardados.datosKey));
    throw await yaNoEsBorrador(deps, t, f.id, 'modificar');
  }
  if (f.datos_key) deps.defer(deps.bucket.delete(f.datos_key));
  return { factura: { ...f, ...cambios }, advertencias: detallesDe(advertencias ?? []) };
}

/**
 * Sends a draft to stamp: its request prepared again now (a draft that no longer passes the rules is a 422 and stays
 * a borrador), then, in one batch, its folio (the given one or the serie's next), the guarded transition
 * borrador → pendiente with its event, the kind's reservations (a nota de crédito's aplicaciones) and the
 * Idempotency-Key's answer; then the stamping job, as for any accepted comprobante.
 */
export async function timbrarBorrador(
  deps: Deps,
  t: Tenant,
  id: string,
  opts: Pick<OpcionesAceptar, 'idempotencyKey' | 'aplicacion' | 'simulacion'> & { tipo?: TipoComprobante } = {},
): Promise<Idempotent<Aceptada>> {
  const idem = { key: opts.idempotencyKey, operation: 'borradores.timbrar', input: { id, simulacion: opts.simulacion ?? null } };
  return withIdempotency(deps, t, idem, async (recibo) => {
    const f = await cargarBorrador(deps, t, id, 'timbrar', opts.tipo);
    const tipo = tipoDe(f);
    const { datos, clienteId, app, prep: preparado } = await preparar(deps, t, tipo, (await datosDe(deps, f)) as Solicitud, {
      aplicacion: opts.aplicacion,
      exigirCsd: true,
    });
    const prep = comprobantePreparado(preparado);
    const c = prep.comprobante;
    const serie = serieDe(app, tipo, c);
    const { d1 } = tenantDb(deps, t);
    // its own key: a concurrent call that loses deletes what it wrote, never the winner's copy
    const guardados = await guardarDatos(deps, t, c.fecha, `datos/${f.id}-${uuidv7()}`, datosParaTimbrar(prep.datos ?? datos, serie, c));
    const cambio = cambiarEstado(
      d1,
      f,
      'pendiente',
      {
        serie,
        cliente_id: clienteId ?? null,
        receptor_rfc: c.receptor.rfc,
        receptor_nombre: c.receptor.nombre,
        moneda: c.moneda,
        metodo_pago: c.metodoPago ?? null,
        subtotal: c.subTotal,
        total: c.total,
        fecha: c.fecha,
        datos: guardados.fila,
        datos_key: guardados.datosKey,
        ...(opts.simulacion ? { simulacion: opts.simulacion } : {}),
      },
      deps.clock(),
    );
    const aceptada: Aceptada = { id: f.id, status: 'pendiente', advertencias: detallesDe(prep.advertencias ?? []) };
    const folio = folioSql(d1, t, serie, c.folio);
    const [transicion, evento] = cambio.statements;
    const statements = [
      ...(folio.avanzar ? [folio.avanzar] : []),
      // the folio is set while the row is still a draft (outside the unique index); the transition brings it in
      d1.prepare(`UPDATE hexafac_facturas SET folio = ${folio.sql} WHERE id = ? AND status = 'borrador'`).bind(...folio.params, f.id),
      transicion!,
      evento!,
      // the event carries the comprobante as the transition left it, folio included (it is only known in SQL)
      d1
        .prepare(`UPDATE hexafac_eventos SET data = json_set(data, '$.folio', (SELECT folio FROM hexafac_facturas WHERE id = ?)) WHERE id = ?`)
        .bind(f.id, cambio.eventoId),
      // Nothing of this batch may stay unless its own transition happened (a concurrent timbrar won): folio NULL
      // breaks NOT NULL and so rolls the whole batch back, the folio and the reservations with it.
      d1.prepare(`UPDATE hexafac_facturas SET folio = NULL WHERE id = ? AND transicion_id IS NOT ?`).bind(f.id, cambio.eventoId),
      ...(prep.extra?.(f.id) ?? []),
      ...(await recibo(aceptada)),
    ];
    try {
      await ejecutarConFolio(deps, statements, folio, guardados.datosKey);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      const sigue = await cargarComprobante(deps, t, f.id);
      if (sigue.status !== 'borrador') throw noBorrador(sigue, 'timbrar');
      throw err;
    }
    if (f.datos_key) deps.defer(deps.bucket.delete(f.datos_key));
    // not a webhook event: dispatching only marks it done
    deps.defer(despacharEvento(deps, cambio.eventoId));
    deps.defer(encolarTimbrado(deps, f.id));
    return aceptada;
  });
}

/** Discards a draft: it never was a CFDI (no folio, never at a PAC), so its row and history go. */
export async function descartarBorrador(deps: Deps, t: Tenant, id: string, opts: { tipo?: TipoComprobante } = {}): Promise<void> {
  const f = await cargarBorrador(deps, t, id, 'descartar', opts.tipo);
  const { d1 } = tenantDb(deps, t);
  const [, borrado] = await d1.batch([
    d1
      .prepare(`DELETE FROM hexafac_eventos WHERE factura_id = ? AND EXISTS (SELECT 1 FROM hexafac_facturas WHERE id = ? AND status = 'borrador')`)
      .bind(f.id, f.id),
    d1.prepare(`DELETE FROM hexafac_facturas WHERE id = ? AND client_application_id = ? AND mode = ? AND status = 'borrador'`).bind(f.id, t.applicationId, t.mode),
  ]);
  if (borrado!.meta.changes === 0) throw await yaNoEsBorrador(deps, t, f.id, 'descartar');
  if (f.datos_key) deps.defer(deps.bucket.delete(f.datos_key));
}

/** The watermark of a draft's preview. */
export const MARCA_AGUA_BORRADOR = 'BORRADOR';

/**
 * GET …/pdf of any comprobante: a draft's is a preview rendered now from its unsigned XML, marked BORRADOR and never
 * cached (it changes with every PATCH and is not the CFDI's PDF); any other's is the stamped one (src/services/archivos.ts).
 */
export async function pdfDeComprobante(deps: Deps, t: Tenant, id: string): Promise<Archivo> {
  const f = await cargarComprobante(deps, t, id);
  if (f.status !== 'borrador') return pdfDe(deps, t, id);
  const tipo = tipoDe(f);
  const { app, prep } = await preparar(deps, t, tipo, (await datosDe(deps, f)) as Solicitud, { exigirCsd: false });
  const c = comprobantePreparado(prep).comprobante;
  const xml = comprobanteXml({ ...c, serie: serieDe(app, tipo, c) });
  // with the issuer's branding, as its PDF will look; no sandbox band: it says the sandbox stamped it, and no one did
  const marca = await marcaPdf(deps, app);
  const pdf = await generarPdf(xml, { marcaAgua: MARCA_AGUA_BORRADOR, ...(marca ? { marca } : {}) });
  return { body: pdf, contentType: 'application/pdf', nombre: `borrador-${f.id}.pdf` };
}
