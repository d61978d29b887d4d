// The receptor's inbox in test mode: cancellations that suppliers ask of CFDIs addressed to the account's RFC.
// The sandbox has no suppliers, so a client (or a test) makes such requests on purpose with
// crearSolicitudRecibida, deterministically; the receptor then lists and answers them as at a real PAC.
// The SAT's term applies: a request unanswered for 72 hours expires (the SAT cancels the CFDI, "Plazo
// vencido") and leaves the inbox. The inbox is the SAT's side: every sandbox PAC instance sees the same one.
//
// R2: sandbox-pac/recibidas/<cuenta>/<UUID>.json, the request and, once given, its answer.
import { sha256Hex } from '../lib/crypto';
import { fechaPac, firmarAcuse, rechazo, type ContextoSandbox } from './sandbox-cancelacion';
import type { RespuestaReceptor, ResultadoRespuesta, SolicitudRecibida } from './types';

/** The fictitious supplier every sandbox request comes from. */
export const RFC_PROVEEDOR_SANDBOX = 'PSA190613AB1';
const TOTAL = '11600.00';
export const PLAZO_RESPUESTA_MS = 72 * 3600 * 1000;

export type EstadoRecibida = 'pendiente' | 'aceptada' | 'rechazada' | 'vencida';

interface RegistroRecibida extends Required<SolicitudRecibida> {
  respuesta?: 'aceptada' | 'rechazada';
  respondidaEn?: string;
}

