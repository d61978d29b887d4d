import { eq, or } from 'drizzle-orm';
import { facturas, type FacturaStatus } from '../db/schema';
import type { Deps } from '../deps';
import { DomainError } from '../lib/errors';
import { isUuid } from '../lib/ids';
import { withIdempotency, type Idempotent, type Recibo } from '../lib/idempotency';
import { tenantDb, tenantOfRow, tenantWhere, type Tenant } from '../lib/tenancy';
import type { MotivoCancelacion, Simulacion } from '../pac/types';
import { despacharEvento } from '../webhooks/events';
import { cargarComprobante } from './comprobantes';
import { aplicarCambio, cambiarEstado, VIGENTES, type Factura } from './estado';
import { elComprobanteEsta } from '../lib/mensajes';

// Requesting a cancellation (API and admin panel alike): checks, timbrada|cancelacion_rechazada →
// cancelacion_pendiente with its event, then the queue's CancelarFactura job talks to the PAC.

export const MOTIVOS_CANCELACION = ['01', '02', '03', '04'] as const satisfies readonly MotivoCancelacion[];

export interface SolicitudCancelarFactura {
  motivo: string;
  /** SAT folio fiscal (or our id) of the CFDI that replaces this one; exactly for motivo 01. */
  folio_sustitucion?: string | null;
}

/** Statuses of a CFDI that is valid (vigente) at the SAT and may be cancelled, or may replace another. */
const CANCELABLES: readonly FacturaStatus[] = VIGENTES;

function noCancelable(f: Factura): DomainError {
  if (f.status === 'cancelacion_pendiente') {
    return new DomainError('cancelacion_en_curso', 'conflict', 'Ya hay una solicitud de cancelación en curso para este comprobante.');
  }
  if (f.status === 'cancelada') return new DomainError('ya_cancelada', 'conflict', 'El comprobante ya está cancelado.');
  return new DomainError('no_cancelable', 'conflict', `${elComprobanteEsta(f.status)}: solo un CFDI timbrado puede cancelarse.`);
}

const invalido = (path: string, message: string) => DomainError.validation([{ path, message }], 'La solicitud de cancelación no es válida.');

/** The SAT UUID of the replacing CFDI: stamped and vigente, same tenant and receptor, not the invoice itself. */
async function folioSustitucion(deps: Deps, t: Tenant, f: Factura, folio: string): Promise<string> {
  if (!isUuid(folio)) throw invalido('folio_sustitucion', 'Debe ser el folio fiscal (UUID) de un CFDI timbrado.');
  const sustituto = await tenantDb(deps, t)
    .db.select()
    .from(facturas)
    .where(tenantWhere(facturas, t, or(eq(facturas.id, folio.toLowerCase()), eq(facturas.uuid, folio.toUpperCase()))))
    .get();
  if (!sustituto || !sustituto.uuid || !CANCELABLES.includes(sustituto.status)) {
    throw invalido('folio_sustitucion', 'No hay un CFDI timbrado y vigente con ese folio fiscal en esta aplicación.');
  }
  if (sustituto.id === f.id) throw invalido('folio_sustitucion', 'Un comprobante no puede sustituirse a sí mismo.');
  if (sustituto.receptor_rfc !== f.receptor_rfc) {
    throw invalido('folio_sustitucion', `El CFDI sustituto es de otro receptor (${sustituto.receptor_rfc}); debe ser de ${f.receptor_rfc}.`);
  }
  return sustituto.uuid;
}

/**
 * Asks for the cancellation of a tenant's CFDI (our id or the SAT UUID): not_found when it is not the
 * tenant's, conflict unless it is timbrada or cancelacion_rechazada, invalid for the motivo /
 * folio_sustitucion. Moves it to cancelacion_pendiente and enqueues {kind:'cancelar'}; returns the row.
 */
