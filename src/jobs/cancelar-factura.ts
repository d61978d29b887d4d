import { and, eq, isNull } from 'drizzle-orm';
import { instanteDeFechaLocal } from '../cfdi';
import { facturas } from '../db/schema';
import type { Deps } from '../deps';
import type { JobResult } from '../lib/queue';
import { backoffSeconds } from '../lib/retry';
import { DAY, HOUR, SECOND } from '../lib/time';
import type { MotivoCancelacion, PacError, SolicitudCancelacion } from '../pac/types';
import { transicionar } from '../services/cancelacion';
import { cargarAplicacion, claveArchivo } from '../services/comprobantes';
import { csdParaPac } from '../services/csd';
import { aplicarCambio, cambiarEstado, type Factura } from '../services/estado';
import { recibosTrasTransicion } from '../services/recibos';
import { eventoSustitucion } from '../services/sustitucion';
import { tenantDb, tenantOfRow } from '../lib/tenancy';
import { despacharEvento, despacharPendientes } from '../webhooks/events';

// CancelarFacturaJob: cancelacion_pendiente → cancelada | cancelacion_rechazada. At-least-once safe: it
// re-reads the row and acts only on cancelacion_pendiente. The request goes to the PAC once per
// cancellation: the acuse it answers is kept in R2 tagged with the row's transicion_id of that request (a
// fresh one for every new request), so a redelivered or later message only queries the status.
// A cancellation that awaits the receptor is re-checked by a new delayed message (not msg.retry: the
// receptor has three business days, more than the queue's max_retries would wait), sooner at first.
// The row's cancelacion_revisar_at says when that message is due: a message that comes well before it
// belongs to an older chain (a late duplicate, or the one the cron replaced) and stands down, and only
// the run that moves cancelacion_revisar_at (compare-and-set) schedules the next one. So there is
// always one chain of status checks, and the cron can re-send a lost one (src/jobs/barrido.ts).

const ack: JobResult = { action: 'ack' };
/** After this long without an answer (the SAT accepts by itself after three business days) we stop asking. */
export const PLAZO_MAXIMO_MS = 7 * DAY;
const CONSULTA_MAXIMA_S = (6 * HOUR) / SECOND;
/** The sandbox receptor answers at once; a real one takes hours or days. */
const PRIMERA_CONSULTA_S = { test: 1, live: 60 } as const;
/** Queues deliver a delayed message no sooner than asked; this absorbs clock differences. */
const ANTICIPO_TOLERADO_MS = 30 * SECOND;

/** Delay before the next status query: a quarter of the time waited so far, within [first, 6 h]. */
export function esperaConsulta(mode: Factura['mode'], esperadoMs: number): number {
  return Math.min(Math.max(PRIMERA_CONSULTA_S[mode], Math.ceil(esperadoMs / 4000)), CONSULTA_MAXIMA_S);
}

/** FechaTimbrado is the PAC's local time in the centre zone, as PACs write it. */
const instanteTimbrado = (fecha: string) => instanteDeFechaLocal(fecha, 'America/Mexico_City').toISOString();

/** The tag of one cancellation request: set by the transition that made it (legacy rows: their updated_at). */
const solicitudDe = (f: Factura) => f.transicion_id ?? f.updated_at;

