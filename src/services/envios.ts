import { and, asc, eq, lt } from 'drizzle-orm';
import { urlVerificacionSat } from '../cfdi';
import { envios } from '../db/schema';
import type { Deps } from '../deps';
import { mime, type Correo } from '../lib/correo';
import { DomainError } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { elComprobanteEsta } from '../lib/mensajes';
import type { JobResult } from '../lib/queue';
import { backoffSeconds } from '../lib/retry';
import { tenantDb, tenantOfRow, tenantWhere, type Tenant } from '../lib/tenancy';
import { pdfDe, xmlDe } from './archivos';
import { cargarAplicacion, cargarComprobante, type TipoComprobante } from './comprobantes';
import { VIGENTES, type CambioDeEstado, type Factura } from './estado';

// Emailing a comprobante's XML and PDF. The envío row is written before anything is sent (pendiente), the
// `enviar` job sends it through the send_email binding and records the outcome (enviado + message id, or the
// error and a retry with backoff; the dead-letter queue ends it as error). Nothing here changes the
// comprobante: a failed email never touches its stamp or status.

export type Envio = typeof envios.$inferSelect;

/** Recipients per envío (to and cc each), as the API documents. */
export const MAX_DESTINATARIOS = 5;

/** What a comprobante is emailed from: its own XML and PDF, only while it is a valid CFDI at the SAT. */
const ENVIABLES: readonly Factura['status'][] = VIGENTES;

export const datosEnvio = (e: Envio) => ({
  id: e.id,
  to: e.para,
  cc: e.cc ?? [],
  automatico: e.automatico,
  status: e.status,
  message_id: e.message_id,
  intentos: e.intentos,
  error: e.error,
  created_at: e.created_at,
  enviado_at: e.enviado_at,
});

const conEnvioAutomatico = (f: Factura, cambio: CambioDeEstado) => cambio.despues.status === 'timbrada' && (!!f.enviar_a?.length || !!f.cliente_id);

/**
 * The automatic envío of a stamping, for the timbrada transition's own batch: to the portal customer
 * (facturas.enviar_a) or else the cliente's email, when there is one. It takes the transition's id (unique, and
 * known before the batch runs, so the job can enqueue it after) and is written only if the transition was.
 */
export function enviosTrasTimbrado(d1: D1Database, factura: Factura, cambio: CambioDeEstado): D1PreparedStatement[] {
  if (!conEnvioAutomatico(factura, cambio)) return [];
  const cuando = cambio.despues.updated_at;
  return [
    d1
      .prepare(
        `INSERT INTO hexafac_envios (id, client_application_id, mode, factura_id, para, automatico, status, intentos, created_at, updated_at)
         SELECT ?, f.client_application_id, f.mode, f.id, COALESCE(f.enviar_a, json_array(c.email)), 1, 'pendiente', 0, ?, ?
         FROM hexafac_facturas f LEFT JOIN hexafac_clientes c ON c.id = f.cliente_id AND c.client_application_id = f.client_application_id
         WHERE f.id = ? AND f.transicion_id = ? AND (f.enviar_a IS NOT NULL OR c.email IS NOT NULL)`,
      )
      .bind(cambio.eventoId, cuando, cuando, factura.id, cambio.eventoId),
  ];
}

/** After the timbrada batch: the automatic envío's message (none was written when there was no address: the job acks). */
export async function encolarEnvioTrasTimbrado(deps: Pick<Deps, 'queue' | 'log'>, factura: Factura, cambio: CambioDeEstado): Promise<void> {
  if (!conEnvioAutomatico(factura, cambio)) return;
  // a lost message leaves the envío pendiente: the cron sweep sends it again
  await deps.queue.send({ kind: 'enviar', id: cambio.eventoId }).catch((err: Error) => deps.log.error('no se encoló el envío', { id: cambio.eventoId, error: err.message }));
}

export interface SolicitudEnvio {
  to: string[];
  cc?: string[];
}

