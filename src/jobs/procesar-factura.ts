import { eq, sql } from 'drizzle-orm';
import { emitir } from '../cfdi';
import { facturas } from '../db/schema';
import type { Deps } from '../deps';
import type { JobResult } from '../lib/queue';
import { backoffSeconds } from '../lib/retry';
import { tenantDb, tenantOfRow } from '../lib/tenancy';
import type { PacError, Timbre } from '../pac/types';
import { cargarAplicacion, claveArchivo, datosDe, emisorDe } from '../services/comprobantes';
import { csdDeAplicacion } from '../services/csd';
import { aplicarCambio, cambiarEstado, type Factura } from '../services/estado';
import { liberarAplicaciones } from '../services/saldos';
import { despacharEvento, despacharPendientes } from '../webhooks/events';

// ProcesarFacturaJob: pendiente → timbrada | rechazada | error, for every tipo de comprobante (the fiscal
// core's registry knows how each is built). At-least-once safe: it re-reads the row, acts only on
// `pendiente`, seals the same bytes every time (fecha and folio are fixed on the row, the RSA sello is
// deterministic), and a PAC that already stamped those bytes returns the same stamp. The stamp is all it
// stores: seal → PAC → XML in R2 → state + event; the PDF is drawn on its first download.

export const MAX_INTENTOS = 5;

export async function procesarFactura(deps: Deps, id: string, intento: number): Promise<JobResult> {
  // The job acts for the row's own tenant: the id came from our queue, not from a client.
  const factura = await deps.db.select().from(facturas).where(eq(facturas.id, id)).get();
  if (!factura) return { action: 'ack' };
  if (factura.status !== 'pendiente') {
    // Done before (a redelivery): only make sure its events reached the webhooks.
    await despacharPendientes(deps, { facturaId: factura.id });
    return { action: 'ack' };
  }
  const app = await cargarAplicacion(deps, { applicationId: factura.client_application_id });
  const csd = await csdDeAplicacion(deps.masterKey, app);
  if (!csd) return finalizar(deps, factura, 'error', {}, [{ code: 'csd_no_configurado', message: 'La aplicación no tiene un CSD cargado.' }]);

  const datos = { ...(await datosDe(deps, factura)), serie: factura.serie, folio: factura.folio, fecha: factura.fecha };
  const emision = await emitir(factura.tipo, datos, emisorDe(app), csd, { ahora: deps.clock() });
  if (!emision.ok) {
    // Valid when accepted, no longer at stamping time (e.g. older than 72 h): the client must resend.
    return finalizar(deps, factura, 'rechazada', {}, emision.errors.map((e) => ({ code: e.code ?? 'validacion', message: `${e.path}: ${e.message}` })));
  }

  const pac = deps.pac(factura.mode);
  if (!pac) {
    return finalizar(deps, factura, 'error', {}, [
      { code: 'pac_no_configurado', message: 'No hay un PAC configurado para el modo live; el comprobante no se timbró.' },
    ]);
  }
  const r = await pac.timbrar(emision.xml);
  if (r.ok) return guardarTimbre(deps, factura, r.timbre);
  if (r.tipo === 'rechazo') return finalizar(deps, factura, 'rechazada', {}, r.errores);

  // Transient: remember why and try again later; after the last try the message goes to the DLQ.
  await deps.db
    .update(facturas)
    .set({ intentos: sql`${facturas.intentos} + 1`, errores: r.errores })
    .where(eq(facturas.id, factura.id));
  return { action: 'retry', delaySeconds: backoffSeconds(intento) };
}

async function guardarTimbre(deps: Deps, factura: Factura, timbre: Timbre): Promise<JobResult> {
  const xmlKey = claveArchivo(factura, timbre.uuid, 'xml');
  // The file first: a row that says timbrada always has it. Re-putting the same bytes is harmless.
  await deps.bucket.put(xmlKey, timbre.xml, { httpMetadata: { contentType: 'application/xml; charset=utf-8' } });
  return finalizar(deps, factura, 'timbrada', {
    uuid: timbre.uuid,
    fecha_timbrado: timbre.fechaTimbrado,
    no_certificado_sat: timbre.noCertificadoSAT,
    xml_key: xmlKey,
    errores: null,
  });
}

async function finalizar(
  deps: Deps,
  factura: Factura,
  status: 'timbrada' | 'rechazada' | 'error',
  cambios: Partial<Factura>,
  errores?: PacError[],
): Promise<JobResult> {
  const { d1 } = tenantDb(deps, tenantOfRow(factura));
  const cambio = cambiarEstado(d1, factura, status, { ...cambios, ...(errores ? { errores } : {}) }, deps.clock());
  // A P or E that will never be valid gives back the balance it reserved on its invoices.
  if (factura.tipo !== 'I' && status !== 'timbrada') cambio.statements.push(liberarAplicaciones(d1, factura.id));
  const eventoId = await aplicarCambio(d1, cambio);
  if (eventoId) await despacharEvento(deps, eventoId);
  return { action: 'ack' };
}

/** Dead-letter consumer: the retries are spent, so the invoice ends as `error` with the last reason. */
export async function agotarReintentos(deps: Deps, id: string): Promise<void> {
  const factura = await deps.db.select().from(facturas).where(eq(facturas.id, id)).get();
  if (!factura || factura.status !== 'pendiente') return;
  const ultimo = factura.errores?.[0];
  await finalizar(deps, factura, 'error', {}, [
    { code: 'reintentos_agotados', message: `El PAC no respondió tras ${factura.intentos} intentos${ultimo ? `: ${ultimo.message}` : '.'}` },
  ]);
}