export async function procesarCancelacion(deps: Deps, id: string, intento: number): Promise<JobResult> {
  // The job acts for the row's own tenant: the id came from our queue, not from a client.
  const factura = await deps.db.select().from(facturas).where(eq(facturas.id, id)).get();
  if (!factura) return ack;
  // Events whose fan-out failed before (the request's own, or a redelivery's) go out first, in order.
  await despacharPendientes(deps, { facturaId: factura.id });
  if (factura.status !== 'cancelacion_pendiente' || !factura.uuid) return ack;
  const now = deps.clock;
  const revisar = factura.cancelacion_revisar_at;
  if (revisar && Date.parse(revisar) > now().getTime() + ANTICIPO_TOLERADO_MS) return ack;

  const app = await cargarAplicacion(deps, { applicationId: factura.client_application_id });
  // The PAC that stamped it (any PAC can cancel at the SAT, but that one certainly has the CFDI), else the first.
  const pac = (factura.pac && deps.pacs.porNombre(factura.mode, factura.pac)) || deps.pacs.de(factura.mode, app)[0];
  const csd = await csdParaPac(deps.masterKey, app);
  if (!pac || !csd) {
    const message = !pac
      ? 'No hay un PAC configurado para el modo live; el CFDI no se canceló y sigue vigente.'
      : 'La aplicación no tiene un CSD cargado para firmar la cancelación; el CFDI sigue vigente.';
    await transicionar(deps, factura, 'cancelacion_rechazada', { errores: [{ code: !pac ? 'pac_no_configurado' : 'csd_no_configurado', message }] });
    return ack;
  }
  const solicitud: SolicitudCancelacion = {
    rfcEmisor: app.rfc,
    rfcReceptor: factura.receptor_rfc,
    total: factura.total,
    uuid: factura.uuid,
    motivo: factura.cancelacion_motivo as MotivoCancelacion,
    ...(factura.cancelacion_folio_sustitucion ? { folioSustitucion: factura.cancelacion_folio_sustitucion } : {}),
    ...(factura.fecha_timbrado ? { timbradoEn: instanteTimbrado(factura.fecha_timbrado) } : {}),
    csd,
    cuenta: factura.client_application_id,
    ...(factura.simulacion ? { simulacion: factura.simulacion } : {}),
  };
  const acuseKey = claveArchivo(factura, factura.uuid, 'acuse.xml');
  const enviada = await deps.bucket.head(acuseKey);
  if (enviada?.customMetadata?.solicitud === solicitudDe(factura)) {
    return consultar(deps, factura, solicitud, acuseKey, now, now().getTime() - enviada.uploaded.getTime(), intento);
  }

  const r = await pac.cancelar(solicitud);
  if (!r.ok && r.tipo === 'transitorio') return reintentar(deps, factura, r.errores, intento);
  if (!r.ok) {
    await transicionar(deps, factura, 'cancelacion_rechazada', { errores: r.errores });
    return ack;
  }
  // The acuse first: a row that says cancelada always has it, and its tag says "already requested".
  await deps.bucket.put(acuseKey, r.acuse, {
    httpMetadata: { contentType: 'application/xml; charset=utf-8' },
    customMetadata: { solicitud: solicitudDe(factura) },
  });
  if (r.estado === 'cancelada') {
    await cancelada(deps, factura, acuseKey);
    return ack;
  }
  return programarConsulta(deps, factura, now, 0);
}

/** The request reached the PAC before: ask how it ended (cancelled, refused by the receptor, still waiting). */
async function consultar(
  deps: Deps,
  factura: Factura,
  s: SolicitudCancelacion,
  acuseKey: string,
  now: () => Date,
  esperadoMs: number,
  intento: number,
): Promise<JobResult> {
  let estado;
  try {
    estado = await deps.pacs.consultaSat(factura.mode).consultar({
      rfcEmisor: s.rfcEmisor,
      rfcReceptor: s.rfcReceptor,
      total: s.total,
      uuid: s.uuid,
      cuenta: s.cuenta,
      ...(s.simulacion ? { simulacion: s.simulacion } : {}),
    });
  } catch (err) {
    const errores = (err as { errores?: PacError[] }).errores ?? [{ code: 'consulta_fallida', message: (err as Error).message }];
    return reintentar(deps, factura, errores, intento);
  }
  if (estado.estado === 'cancelado') {
    await cancelada(deps, factura, acuseKey);
    return ack;
  }
  if (/rechazad/i.test(estado.estatusCancelacion ?? '')) {
    await transicionar(deps, factura, 'cancelacion_rechazada', {
      errores: [{ code: 'rechazada_por_receptor', message: 'El receptor rechazó la solicitud de cancelación. El CFDI sigue vigente.' }],
    });
    return ack;
  }
  if (esperadoMs > PLAZO_MAXIMO_MS) {
    await transicionar(deps, factura, 'cancelacion_rechazada', {
      errores: [
        {
          code: 'sin_confirmacion',
          message: `El SAT no confirmó la cancelación en ${PLAZO_MAXIMO_MS / DAY} días (estado: ${estado.estado}${estado.estatusCancelacion ? `, ${estado.estatusCancelacion}` : ''}); consulta el CFDI en el SAT antes de volver a solicitarla.`,
        },
      ],
    });
    return ack;
  }
  return programarConsulta(deps, factura, now, esperadoMs);
}