/** POST /…/{id}/enviar: a new envío of a vigente comprobante, sent by the queue (202). */
export async function enviarComprobante(
  deps: Deps,
  t: Tenant,
  idOrUuid: string,
  solicitud: SolicitudEnvio,
  opts: { tipo?: TipoComprobante; idempotencyKey?: string } = {},
): Promise<Idempotent<Envio>> {
  const f = await cargarComprobante(deps, t, idOrUuid, opts.tipo);
  const r = await withIdempotency<{ id: string }>(deps, t, { key: opts.idempotencyKey, operation: 'envios.crear', input: { id: f.id, ...solicitud } }, async (recibo) => {
    if (!ENVIABLES.includes(f.status)) {
      throw new DomainError('comprobante_no_enviable', 'conflict', `${elComprobanteEsta(f.status)}: solo se envía por correo un CFDI timbrado y vigente.`);
    }
    const { d1 } = tenantDb(deps, t);
    const ahora = deps.clock().toISOString();
    const id = uuidv7(deps.clock().getTime());
    await d1.batch([
      d1
        .prepare(
          `INSERT INTO hexafac_envios (id, client_application_id, mode, factura_id, para, cc, automatico, status, intentos, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 0, 'pendiente', 0, ?, ?)`,
        )
        .bind(id, t.applicationId, t.mode, f.id, JSON.stringify(solicitud.to), solicitud.cc?.length ? JSON.stringify(solicitud.cc) : null, ahora, ahora),
      ...(await recibo({ id })),
    ]);
    deps.defer(deps.queue.send({ kind: 'enviar', id }).catch((err: Error) => deps.log.error('no se encoló el envío', { id, error: err.message })));
    return { id };
  });
  const envio = await tenantDb(deps, t).db.select().from(envios).where(tenantWhere(envios, t, eq(envios.id, r.value.id))).get();
  return { value: envio!, replayed: r.replayed };
}

/** A comprobante's envíos, oldest first (the detail view's `envios[]` and GET /…/{id}/envios). */
export async function enviosDe(deps: Pick<Deps, 'db' | 'd1'>, t: Tenant, facturaId: string): Promise<Envio[]> {
  return tenantDb(deps, t).db.select().from(envios).where(tenantWhere(envios, t, eq(envios.factura_id, facturaId))).orderBy(asc(envios.id)).all();
}

export async function listarEnvios(deps: Deps, t: Tenant, idOrUuid: string, tipo?: TipoComprobante): Promise<Envio[]> {
  const f = await cargarComprobante(deps, t, idOrUuid, tipo);
  return enviosDe(deps, t, f.id);
}

/** How the message names the comprobante. */
const NOMBRE_DEL_TIPO: Record<TipoComprobante, string> = { I: 'factura', E: 'nota de crédito', P: 'complemento de pago', N: 'recibo de nómina', T: 'comprobante de traslado' };

const bytesDe = async (body: ReadableStream | Uint8Array | string) => new Uint8Array(await new Response(body).arrayBuffer());

