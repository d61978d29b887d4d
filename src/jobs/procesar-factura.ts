import { eq, sql } from 'drizzle-orm';
import { emitirCfdi, emitirComplementoPago, generarPdf } from '../cfdi';
import { getDb } from '../db/client';
import { clientApplications, facturas } from '../db/schema';
import type { Env } from '../env';
import { pacPara } from '../pac';
import type { PacAdapter, PacError, Timbre } from '../pac/types';
import { aplicarCambio, cambiarEstado, type Factura } from '../services/estado';
import { claveArchivo, emisorDe, facturaView } from '../services/facturas';
import { liberarAplicaciones } from '../services/saldos';
import { despacharEvento, despacharPendientes } from '../webhooks/events';
import { csdDeAplicacion } from './csd';

// ProcesarFacturaJob: pendiente → timbrada | rechazada | error. At-least-once safe: it re-reads the row,
// acts only on `pendiente`, seals the same bytes every time (fecha and folio are fixed on the row, the
// RSA sello is deterministic), and a PAC that already stamped those bytes returns the same stamp.

export const MAX_INTENTOS = 5;

export type Resultado =
  | { accion: 'ack' }
  | { accion: 'retry'; delaySeconds: number };

export interface JobDeps {
  pac?: PacAdapter | null;
  now?: () => Date;
}

/** Growing delay between PAC retries: 10 s, 20 s, 40 s, … capped at 15 min. */
export const esperaReintento = (intento: number) => Math.min(10 * 2 ** Math.max(0, intento - 1), 900);

export async function procesarFactura(env: Env, id: string, intento: number, deps: JobDeps = {}): Promise<Resultado> {
  const db = getDb(env);
  // The job acts for the row's own tenant: the id came from our queue, not from a client.
  const factura = await db.select().from(facturas).where(eq(facturas.id, id)).get();
  if (!factura) return { accion: 'ack' };
  if (factura.status !== 'pendiente') {
    // Done before (a redelivery): only make sure its events reached the webhooks.
    await despacharPendientes(env, { facturaId: factura.id });
    return { accion: 'ack' };
  }
  const now = deps.now ?? (() => new Date());
  const app = (await db.select().from(clientApplications).where(eq(clientApplications.id, factura.client_application_id)).get())!;
  const csd = await csdDeAplicacion(env.MASTER_KEY, app);
  if (!csd) return finalizar(env, factura, 'error', {}, [{ code: 'csd_no_configurado', message: 'La aplicación no tiene un CSD cargado.' }]);

  const datos = { ...factura.datos, serie: factura.serie, folio: factura.folio, fecha: factura.fecha };
  const emisor = emisorDe(app);
  const emision =
    factura.tipo === 'P'
      ? await emitirComplementoPago(datos, emisor, csd, { ahora: now() })
      : await emitirCfdi(datos, emisor, csd, { tipo: factura.tipo, ahora: now() });
  if (!emision.ok) {
    // Valid when accepted, no longer at stamping time (e.g. older than 72 h): the client must resend.
    return finalizar(env, factura, 'rechazada', {}, emision.errors.map((e) => ({ code: e.code ?? 'validacion', message: `${e.path}: ${e.message}` })));
  }

  const pac = deps.pac === undefined ? pacPara(env, factura.mode) : deps.pac;
  if (!pac) {
    return finalizar(env, factura, 'error', {}, [
      { code: 'pac_no_configurado', message: 'No hay un PAC configurado para el modo live; el comprobante no se timbró.' },
    ]);
  }
  const r = await pac.timbrar(emision.xml);
  if (r.ok) return guardarTimbre(env, factura, r.timbre);
  if (r.tipo === 'rechazo') return finalizar(env, factura, 'rechazada', {}, r.errores);

  // Transient: remember why and try again later; after the last try the message goes to the DLQ.
  await db
    .update(facturas)
    .set({ intentos: sql`${facturas.intentos} + 1`, errores: r.errores })
    .where(eq(facturas.id, factura.id));
  return { accion: 'retry', delaySeconds: esperaReintento(intento) };
}

async function guardarTimbre(env: Env, factura: Factura, timbre: Timbre): Promise<Resultado> {
  const xmlKey = claveArchivo(factura, timbre.uuid, 'xml');
  const pdfKey = claveArchivo(factura, timbre.uuid, 'pdf');
  // Files first: a row that says timbrada always has its files. Re-putting the same bytes is harmless.
  const pdf = await generarPdf(timbre.xml, { sandbox: factura.mode === 'test' });
  await Promise.all([
    env.CFDI_BUCKET.put(xmlKey, timbre.xml, { httpMetadata: { contentType: 'application/xml; charset=utf-8' } }),
    env.CFDI_BUCKET.put(pdfKey, pdf, { httpMetadata: { contentType: 'application/pdf' } }),
  ]);
  return finalizar(env, factura, 'timbrada', {
    uuid: timbre.uuid,
    fecha_timbrado: timbre.fechaTimbrado,
    no_certificado_sat: timbre.noCertificadoSAT,
    xml_key: xmlKey,
    pdf_key: pdfKey,
    errores: null,
  });
}

async function finalizar(
  env: Env,
  factura: Factura,
  status: 'timbrada' | 'rechazada' | 'error',
  cambios: Partial<Factura>,
  errores?: PacError[],
): Promise<Resultado> {
  const nuevos = { ...cambios, ...(errores ? { errores } : {}) };
  const view = facturaView({ ...factura, ...nuevos, status });
  const cambio = cambiarEstado(env.DB, factura, status, nuevos, view);
  // A P or E that will never be valid gives back the balance it reserved on its invoices.
  if (factura.tipo !== 'I' && status !== 'timbrada') cambio.statements.push(liberarAplicaciones(env.DB, factura.id));
  const eventoId = await aplicarCambio(env.DB, cambio);
  if (eventoId) await despacharEvento(env, eventoId);
  return { accion: 'ack' };
}

/** Dead-letter consumer: the retries are spent, so the invoice ends as `error` with the last reason. */
export async function agotarReintentos(env: Env, id: string): Promise<void> {
  const db = getDb(env);
  const factura = await db.select().from(facturas).where(eq(facturas.id, id)).get();
  if (!factura || factura.status !== 'pendiente') return;
  const ultimo = factura.errores?.[0];
  await finalizar(env, factura, 'error', {}, [
    { code: 'reintentos_agotados', message: `El PAC no respondió tras ${factura.intentos} intentos${ultimo ? `: ${ultimo.message}` : '.'}` },
  ]);
}
