import { facturas, type FacturaStatus } from '../db/schema';
import { uuidv7 } from '../lib/ids';

// The invoice state machine. A status changes only here, together with its event row in the same
// D1 batch, and only from the states the transition allows (so a redelivered job changes nothing).

export type Factura = typeof facturas.$inferSelect;

export const TRANSICIONES: Record<FacturaStatus, readonly FacturaStatus[]> = {
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

export const PREFIJO_EVENTO = { I: 'factura', E: 'nota_credito', P: 'complemento_pago' } as const;

/** Event type of a status for a tipo de comprobante: factura.timbrada, nota_credito.cancelada, … */
export const tipoEvento = (tipo: Factura['tipo'], status: FacturaStatus) => `${PREFIJO_EVENTO[tipo]}.${status}`;

export interface CambioDeEstado {
  eventoId: string;
  statements: D1PreparedStatement[];
}

type Cambios = Partial<Omit<Factura, 'id' | 'status' | 'updated_at'>>;

/**
 * The statements of a transition, to run in one D1 batch: the UPDATE guarded by the allowed source
 * states, and the event INSERT … SELECT that only finds its row if that very UPDATE happened (matched
 * by a unique updated_at marker), so a lost race writes no event. `extra` joins the same batch.
 */
export function cambiarEstado(
  d1: D1Database,
  factura: Pick<Factura, 'id' | 'tipo' | 'status'>,
  nuevo: FacturaStatus,
  cambios: Cambios,
  data: Record<string, unknown>,
): CambioDeEstado {
  const desde = (Object.keys(TRANSICIONES) as FacturaStatus[]).filter((s) => TRANSICIONES[s].includes(nuevo));
  const ahora = new Date().toISOString();
  const marca = `${ahora.slice(0, -1)}${uuidv7().slice(-6)}Z`;
  const eventoId = uuidv7();
  const cols = Object.entries(cambios);
  const update = d1
    .prepare(
      `UPDATE hexafac_facturas SET ${cols.map(([k]) => `${k} = ?, `).join('')}status = ?, updated_at = ?
       WHERE id = ? AND status IN (${desde.map(() => '?').join(', ')})`,
    )
    .bind(...cols.map(([, v]) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : (v ?? null))), nuevo, marca, factura.id, ...desde);
  const insert = d1
    .prepare(
      `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, created_at)
       SELECT ?, client_application_id, mode, id, ?, ?, status, ?, ? FROM hexafac_facturas WHERE id = ? AND status = ? AND updated_at = ?`,
    )
    .bind(eventoId, tipoEvento(factura.tipo, nuevo), factura.status, JSON.stringify(data), ahora, factura.id, nuevo, marca);
  return { eventoId, statements: [update, insert] };
}

/** Applies a transition; returns the event id, or null when the invoice was no longer in a source state. */
export async function aplicarCambio(d1: D1Database, cambio: CambioDeEstado): Promise<string | null> {
  const [update] = await d1.batch(cambio.statements);
  return update!.meta.changes > 0 ? cambio.eventoId : null;
}
