import { and, eq } from 'drizzle-orm';
import { emitir } from '../cfdi';
import { facturas } from '../db/schema';
import type { Deps } from '../deps';
import type { JobResult } from '../lib/queue';
import { backoffSeconds } from '../lib/retry';
import { tenantDb, tenantOfRow } from '../lib/tenancy';
import { timbrarConFailover } from '../pac/failover';
import type { PacError, Timbre } from '../pac/types';
import { cargarAplicacion, claveArchivo, datosDe, emisorDe } from '../services/comprobantes';
import { csdDeAplicacion } from '../services/csd';
import { aplicarCambio, cambiarEstado, type Factura } from '../services/estado';
import { encolarEnvioTrasTimbrado, enviosTrasTimbrado } from '../services/envios';
import { completarLote } from '../services/lotes';
import { liberarAplicaciones } from '../services/saldos';
import { eventoGlobalTimbrada } from '../services/factura-global';
import { recibosTrasTransicion } from '../services/recibos';
import { continuarSustitucion } from '../services/sustitucion';
import { despacharPendientes } from '../webhooks/events';

// ProcesarFacturaJob: pendiente → timbrada | rechazada | error, for every tipo de comprobante (the fiscal
// core's registry knows how each is built). At-least-once safe: it re-reads the row, acts only on
// `pendiente`, seals the same bytes every time (fecha and folio are fixed on the row, the RSA sello is
// deterministic), and a PAC that already stamped those bytes returns the same stamp. The stamp is all it
// stores: seal → the application's PACs in order (src/pac/failover.ts: never two of them for one CFDI) →
// XML in R2 → state + event; the PDF is drawn on its first download.
//
// Once the PAC has answered, the stamp exists at the SAT: it is stored before anything else and nothing
// after it can make the row `error`. If R2 refuses the XML, the row still becomes `timbrada` with the XML
// in it (xml_timbrado) and a visible `xml_sin_archivar` note; the same message comes back to copy it to
// R2, which is all a redelivery of a timbrada row does besides its webhooks.

/** The message comes back after the backoff of its delivery count. */
const reintentar = (intento: number): JobResult => ({ action: 'retry', delaySeconds: backoffSeconds(intento) });