/** The end of a cancellation; when it ends a sustitución, the same batch records `factura.sustituida`. */
async function cancelada(deps: Deps, factura: Factura, acuseKey: string): Promise<void> {
  const { d1 } = tenantDb(deps, tenantOfRow(factura));
  const cambio = cambiarEstado(d1, factura, 'cancelada', { acuse_key: acuseKey, errores: null }, deps.clock());
  const sustitucion = await eventoSustitucion(deps, factura, cambio);
  if (sustitucion) cambio.statements.push(sustitucion.statement);
  // a cancelled recibo CFDI or factura global gives its recibos back
  cambio.statements.push(...recibosTrasTransicion(d1, factura, cambio));
  if (!(await aplicarCambio(d1, cambio))) return;
  await despacharEvento(deps, cambio.eventoId);
  if (sustitucion) await despacharEvento(deps, sustitucion.eventoId);
}

async function programarConsulta(deps: Deps, factura: Factura, now: () => Date, esperadoMs: number): Promise<JobResult> {
  const delaySeconds = esperaConsulta(factura.mode, esperadoMs);
  // Only the run that still sees the due time it read schedules the next check (one chain, see above).
  const anterior = factura.cancelacion_revisar_at;
  const tomado = await deps.db
    .update(facturas)
    .set({ cancelacion_revisar_at: new Date(now().getTime() + delaySeconds * 1000).toISOString() })
    .where(
      and(
        eq(facturas.id, factura.id),
        eq(facturas.status, 'cancelacion_pendiente'),
        anterior ? eq(facturas.cancelacion_revisar_at, anterior) : isNull(facturas.cancelacion_revisar_at),
      ),
    )
    .run();
  if (!tomado.meta.changes) return ack;
  try {
    await deps.queue.send({ kind: 'cancelar', id: factura.id }, { delaySeconds });
  } catch {
    // Could not queue the next query: let this very message come back instead.
    return { action: 'retry', delaySeconds };
  }
  return ack;
}

/** Transient failure: keep the reason on the row (without a transition: the request keeps its tag) and retry. */
async function reintentar(deps: Deps, factura: Factura, errores: PacError[], intento: number): Promise<JobResult> {
  await deps.db
    .update(facturas)
    .set({ errores })
    .where(and(eq(facturas.id, factura.id), eq(facturas.status, 'cancelacion_pendiente')));
  return { action: 'retry', delaySeconds: backoffSeconds(intento) };
}

/** Dead-letter consumer: the retries are spent, so the request ends as cancelacion_rechazada with the last reason. */
export async function agotarReintentosCancelacion(deps: Deps, id: string): Promise<void> {
  const factura = await deps.db.select().from(facturas).where(eq(facturas.id, id)).get();
  if (!factura || factura.status !== 'cancelacion_pendiente') return;
  const ultimo = factura.errores?.[0]?.message;
  const enviada = factura.uuid ? await deps.bucket.head(claveArchivo(factura, factura.uuid, 'acuse.xml')) : null;
  const message =
    enviada?.customMetadata?.solicitud === solicitudDe(factura)
      ? `El PAC recibió la solicitud pero no se pudo confirmar su resultado${ultimo ? ` (${ultimo})` : ''}; consulta el CFDI en el SAT antes de volver a solicitarla.`
      : `El PAC no respondió tras los reintentos${ultimo ? ` (${ultimo})` : ''}; la cancelación no se envió. El CFDI sigue vigente.`;
  await transicionar(deps, factura, 'cancelacion_rechazada', { errores: [{ code: 'reintentos_agotados', message }] });
}
