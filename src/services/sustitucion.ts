import { and, eq } from 'drizzle-orm';
import { facturas } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import type { Idempotent } from '../lib/idempotency';
import { uuidv7 } from '../lib/ids';
import { tenantDb, tenantOfRow, tenantWhere, type Tenant } from '../lib/tenancy';
import { cancelarComprobante } from './cancelacion';
import { cargarComprobante } from './comprobantes';
import type { Aceptada, OpcionesAceptar, Solicitud } from './emision';
import { datosComprobante, VIGENTES, type CambioDeEstado, type Factura } from './estado';
import { aceptarFactura } from './facturas';
import { elComprobanteEsta } from '../lib/mensajes';

// Sustitución in one call (motivo 01), in three steps that each survive a crash:
// 1. the replacement is accepted like any factura, related to the original with CfdiRelacionados 04 and
//    pointing at it (sustituye_a; a unique index keeps one live replacement per original);
// 2. once the replacement is timbrada, its stamping job asks for the original's cancellation with motivo 01
//    and the new UUID as FolioSustitucion (and again on a redelivery, until the original has left timbrada);
// 3. when the original is cancelada, the same batch records `factura.sustituida`.
// If the replacement is rejected, the original was never touched.

const TIPO_RELACION_SUSTITUCION = '04';

export async function sustituirFactura(deps: Deps, t: Tenant, id: string, solicitud: Solicitud, opts: OpcionesAceptar = {}): Promise<Idempotent<Aceptada>> {
  const original = await cargarComprobante(deps, t, id, 'I');
  if (!original.uuid || !(VIGENTES as readonly string[]).includes(original.status)) {
    throw new DomainError('no_sustituible', 'conflict', `${elComprobanteEsta(original.status)}: solo un CFDI timbrado y vigente puede sustituirse.`);
  }
  const relacionados = Array.isArray(solicitud.cfdi_relacionados) ? (solicitud.cfdi_relacionados as { tipo_relacion?: unknown }[]) : [];
  if (relacionados.some((r) => r?.tipo_relacion === TIPO_RELACION_SUSTITUCION)) {
    throw DomainError.validation([{ path: 'cfdi_relacionados', message: 'La relación 04 con el comprobante sustituido la agrega HexaFac; no la incluyas.' }]);
  }
  const conRelacion = { ...solicitud, cfdi_relacionados: [...relacionados, { tipo_relacion: TIPO_RELACION_SUSTITUCION, uuids: [original.uuid] }] };
  return aceptarFactura(deps, t, conRelacion, {
    ...opts,
    operacion: `facturas.sustituir ${original.id}`,
    sustituyeA: { id: original.id, receptorRfc: original.receptor_rfc },
  });
}

/** Step 2: the replacement is timbrada, so the original is cancelled with its UUID. Idempotent. */
export async function continuarSustitucion(deps: Deps, sustituta: Factura): Promise<void> {
  if (!sustituta.sustituye_a || !sustituta.uuid || sustituta.status !== 'timbrada') return;
  const t = tenantOfRow(sustituta);
  const original = await cargarComprobante(deps, t, sustituta.sustituye_a);
  // asked once already (whatever the receptor said then), or cancelled otherwise: nothing to do
  if (!(VIGENTES as readonly string[]).includes(original.status) || original.cancelacion_folio_sustitucion === sustituta.uuid) return;
  const cancelacion = sustituta.simulacion?.cancelacion;
  try {
    await cancelarComprobante(deps, t, original.id, { motivo: '01', folio_sustitucion: sustituta.uuid }, cancelacion ? { simulacion: { cancelacion } } : {});
  } catch (err) {
    // a concurrent run (or the client) asked first
    if (err instanceof DomainError && err.kind === 'conflict') return;
    throw err;
  }
}

/**
 * Step 3: the statement that records `factura.sustituida` in the batch that makes the original cancelada,
 * when a motivo 01 cancellation names a replacement of ours. Guarded like the transition's own event: it
 * only finds its row if that very UPDATE happened.
 */
export async function eventoSustitucion(deps: Pick<Deps, 'db' | 'd1' | 'clock'>, original: Factura, cambio: CambioDeEstado) {
  if (original.cancelacion_motivo !== '01' || !original.cancelacion_folio_sustitucion) return null;
  const t = tenantOfRow(original);
  const sustituta = await tenantDb(deps, t)
    .db.select()
    .from(facturas)
    .where(tenantWhere(facturas, t, and(eq(facturas.sustituye_a, original.id), eq(facturas.uuid, original.cancelacion_folio_sustitucion))))
    .get();
  if (!sustituta) return null;
  const eventoId = uuidv7(deps.clock().getTime());
  const data = { sustituida: datosComprobante(cambio.despues), sustituta: datosComprobante(sustituta) };
  const statement = deps.d1
    .prepare(
      `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, created_at)
       SELECT ?, client_application_id, mode, id, 'factura.sustituida', ?, status, ?, ? FROM hexafac_facturas WHERE id = ? AND transicion_id = ?`,
    )
    .bind(eventoId, original.status, JSON.stringify(data), deps.clock().toISOString(), original.id, cambio.eventoId);
  return { eventoId, statement };
}