export async function procesarFactura(deps: Deps, id: string, intento: number): Promise<JobResult> {
  // The job acts for the row's own tenant: the id came from our queue, not from a client.
  const factura = await deps.db.select().from(facturas).where(eq(facturas.id, id)).get();
  if (!factura) return { action: 'ack' };
  if (factura.status !== 'pendiente') {
    // Done before (a redelivery): only finish what followed the stamp.
    await despacharPendientes(deps, { facturaId: factura.id });
    if (factura.lote_id) await completarLote(deps, tenantOfRow(factura), factura.lote_id);
    if (factura.xml_timbrado !== null && !(await archivarXml(deps, factura, factura.xml_timbrado))) {
      return reintentar(intento);
    }
    await continuarSustitucion(deps, factura);
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

  const { pacs } = deps;
  const cuenta = factura.client_application_id;
  const orden = pacs.de(factura.mode, app);
  if (!orden.length && !factura.pac_incierto) {
    return finalizar(deps, factura, 'error', {}, [
      { code: 'pac_no_configurado', message: 'No hay un PAC configurado para el modo live; el comprobante no se timbró.' },
    ]);
  }
  const r = await timbrarConFailover(
    {
      orden,
      incierto: factura.pac_incierto ? { nombre: factura.pac_incierto, pac: pacs.porNombre(factura.mode, factura.pac_incierto) } : null,
      circuito: (nombre) => pacs.circuito(factura.mode, cuenta, nombre),
    },
    emision.xml,
    // the row's id is the referencia: the same on every try and at every PAC
    { referencia: factura.id, cuenta, ...(factura.simulacion ? { simulacion: factura.simulacion } : {}) },
  );
  if (r.ok) return guardarTimbre(deps, factura, r.timbre, r.pac, intento);
  if (r.tipo === 'rechazo') return finalizar(deps, factura, 'rechazada', {}, r.errores);

  // Not stamped yet: remember why, and which PAC must be asked first, and try again later. No PAC answering
  // is no reason to give up: the invoice waits as pendiente (a fresh message each time, not the queue's
  // bounded retries) until a PAC stamps it or, 72 h after its Fecha, emitir() refuses it.
  // updated_at is when this try happened: the sweep counts the next one's due time from it (src/jobs/barrido.ts).
  const intentos = factura.intentos + 1;
  await deps.db
    .update(facturas)
    .set({ intentos, errores: r.errores, pac_incierto: r.incierto, updated_at: deps.clock().toISOString() })
    .where(and(eq(facturas.id, factura.id), eq(facturas.status, 'pendiente')));
  try {
    await deps.queue.send({ kind: 'timbrar', id: factura.id }, { delaySeconds: backoffSeconds(intentos) });
  } catch {
    return reintentar(intento);
  }
  return { action: 'ack' };
}

async function guardarTimbre(deps: Deps, factura: Factura, timbre: Timbre, pac: string, intento: number): Promise<JobResult> {
  const xmlKey = claveArchivo(factura, timbre.uuid, 'xml');
  // The file first: a row that says timbrada has it in R2, or, when R2 failed, in the row itself.
  const enR2 = await ponerXml(deps, xmlKey, timbre.xml);
  const stamp = { uuid: timbre.uuid, fecha_timbrado: timbre.fechaTimbrado, no_certificado_sat: timbre.noCertificadoSAT, xml_key: xmlKey, pac, pac_incierto: null };
  const enFila = enR2 ? { errores: null } : { xml_timbrado: timbre.xml, errores: [XML_SIN_ARCHIVAR] };
  const timbrada = await transicion(deps, factura, 'timbrada', { ...stamp, ...enFila });
  // a sustitución goes on with the original's cancellation; a crash here is finished by the redelivery above
  if (timbrada) await continuarSustitucion(deps, { ...factura, ...stamp, status: 'timbrada' });
  return enR2 ? { action: 'ack' } : reintentar(intento);
}

const XML_SIN_ARCHIVAR = {
  code: 'xml_sin_archivar',
  message: 'Timbrado. El XML está guardado con el comprobante; su copia al almacenamiento de archivos falló y se reintenta.',
};

async function ponerXml(deps: Deps, key: string, xml: string): Promise<boolean> {
  try {
    // Re-putting the same bytes is harmless.
    await deps.bucket.put(key, xml, { httpMetadata: { contentType: 'application/xml; charset=utf-8' } });
    return true;
  } catch (err) {
    deps.log.error('R2 no guardó el XML timbrado; queda en la fila', { key, error: (err as Error).message });
    return false;
  }
}

/** The XML a failed put left in the row goes to R2; the row lets it go only once R2 has it. */
async function archivarXml(deps: Deps, factura: Factura, xml: string): Promise<boolean> {
  if (!(await ponerXml(deps, factura.xml_key!, xml))) return false;
  const { db } = tenantDb(deps, tenantOfRow(factura));
  const sinNota = factura.errores?.some((e) => e.code === XML_SIN_ARCHIVAR.code) ? { errores: null } : {};
  await db.update(facturas).set({ xml_timbrado: null, ...sinNota }).where(eq(facturas.id, factura.id));
  return true;
}

async function finalizar(...args: Parameters<typeof transicion>): Promise<JobResult> {
  await transicion(...args);
  return { action: 'ack' };
}

/** The job's last transition with its event; false when the row had already left pendiente. */
async function transicion(
  deps: Deps,
  factura: Factura,
  status: 'timbrada' | 'rechazada' | 'error',
  cambios: Partial<Factura>,
  errores?: PacError[],
): Promise<boolean> {
  const { d1 } = tenantDb(deps, tenantOfRow(factura));
  const cambio = cambiarEstado(d1, factura, status, { ...cambios, ...(errores ? { errores } : {}) }, deps.clock());
  // A P or E that will never be valid gives back the balance it reserved on its invoices.
  if (factura.tipo !== 'I' && status !== 'timbrada') cambio.statements.push(liberarAplicaciones(d1, factura.id));
  if (status === 'timbrada') cambio.statements.push(...(await eventoGlobalTimbrada(deps, factura, cambio)));
  // recibo.facturado, or the recibos a CFDI that ends unstamped gives back
  cambio.statements.push(...recibosTrasTransicion(d1, factura, cambio));
  // the automatic email of a timbrada (src/services/envios.ts), written with it and sent by its own job
  cambio.statements.push(...enviosTrasTimbrado(d1, factura, cambio));
  const eventoId = await aplicarCambio(d1, cambio);
  if (eventoId) await encolarEnvioTrasTimbrado(deps, factura, cambio);
  // the transition's event and any the same batch recorded beside it (factura_global.timbrada), in order
  if (eventoId) await despacharPendientes(deps, { facturaId: factura.id });
  // the last of a batch's comprobantes to finish completes the batch (lote.completado, once)
  if (eventoId && factura.lote_id) await completarLote(deps, tenantOfRow(factura), factura.lote_id);
  return eventoId !== null;
}

/** Dead-letter consumer: the retries are spent, so the invoice ends as `error` with the last reason. */
export async function agotarReintentos(deps: Deps, id: string): Promise<void> {
  const factura = await deps.db.select().from(facturas).where(eq(facturas.id, id)).get();
  if (!factura || factura.status !== 'pendiente') return;
  const ultimo = factura.errores?.[0];
  // `intentos` counts the PAC's transient answers; none means every try failed before or beside the PAC.
  const message = factura.intentos
    ? `El PAC no respondió tras ${factura.intentos} intentos${ultimo ? `: ${ultimo.message}` : '.'}`
    : 'El timbrado no se completó: un paso interno falló en cada reintento.';
  await finalizar(deps, factura, 'error', {}, [{ code: 'reintentos_agotados', message }]);
}
