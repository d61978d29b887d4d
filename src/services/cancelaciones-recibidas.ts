import { desc, eq, inArray, lte } from 'drizzle-orm';
import { cancelacionesRecibidas } from '../db/schema';
import type { Deps } from '../deps';
import { D1_MAX_PARAMETERS, inChunks } from '../lib/chunks';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { isUuid, uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent, type Recibo } from '../lib/idempotency';
import { cursorCondition, toPage } from '../lib/pagination';
import { HOUR } from '../lib/time';
import { tenantColumns, tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';
import { crearSolicitudRecibida } from '../pac/sandbox-recibidas';
import type { PacAdapter, PacError, SolicitudRecibida } from '../pac/types';
import { despacharEvento } from '../webhooks/events';
import type { Archivo } from './archivos';
import { cargarAplicacion, claveArchivo, type Aplicacion } from './comprobantes';
import { csdParaPac } from './csd';

// The receptor's inbox: cancellations that suppliers ask of CFDIs addressed to an application's RFC. The SAT
// waits 72 hours for the receptor's answer, then cancels by itself (plazo vencido). The requests come from the
// PAC (sincronizar, run by the cron through src/jobs/recibidas.ts); the answer goes back through the PAC,
// signed with the application's CSD. One row per application, mode and UUID.

export type CancelacionRecibida = typeof cancelacionesRecibidas.$inferSelect;
export type EstadoRecibida = CancelacionRecibida['estado'];
export const ESTADOS_RECIBIDA = ['pendiente', 'aceptada', 'rechazada', 'vencida'] as const satisfies readonly EstadoRecibida[];
export type RespuestaRecibida = 'aceptar' | 'rechazar';
export const PLAZO_RESPUESTA_MS = 72 * HOUR;
export const EVENTO_PENDIENTE = 'cancelacion_recibida.pendiente';

const tabla = cancelacionesRecibidas;
type DbDeps = Pick<Deps, 'db' | 'd1' | 'clock'>;

/** What the API answers and an event carries: the request as it stands, in the API's vocabulary. */
export function datosRecibida(r: CancelacionRecibida) {
  return {
    id: r.id,
    uuid: r.uuid,
    mode: r.mode,
    estado: r.estado,
    // '' in the row when the PAC's list gives only UUIDs (SW, Finkok)
    rfc_emisor: r.rfc_emisor || null,
    rfc_receptor: r.rfc_receptor,
    total: r.total,
    solicitada_at: r.solicitada_at,
    vence_at: r.vence_at,
    respondida_at: r.respondida_at,
    pac: r.pac,
    errores: r.errores ?? [],
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

const noExiste = () => DomainError.notFound('La solicitud de cancelación recibida');

/** Past its 72 hours unanswered: the SAT cancelled the CFDI by itself. */
export async function marcarVencidas(deps: DbDeps, t: Tenant): Promise<number> {
  const ahora = deps.clock().toISOString();
  const r = await tenantDb(deps, t)
    .db.update(tabla)
    .set({ estado: 'vencida', updated_at: ahora })
    .where(tenantWhere(tabla, t, eq(tabla.estado, 'pendiente'), lte(tabla.vence_at, ahora)))
    .run();
  return r.meta.changes;
}

async function buscar(deps: DbDeps, t: Tenant, uuid: string): Promise<CancelacionRecibida | undefined> {
  if (!isUuid(uuid)) return undefined;
  return tenantDb(deps, t).db.select().from(tabla).where(tenantWhere(tabla, t, eq(tabla.uuid, uuid.toUpperCase()))).get();
}

/** One request of the tenant by the CFDI's UUID (any case), its term applied: not_found when it is not the tenant's. */
export async function obtenerRecibida(deps: DbDeps, t: Tenant, uuid: string): Promise<CancelacionRecibida> {
  const r = await buscar(deps, t, uuid);
  if (!r) throw noExiste();
  if (r.estado !== 'pendiente' || r.vence_at > deps.clock().toISOString()) return r;
  await marcarVencidas(deps, t);
  return (await buscar(deps, t, uuid))!;
}

export async function listarRecibidas(deps: DbDeps, t: Tenant, opts: { limit: number; cursor?: string; estado?: EstadoRecibida }) {
  // The term runs out whether or not the cron has passed: a listing never shows an expired request as pendiente.
  await marcarVencidas(deps, t);
  const rows = await tenantDb(deps, t)
    .db.select()
    .from(tabla)
    .where(tenantWhere(tabla, t, cursorCondition(tabla.id, opts.cursor), opts.estado ? eq(tabla.estado, opts.estado) : undefined))
    .orderBy(desc(tabla.id))
    .limit(opts.limit + 1)
    .all();
  return toPage(rows, opts.limit, (r) => r);
}

function yaNoPendiente(r: CancelacionRecibida): DomainError {
  if (r.estado === 'vencida') {
    return new DomainError('plazo_vencido', 'conflict', `Venció el plazo de 72 horas para responder (${r.vence_at}): el SAT canceló el CFDI.`);
  }
  return new DomainError('solicitud_respondida', 'conflict', `La solicitud ya fue ${r.estado} (${r.respondida_at}).`);
}

const detallesPac = (errores: PacError[]): ErrorDetail[] => errores.map((e) => ({ path: 'uuid', message: e.message, code: e.code }));

/**
 * The SAT's answer-service codes that speak of the request's state, not of the answer (ProcesarRespuesta:
 * 1001 none awaiting an answer, 1002 already answered, 1004 more than one request): a conflict, not bad data.
 */
const CODIGOS_DE_ESTADO = new Set(['1001', '1002', '1004']);

function rechazoPac(errores: PacError[]): DomainError {
  const estado = errores.some((e) => CODIGOS_DE_ESTADO.has(e.code));
  const motivo = errores.map((e) => `${e.code}: ${e.message}`).join('; ');
  return new DomainError('respuesta_rechazada_por_pac', estado ? 'conflict' : 'invalid', `El PAC no aceptó la respuesta (${motivo}).`, detallesPac(errores));
}

/** The PAC the request came from (it certainly has it), else the application's first. */
function pacDe(deps: Pick<Deps, 'pacs'>, t: Tenant, app: Aplicacion, nombre: string | null): PacAdapter | undefined {
  return (nombre && deps.pacs.porNombre(t.mode, nombre)) || deps.pacs.de(t.mode, app)[0];
}

async function csdDe(deps: Pick<Deps, 'masterKey'>, app: Aplicacion) {
  const csd = await csdParaPac(deps.masterKey, app);
  if (!csd) throw new DomainError('csd_no_configurado', 'conflict', 'La aplicación no tiene un CSD cargado: sin él no se consultan ni se responden las solicitudes.');
  return csd;
}

/** R2 key of the answer's acuse, beside the application's files. */
const claveAcuse = (r: CancelacionRecibida) => claveArchivo({ ...r, fecha: r.solicitada_at }, `recibida-${r.uuid}`, 'acuse.xml');

/**
 * Accepts or rejects a pending request through the PAC. not_found for another tenant's or an unknown UUID;
 * conflict once it is answered or expired (an expired one is marked vencida); the PAC's refusal is a conflict or
 * invalid with its code; the PAC unreachable is unavailable, with nothing changed. Returns the row as answered.
 */
export function responderRecibida(
  deps: Deps,
  t: Tenant,
  uuid: string,
  respuesta: RespuestaRecibida,
  opts: { idempotencyKey?: string } = {},
): Promise<Idempotent<CancelacionRecibida>> {
  const idem = { key: opts.idempotencyKey, operation: `cancelaciones-recibidas.${respuesta} ${uuid.toUpperCase()}`, input: null };
  return withIdempotency(deps, t, idem, (recibo) => responder(deps, t, uuid, respuesta, recibo));
}

async function responder(deps: Deps, t: Tenant, uuid: string, respuesta: RespuestaRecibida, recibo: Recibo<CancelacionRecibida>) {
  const r = await obtenerRecibida(deps, t, uuid);
  if (r.estado !== 'pendiente') throw yaNoPendiente(r);
  const app = await cargarAplicacion(deps, t);
  const csd = await csdDe(deps, app);
  const pac = pacDe(deps, t, app, r.pac);
  if (!pac) throw new DomainError('pac_no_configurado', 'unavailable', 'No hay un PAC configurado para este modo; la respuesta no se envió.');
  const acuseKey = claveAcuse(r);
  const res = await pac.responderCancelacion({ uuid: r.uuid, respuesta, csd, cuenta: t.applicationId });
  let acuse = false;
  if (res.ok) {
    // The acuse first, tagged with the request it answers: if D1 fails after the PAC took the answer, the
    // retry (which the PAC refuses as already answered) finds it and records the answer after all.
    if (res.acuse) {
      await deps.bucket.put(acuseKey, res.acuse, {
        httpMetadata: { contentType: 'application/xml; charset=utf-8' },
        customMetadata: { solicitada_at: r.solicitada_at, respuesta },
      });
      acuse = true;
    }
  } else if (res.tipo === 'transitorio') {
    throw new DomainError('pac_no_disponible', 'unavailable', 'El PAC no respondió: la respuesta no se envió. Reintenta.', detallesPac(res.errores), {
      'Retry-After': '30',
    });
  } else {
    const previa = (await deps.bucket.head(acuseKey))?.customMetadata;
    if (previa?.solicitada_at !== r.solicitada_at || previa.respuesta !== respuesta) throw rechazoPac(res.errores);
    acuse = true;
  }

  const cuando = deps.clock().toISOString();
  const estado = respuesta === 'aceptar' ? 'aceptada' : 'rechazada';
  const despues: CancelacionRecibida = { ...r, estado, pac: pac.nombre, respondida_at: cuando, acuse_key: acuse ? acuseKey : null, errores: null, updated_at: cuando };
  const { d1 } = tenantDb(deps, t);
  const update = d1
    .prepare(
      `UPDATE hexafac_cancelaciones_recibidas SET estado = ?, pac = ?, respondida_at = ?, acuse_key = ?, errores = NULL, updated_at = ?
       WHERE id = ? AND client_application_id = ? AND mode = ? AND estado = 'pendiente'`,
    )
    .bind(estado, despues.pac, cuando, despues.acuse_key, cuando, r.id, t.applicationId, t.mode);
  const guarda = { where: 'EXISTS (SELECT 1 FROM hexafac_cancelaciones_recibidas WHERE id = ? AND estado = ? AND respondida_at = ?)', params: [r.id, estado, cuando] };
  const [hecho] = await d1.batch([update, ...(await recibo(despues, guarda))]);
  // A concurrent answer won: say how it left the request.
  if (!hecho!.meta.changes) throw yaNoPendiente(await obtenerRecibida(deps, t, r.uuid));
  return despues;
}

export async function acuseDeRecibida(deps: Pick<Deps, 'db' | 'd1' | 'clock' | 'bucket'>, t: Tenant, uuid: string): Promise<Archivo> {
  const r = await obtenerRecibida(deps, t, uuid);
  if (!r.acuse_key) throw new DomainError('sin_acuse', 'conflict', `La solicitud está ${r.estado}: no tiene acuse de respuesta.`);
  const obj = await deps.bucket.get(r.acuse_key);
  if (!obj) throw new DomainError('archivo_no_disponible', 'not_found', 'El acuse no está disponible.');
  return { body: obj.body, contentType: 'application/xml; charset=utf-8', nombre: `${r.uuid}-respuesta-acuse.xml` };
}

interface Registrada {
  uuid: string;
  eventoId: string;
}

/** The request as the PAC gives it, normalised; null when its term has already run out (the SAT cancelled it). */
function normalizar(s: SolicitudRecibida, ahora: Date) {
  const uuid = s.uuid.toUpperCase();
  const fecha = s.solicitadaEn ? Date.parse(s.solicitadaEn) : Number.NaN;
  // Without the PAC's instant, the first time we see it starts the term: never earlier than the truth.
  const solicitada = Number.isNaN(fecha) ? ahora : new Date(fecha);
  const vence = new Date(solicitada.getTime() + PLAZO_RESPUESTA_MS);
  if (!isUuid(uuid) || vence <= ahora) return null;
  return { s, uuid, conFecha: !Number.isNaN(fecha), solicitada_at: solicitada.toISOString(), vence_at: vence.toISOString() };
}

/** Rows (with their event) per D1 batch. */
const LOTE_FILAS = 25;

/**
 * Records the requests a PAC lists as pending: a new UUID gets a pendiente row and, in the same batch, its
 * `cancelacion_recibida.pendiente` event; a UUID answered before and asked again later (a supplier may ask
 * again after a rejection) is pending again, with a new event. Others are left as they are. Returns what was
 * recorded: only the batch whose guard matched writes an event, so two syncs at once record each request once.
 */
export async function registrarSolicitudes(deps: DbDeps, t: Tenant, pac: string, solicitudes: SolicitudRecibida[]): Promise<Registrada[]> {
  const ahora = deps.clock();
  const cuando = ahora.toISOString();
  const vigentes = solicitudes.flatMap((s) => normalizar(s, ahora) ?? []);
  if (!vigentes.length) return [];
  const { db, d1 } = tenantDb(deps, t);
  const uuids = [...new Set(vigentes.map((v) => v.uuid))];
  const previas = await inChunks(uuids, D1_MAX_PARAMETERS - 2, (lote) =>
    db.select().from(tabla).where(tenantWhere(tabla, t, inArray(tabla.uuid, lote))).all(),
  );
  const porUuid = new Map(previas.map((r) => [r.uuid, r]));

  const pares: { registrada: Registrada; fila: D1PreparedStatement; evento: D1PreparedStatement }[] = [];
  for (const v of vigentes) {
    const previa = porUuid.get(v.uuid);
    const reabierta = previa && previa.estado !== 'pendiente' && v.conFecha && v.solicitada_at > previa.solicitada_at;
    if (previa && !reabierta) continue;
    const nueva: CancelacionRecibida = {
      id: previa?.id ?? uuidv7(ahora.getTime()),
      ...tenantColumns(t),
      uuid: v.uuid,
      rfc_emisor: v.s.rfcEmisor.toUpperCase(),
      rfc_receptor: v.s.rfcReceptor.toUpperCase(),
      total: v.s.total ?? null,
      solicitada_at: v.solicitada_at,
      vence_at: v.vence_at,
      estado: 'pendiente',
      pac,
      respondida_at: null,
      acuse_key: null,
      errores: null,
      created_at: previa?.created_at ?? cuando,
      updated_at: cuando,
    };
    porUuid.set(v.uuid, nueva);
    const eventoId = uuidv7(ahora.getTime());
    pares.push({
      registrada: { uuid: v.uuid, eventoId },
      fila: previa ? reabrir(d1, nueva, previa) : insertar(d1, nueva),
      evento: insertarEvento(d1, eventoId, nueva, previa?.estado ?? null),
    });
  }
  const registradas: Registrada[] = [];
  for (let i = 0; i < pares.length; i += LOTE_FILAS) {
    const lote = pares.slice(i, i + LOTE_FILAS);
    const resultados = await d1.batch(lote.flatMap((p) => [p.fila, p.evento]));
    lote.forEach((p, j) => {
      if (resultados[2 * j + 1]!.meta.changes > 0) registradas.push(p.registrada);
    });
  }
  return registradas;
}

const COLUMNAS = 'id, client_application_id, mode, uuid, rfc_emisor, rfc_receptor, total, solicitada_at, vence_at, estado, pac, created_at, updated_at';

const insertar = (d1: D1Database, r: CancelacionRecibida) =>
  d1
    .prepare(`INSERT INTO hexafac_cancelaciones_recibidas (${COLUMNAS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
    .bind(r.id, r.client_application_id, r.mode, r.uuid, r.rfc_emisor, r.rfc_receptor, r.total, r.solicitada_at, r.vence_at, r.estado, r.pac, r.created_at, r.updated_at);

/** Guarded by the state it was read in, so of two syncs at once one reopens it. */
const reabrir = (d1: D1Database, r: CancelacionRecibida, previa: CancelacionRecibida) =>
  d1
    .prepare(
      `UPDATE hexafac_cancelaciones_recibidas SET rfc_emisor = ?, rfc_receptor = ?, total = ?, solicitada_at = ?, vence_at = ?, estado = 'pendiente',
         pac = ?, respondida_at = NULL, acuse_key = NULL, errores = NULL, updated_at = ?
       WHERE id = ? AND estado = ? AND solicitada_at = ?`,
    )
    .bind(r.rfc_emisor, r.rfc_receptor, r.total, r.solicitada_at, r.vence_at, r.pac, r.updated_at, r.id, previa.estado, previa.solicitada_at);

/** Finds its row only if the statement before it in the batch wrote it (this instant and request). */
const insertarEvento = (d1: D1Database, eventoId: string, r: CancelacionRecibida, anterior: EstadoRecibida | null) =>
  d1
    .prepare(
      `INSERT INTO hexafac_eventos (id, client_application_id, mode, factura_id, type, status_anterior, status_nuevo, data, created_at)
       SELECT ?, client_application_id, mode, NULL, ?, ?, estado, ?, ? FROM hexafac_cancelaciones_recibidas
       WHERE id = ? AND estado = 'pendiente' AND solicitada_at = ? AND updated_at = ?`,
    )
    .bind(eventoId, EVENTO_PENDIENTE, anterior, JSON.stringify(datosRecibida(r)), r.updated_at, r.id, r.solicitada_at, r.updated_at);

/**
 * Pulls the pending requests of one application and mode from its PAC (test: the sandbox; live: its first
 * PAC), records them, marks the expired ones and dispatches the new events. unavailable when the PAC cannot
 * answer; nothing to do without a CSD (the PAC needs it) or without a PAC.
 */
export async function sincronizar(deps: Deps, app: Aplicacion, mode: Tenant['mode']): Promise<Registrada[]> {
  const t: Tenant = { applicationId: app.id, mode };
  const pac = deps.pacs.de(mode, app)[0];
  const csd = await csdParaPac(deps.masterKey, app);
  let registradas: Registrada[] = [];
  if (pac && csd) {
    const r = await pac.cancelacionesRecibidas({ rfcReceptor: app.rfc, csd, cuenta: app.id });
    if (!r.ok) {
      throw new DomainError('pac_no_disponible', 'unavailable', 'El PAC no entregó las solicitudes de cancelación recibidas. Reintenta.', detallesPac(r.errores), {
        'Retry-After': '30',
      });
    }
    // They are addressed to this issuer whether or not the PAC's list says so.
    const solicitudes = r.solicitudes.map((s) => ({ ...s, rfcReceptor: s.rfcReceptor || app.rfc }));
    registradas = await registrarSolicitudes(deps, t, pac.nombre, solicitudes);
  }
  await marcarVencidas(deps, t);
  // In creation order; one that fails to go out now is sent by the cron's sweep (despacharPendientes).
  for (const { eventoId } of registradas) await despacharEvento(deps, eventoId);
  return registradas;
}

/**
 * Test mode: a supplier's request to cancel a CFDI addressed to the application's RFC, made on purpose in the
 * sandbox (the same `n` is the same request), then synced at once so it is in the inbox. forbidden in live.
 */
export async function crearSolicitudDePrueba(deps: Deps, t: Tenant, n = 1): Promise<{ recibida: CancelacionRecibida; nueva: boolean }> {
  if (t.mode !== 'test') {
    throw new DomainError('solo_modo_test', 'forbidden', 'Solo con llaves de prueba: en modo live las solicitudes llegan de los proveedores a través del SAT.');
  }
  const app = await cargarAplicacion(deps, t);
  await csdDe(deps, app);
  const s = await crearSolicitudRecibida(deps.bucket, { cuenta: app.id, rfcReceptor: app.rfc, n, ahora: deps.clock() });
  const registradas = await sincronizar(deps, app, t.mode);
  const recibida = await buscar(deps, t, s.uuid);
  // The sandbox keeps a request made long ago under the same n: its term ran out before it was ever synced.
  if (!recibida) throw new DomainError('plazo_vencido', 'conflict', `La solicitud de prueba n=${n} ya venció en el sandbox; usa otro n.`);
  return { recibida, nueva: registradas.some((r) => r.uuid === recibida.uuid) };
}
