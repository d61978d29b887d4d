import { facturas, type FacturaStatus } from '../db/schema';
import { uuidv7 } from '../lib/ids';

// The invoice state machine. A status changes only here, together with its event row in the same
// D1 batch, and only from the states the transition allows (so a redelivered job changes nothing).

export type Factura = typeof facturas.$inferSelect;

export const TRANSICIONES: Record<FacturaStatus, readonly FacturaStatus[]> = {
  // a draft is edited in place; sent to stamp, it takes its folio and enters the pipeline
  borrador: ['pendiente'],
  pendiente: ['timbrada', 'rechazada', 'error'],
  timbrada: ['cancelacion_pendiente'],
  rechazada: [],
  error: [],
  cancelacion_pendiente: ['cancelada', 'cancelacion_rechazada'],
  cancelada: [],
  cancelacion_rechazada: ['cancelacion_pendiente'],
};

/** A stamped CFDI that is valid before the SAT and may be cancelled, paid or credited. */
export const VIGENTES = ['timbrada', 'cancelacion_rechazada'] as const satisfies readonly FacturaStatus[];

export const PREFIJO_EVENTO = { I: 'factura', E: 'nota_credito', P: 'complemento_pago', N: 'recibo_nomina', T: 'traslado' } as const;

/** The kinds whose noun is masculine: their events say recibo_nomina.timbrado, traslado.cancelado. */
const MASCULINOS: ReadonlySet<Factura['tipo']> = new Set(['N', 'T']);
const PARTICIPIOS: Partial<Record<FacturaStatus, string>> = { timbrada: 'timbrado', rechazada: 'rechazado', cancelada: 'cancelado' };

/** Event type of a status for a tipo de comprobante: factura.timbrada, nota_credito.cancelada, recibo_nomina.timbrado, … */
export const tipoEvento = (tipo: Factura['tipo'], status: FacturaStatus) =>
  `${PREFIJO_EVENTO[tipo]}.${(MASCULINOS.has(tipo) && PARTICIPIOS[status]) || status}`;

/**
 * What an event says about its comprobante: the state it reached, in the API's vocabulary. It is data,
 * not an HTTP view: it carries no links (the API adds them when it answers; src/routes/comprobantes.views.ts).
 */
export function datosComprobante(f: Factura) {
  return {
    id: f.id,
    tipo: f.tipo,
    status: f.status,
    mode: f.mode,
    serie: f.serie,
    folio: f.folio,
    uuid: f.uuid,
    fecha: f.fecha,
    fecha_timbrado: f.fecha_timbrado,
    no_certificado_sat: f.no_certificado_sat,
    pac: f.pac,
    sustituye_a: f.sustituye_a,
    receptor: { rfc: f.receptor_rfc, nombre: f.receptor_nombre },
    cliente_id: f.cliente_id,
    moneda: f.moneda,
    metodo_pago: f.metodo_pago,
    subtotal: f.subtotal,
    total: f.total,
    errores: f.errores ?? [],
    cancelacion: f.cancelacion_motivo ? { motivo: f.cancelacion_motivo, folio_sustitucion: f.cancelacion_folio_sustitucion } : null,
    created_at: f.created_at,
    updated_at: f.updated_at,
  };
}

export interface CambioDeEstado {
  eventoId: string;
  statements: D1PreparedStatement[];
  /** The row as the transition leaves it, when its guard lets it through. */
  despues: Factura;
}

type Cambios = Partial<Omit<Factura, 'id' | 'status' | 'updated_at' | 'transicion_id'>>;

/**
 * The statements of a transition, to run in one D1 batch: the UPDATE guarded by the allowed source
 * states, and the event INSERT … SELECT that only finds its row if that very UPDATE happened (matched
 * by transicion_id = the new event's id, unique), so a lost race writes no event. updated_at stays a
 * plain RFC 3339 timestamp; the event carries the comprobante as it is after the change.
 */
export function cambiarEstado(
  d1: D1Database,
  factura: Factura,
  nuevo: FacturaStatus,
  cambios: Cambios,
  ahora: Date,
): CambioDeEstado {
  const desde = (Object.keys(TRANSICIONES) as FacturaStatus[]).filter((s) => TRANSICIONES[s].includes(nuevo));
  const cuando = ahora.toISOString();
  const eventoId = uuidv7(ahora.getTime());
  const cols = Object.entries(cambios);
  const despues: Factura = { ...factura, ...cambios, status: nuevo, updated_at: cuando, transicion_id: eventoId };
  const data = datosComprobante(despues);
  const update = d1
    .prepare(
      `UPDATE hexafac_facturas SET ${cols.map(([k]) => `${k} = ?, `).join('')}status = ?, updated_at = ?, transicion_id = ?
       WHERE id = ? AND status IN (${desde.map(() => '?').join(', ')})`,
    )
    .bind(...cols.map(([, v]) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : (v ?? null))), nuevo, cuando, eventoId, factura.id, ...desde);
  const insert = d1
    .prepare(
      `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, created_at)
       SELECT ?, client_application_id, mode, id, ?, ?, status, ?, ? FROM hexafac_facturas WHERE id = ? AND transicion_id = ?`,
    )
    .bind(eventoId, tipoEvento(factura.tipo, nuevo), factura.status, JSON.stringify(data), cuando, factura.id, eventoId);
  return { eventoId, statements: [update, insert], despues };
}

/** Applies a transition; returns the event id, or null when the invoice was no longer in a source state. */
export async function aplicarCambio(d1: D1Database, cambio: CambioDeEstado): Promise<string | null> {
  const [update] = await d1.batch(cambio.statements);
  return update!.meta.changes > 0 ? cambio.eventoId : null;
}