export function cancelarComprobante(
  deps: Deps,
  t: Tenant,
  idOrUuid: string,
  s: SolicitudCancelarFactura,
  opts: { idempotencyKey?: string; simulacion?: Simulacion } = {},
): Promise<Idempotent<Factura>> {
  const idem = { key: opts.idempotencyKey, operation: `cancelar ${idOrUuid}`, input: s };
  return withIdempotency(deps, t, idem, (recibo) => solicitarCancelacion(deps, t, idOrUuid, s, recibo, opts.simulacion));
}

async function solicitarCancelacion(
  deps: Deps,
  t: Tenant,
  idOrUuid: string,
  s: SolicitudCancelarFactura,
  recibo: Recibo<Factura>,
  simulacion?: Simulacion,
): Promise<Factura> {
  const f = await cargarComprobante(deps, t, idOrUuid);
  if (!CANCELABLES.includes(f.status)) throw noCancelable(f);
  if (!(MOTIVOS_CANCELACION as readonly string[]).includes(s.motivo)) {
    throw invalido('motivo', 'Motivo de cancelación del SAT: 01, 02, 03 o 04.');
  }
  const folio = s.folio_sustitucion ?? undefined;
  if (s.motivo === '01' && !folio) throw invalido('folio_sustitucion', 'El motivo 01 requiere el folio fiscal del CFDI que sustituye a este.');
  if (s.motivo !== '01' && folio !== undefined) throw invalido('folio_sustitucion', 'Solo el motivo 01 lleva folio de sustitución.');
  const sustituto = folio ? await folioSustitucion(deps, t, f, folio) : null;

  const cambios = {
    cancelacion_motivo: s.motivo,
    cancelacion_folio_sustitucion: sustituto,
    cancelacion_revisar_at: deps.clock().toISOString(),
    acuse_key: null,
    errores: null,
    // test mode: how the sandbox answers this request (its stamping triggers are spent by now)
    ...(simulacion ? { simulacion } : {}),
  };
  const { d1 } = tenantDb(deps, t);
  const cambio = cambiarEstado(d1, f, 'cancelacion_pendiente', cambios, deps.clock());
  // The Idempotency-Key's answer is the row as this transition leaves it, stored only if the guard let it through.
  cambio.statements.push(
    ...(await recibo(cambio.despues, { where: 'EXISTS (SELECT 1 FROM hexafac_facturas WHERE id = ? AND transicion_id = ?)', params: [f.id, cambio.eventoId] })),
  );
  const eventoId = await aplicarCambio(d1, cambio);
  // A concurrent request won the transition: answer for the state it left.
  if (!eventoId) throw noCancelable(await cargarComprobante(deps, t, f.id));
  // The stored cancelacion_pendiente (due now) is the promise, as an accepted comprobante's row is: if the
  // message cannot be sent, the cron sweep sends it once overdue (src/jobs/barrido.ts).
  try {
    await deps.queue.send({ kind: 'cancelar', id: f.id });
  } catch (err) {
    deps.log.error('no se pudo encolar la cancelación; la reenviará el barrido', { id: f.id, error: (err as Error).message });
  }
  await despacharEvento(deps, eventoId);
  return cargarComprobante(deps, t, f.id);
}

/**
 * One transition of the cancellation with its event (the comprobante in its new state) and the webhook
 * fan-out. Returns false when the invoice was no longer in a state the transition starts from.
 */
export async function transicionar(
  deps: Pick<Deps, 'db' | 'd1' | 'webhookEndpoints' | 'clock'>,
  f: Factura,
  nuevo: FacturaStatus,
  cambios: Parameters<typeof cambiarEstado>[3],
): Promise<boolean> {
  const { d1 } = tenantDb(deps, tenantOfRow(f));
  const eventoId = await aplicarCambio(d1, cambiarEstado(d1, f, nuevo, cambios, deps.clock()));
  if (eventoId) await despacharEvento(deps, eventoId);
  return eventoId !== null;
}