/** The message of an envío: Spanish, the emisor, serie-folio, total and moneda, the SAT's verification link, XML + PDF. */
export async function correoDe(deps: Deps, f: Factura, envio: Envio): Promise<Correo> {
  const t = tenantOfRow(f);
  const app = await cargarAplicacion(deps, t);
  const [xml, pdf] = await Promise.all([xmlDe(deps, t, f.id), pdfDe(deps, t, f.id)]);
  const xmlBytes = await bytesDe(xml.body);
  // the emisor's Sello (Comprobante/@Sello; the TFD's attributes are SelloCFD/SelloSAT) ends the SAT's link
  const sello = /\sSello="([^"]+)"/.exec(new TextDecoder().decode(xmlBytes))?.[1] ?? '';
  const url = urlVerificacionSat({ uuid: f.uuid!, rfcEmisor: app.rfc, rfcReceptor: f.receptor_rfc, total: f.total, sello });
  const folio = `${f.serie}-${f.folio}`;
  const total = `${f.total} ${f.moneda}`;
  const tipo = NOMBRE_DEL_TIPO[f.tipo];
  const texto = [
    `Hola, ${f.receptor_nombre}:`,
    '',
    `${app.razon_social} te envía su ${tipo} ${folio} por un total de ${total}.`,
    `Folio fiscal (UUID): ${f.uuid}`,
    '',
    'Adjuntamos el XML (el CFDI) y su representación impresa en PDF.',
    `Verifica el comprobante en el SAT: ${url}`,
  ].join('\r\n');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const html =
    `<p>Hola, ${esc(f.receptor_nombre)}:</p>` +
    `<p>${esc(app.razon_social)} te envía su ${tipo} <strong>${esc(folio)}</strong> por un total de <strong>${esc(total)}</strong>.<br>` +
    `Folio fiscal (UUID): ${esc(f.uuid!)}</p>` +
    '<p>Adjuntamos el XML (el CFDI) y su representación impresa en PDF.</p>' +
    `<p><a href="${esc(url)}">Verifica el comprobante en el SAT</a></p>`;
  const dominio = deps.correo.remitente.slice(deps.correo.remitente.lastIndexOf('@') + 1);
  return {
    de: { nombre: app.razon_social, email: deps.correo.remitente },
    para: envio.para,
    ...(envio.cc?.length ? { cc: envio.cc } : {}),
    asunto: `${app.razon_social}: ${tipo} ${folio} por ${total}`,
    texto,
    html,
    adjuntos: [
      { nombre: xml.nombre, tipo: 'application/xml; charset=utf-8', contenido: xmlBytes },
      { nombre: pdf.nombre, tipo: 'application/pdf', contenido: await bytesDe(pdf.body) },
    ],
    messageId: `<${envio.id}@${dominio}>`,
    fecha: deps.clock(),
  };
}

/** The `enviar` job: sends a pendiente envío once per envelope recipient (to + cc) and records the outcome. */
export async function entregarEnvio(deps: Deps, id: string, intento: number): Promise<JobResult> {
  // the id came from our queue; the row names its own tenant
  const envio = await deps.db.select().from(envios).where(eq(envios.id, id)).get();
  if (!envio || envio.status !== 'pendiente') return { action: 'ack' };
  const t = tenantOfRow(envio);
  const { db } = tenantDb(deps, t);
  try {
    const f = await cargarComprobante(deps, t, envio.factura_id);
    const correo = await correoDe(deps, f, envio);
    const raw = mime(correo);
    // The binding's raw form carries one envelope recipient; the headers show them all to everyone.
    for (const rcpt of [...envio.para, ...(envio.cc ?? [])]) await deps.correo.enviar(rcpt, raw);
    const cuando = deps.clock().toISOString();
    await db
      .update(envios)
      .set({ status: 'enviado', message_id: correo.messageId, intentos: envio.intentos + 1, error: null, enviado_at: cuando, updated_at: cuando })
      .where(and(eq(envios.id, id), eq(envios.status, 'pendiente')));
    return { action: 'ack' };
  } catch (err) {
    const error = (err as Error).message.slice(0, 500);
    deps.log.error('el envío por correo falló', { id, error });
    await db
      .update(envios)
      .set({ intentos: envio.intentos + 1, error, updated_at: deps.clock().toISOString() })
      .where(and(eq(envios.id, id), eq(envios.status, 'pendiente')));
    return { action: 'retry', delaySeconds: backoffSeconds(intento) };
  }
}

/** Dead-letter consumer: the retries are spent, so the envío ends as error with its last reason. */
export async function agotarEnvio(deps: Deps, id: string): Promise<void> {
  await deps.db
    .update(envios)
    .set({ status: 'error', updated_at: deps.clock().toISOString() })
    .where(and(eq(envios.id, id), eq(envios.status, 'pendiente')));
}

/** The sweep: envíos still pendiente past their retry chain (doubled) lost their message; send them again. */
export async function enviosOlvidados(deps: Pick<Deps, 'db'>, antesDe: string, limite: number): Promise<string[]> {
  const rows = await deps.db.select({ id: envios.id }).from(envios).where(and(eq(envios.status, 'pendiente'), lt(envios.updated_at, antesDe))).limit(limite).all();
  return rows.map((r) => r.id);
}