const prefijo = (cuenta: string) => `sandbox-pac/recibidas/${encodeURIComponent(cuenta)}/`;
const clave = (cuenta: string, uuid: string) => `${prefijo(cuenta)}${uuid.toUpperCase()}.json`;
const FORMA_UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/** The same account, RFC and n always give the same UUID, in the v4 layout the SAT writes (upper case). */
async function uuidDe(cuenta: string, rfcReceptor: string, n: number): Promise<string> {
  const h = await sha256Hex(`${cuenta}|${rfcReceptor}|${n}`);
  const variante = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variante}${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

async function leer(store: R2Bucket, cuenta: string, uuid: string): Promise<{ obj: RegistroRecibida; etag: string } | null> {
  const r = await store.get(clave(cuenta, uuid));
  return r ? { obj: (await r.json()) as RegistroRecibida, etag: r.etag } : null;
}

const solicitud = ({ uuid, rfcEmisor, rfcReceptor, total, solicitadaEn }: RegistroRecibida): SolicitudRecibida => ({
  uuid,
  rfcEmisor,
  rfcReceptor,
  total,
  solicitadaEn,
});

const estadoDe = (r: RegistroRecibida, ahora: Date): EstadoRecibida =>
  r.respuesta ?? (ahora.getTime() - Date.parse(r.solicitadaEn) >= PLAZO_RESPUESTA_MS ? 'vencida' : 'pendiente');

/** A supplier's request to cancel a CFDI addressed to `rfcReceptor`; the same `n` gives back the same request. */
export async function crearSolicitudRecibida(
  store: R2Bucket,
  { cuenta, rfcReceptor, n = 1, ahora }: { cuenta: string; rfcReceptor: string; n?: number; ahora: Date },
): Promise<SolicitudRecibida> {
  const rfc = rfcReceptor.toUpperCase();
  const uuid = await uuidDe(cuenta, rfc, n);
  const nuevo: RegistroRecibida = { uuid, rfcEmisor: RFC_PROVEEDOR_SANDBOX, rfcReceptor: rfc, total: TOTAL, solicitadaEn: ahora.toISOString() };
  const puesto = await store.put(clave(cuenta, uuid), JSON.stringify(nuevo), { onlyIf: { etagDoesNotMatch: '*' } });
  return solicitud(puesto ? nuevo : (await leer(store, cuenta, uuid))!.obj);
}

/** The requests still awaiting this receptor's answer, oldest first. */
export async function pendientesDeRespuesta(
  store: R2Bucket,
  { cuenta, rfcReceptor, ahora }: { cuenta: string; rfcReceptor: string; ahora: Date },
): Promise<SolicitudRecibida[]> {
  const rfc = rfcReceptor.toUpperCase();
  const pendientes: RegistroRecibida[] = [];
  let cursor: string | undefined;
  do {
    const pagina = await store.list({ prefix: prefijo(cuenta), ...(cursor ? { cursor } : {}) });
    const registros = await Promise.all(pagina.objects.map(async (o) => (await (await store.get(o.key))?.json()) as RegistroRecibida | undefined));
    for (const r of registros) if (r && r.rfcReceptor === rfc && estadoDe(r, ahora) === 'pendiente') pendientes.push(r);
    cursor = pagina.truncated ? pagina.cursor : undefined;
  } while (cursor);
  return pendientes.sort((a, b) => a.solicitadaEn.localeCompare(b.solicitadaEn)).map(solicitud);
}

/** Where a received request stands: pending, answered (and when), or expired; null if there is none. */
export async function estadoSolicitudRecibida(
  store: R2Bucket,
  cuenta: string,
  uuid: string,
  ahora = new Date(),
): Promise<{ solicitud: SolicitudRecibida; estado: EstadoRecibida; respondidaEn?: string } | null> {
  const r = FORMA_UUID.test(uuid) ? await leer(store, cuenta, uuid) : null;
  if (!r) return null;
  return { solicitud: solicitud(r.obj), estado: estadoDe(r.obj, ahora), ...(r.obj.respondidaEn ? { respondidaEn: r.obj.respondidaEn } : {}) };
}

/**
 * The receptor accepts or rejects a pending request; the acuse is signed like the cancellation's. Codes are the
 * EstatusUUID of the SAT's answer service (ProcesarRespuesta) as PACs relay them: 1000 received, 1001 no request
 * awaiting an answer, 1002 already answered, 1003 the sello is not the receptor's.
 */
export async function responderSolicitudRecibida(ctx: ContextoSandbox, r: RespuestaReceptor): Promise<ResultadoRespuesta> {
  const previo = FORMA_UUID.test(r.uuid) ? await leer(ctx.store, r.cuenta, r.uuid) : null;
  if (!previo) return rechazo('1001', `No existe una solicitud de cancelación en espera de respuesta para el UUID ${r.uuid}.`);
  const ahora = ctx.now();
  const estado = estadoDe(previo.obj, ahora);
  if (estado === 'vencida') return rechazo('1001', 'Venció el plazo de 72 horas para responder: el SAT canceló el CFDI (plazo vencido).');
  if (estado !== 'pendiente') return rechazo('1002', `Ya se recibió una respuesta para la solicitud de cancelación de este UUID (${estado}).`);
  if (r.csd.rfc.toUpperCase() !== previo.obj.rfcReceptor) return rechazo('1003', 'El sello no corresponde al RFC receptor.');

  const respondido: RegistroRecibida = { ...previo.obj, respuesta: r.respuesta === 'aceptar' ? 'aceptada' : 'rechazada', respondidaEn: ahora.toISOString() };
  // Only over what we read: of two concurrent answers one is recorded, the other is told it came second.
  const puesto = await ctx.store.put(clave(r.cuenta, r.uuid), JSON.stringify(respondido), { onlyIf: { etagMatches: previo.etag } });
  if (!puesto) return responderSolicitudRecibida(ctx, r);
  const acuse = await firmarAcuse(ctx, {
    fecha: fechaPac(ahora),
    rfcReceptor: previo.obj.rfcReceptor,
    uuid: previo.obj.uuid,
    estatusUUID: '1000',
    respuesta: r.respuesta === 'aceptar' ? 'Aceptacion' : 'Rechazo',
  });
  return { ok: true, acuse };
}
