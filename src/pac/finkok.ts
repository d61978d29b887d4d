// Finkok adapter for live mode: SOAP 1.1 over fetch (src/pac/soap.ts), user and password in every call.
//
// What Finkok publishes and its clients show (phpcfdi/finkok, SAT-CFDI/python-satcfdi; sources per answer in
// test/fixtures/pac/finkok/README.md):
// - Stamping, namespace http://facturacion.finkok.com/stamp, endpoint /servicios/soap/stamp (stamp.wsdl's
//   address): `stamp` and `stamped` take {xml (base64), username, password} and answer stampResult /
//   stampedResult with xml, UUID, Fecha, CodEstatus, SatSeal, NoCertificadoSAT and Incidencias/Incidencia
//   {CodigoError, MensajeIncidencia, ExtraInfo} in namespace apps.services.soap.core.views.
// - A duplicate gets Incidencia 307 "El CFDI contiene un timbre previo", which Finkok documents as carrying the
//   earlier stamp but which may come without it (phpcfdi/finkok docs/issues/StampServiceDobleEstampado.md);
//   then `stamped` returns it. `stamped` on a CFDI never stamped answers Incidencia 603 "El CFDI no contiene
//   un timbre previo".
// - Cancellation, namespace http://facturacion.finkok.com/cancel, endpoint /servicios/soap/cancel:
//   `cancel_signature` {xml: the SAT's Cancelacion signed by the issuer, store_pending} answers Folios/Folio
//   {UUID, EstatusUUID, EstatusCancelacion}, Acuse (the SAT's, escaped), CodEstatus for request-wide errors
//   (708 "No se pudo conectar al SAT"). `get_pending` {rtaxpayer_id} answers uuids/string and error;
//   `accept_reject_signature` {xml: a signed SolicitudAceptacionRechazo} answers aceptacion/Acepta and
//   rechazo/Rechaza {uuid, status} with the SAT's 1000-1006 codes.
// We use the *_signature methods: the document is signed here (firma-xml.ts), Finkok never sees the key.
import { fechaLocal, toBase64, type XmlLeido } from '../cfdi';
import { elemento, firmarEnvuelto, texto } from './firma-xml';
import type { Canal } from './http';
import { selloDe, timbreNuestro } from './respuestas';
import { buscarLocal, campo, falla, leerSoap, llamarSoap, sobre, textoDe, todosLocal } from './soap';
import type {
  CsdPac,
  PacAdapter,
  PacError,
  ResultadoBusqueda,
  ResultadoCancelacion,
  ResultadoPendientes,
  ResultadoRespuesta,
  ResultadoTimbrado,
  RespuestaReceptor,
  SolicitudCancelacion,
} from './types';

export interface FinkokOptions {
  /** https://facturacion.finkok.com (live) or https://demo-facturacion.finkok.com */
  baseUrl: string;
  user: string;
  password: string;
  fetch?: typeof fetch;
  /** Per request, answer body included. Default 30 s. */
  timeoutMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
  nombre?: string;
}

const NS_STAMP = 'http://facturacion.finkok.com/stamp';
const NS_CANCEL = 'http://facturacion.finkok.com/cancel';
// RfcPacEnviaSolicitud of an answer sent through Finkok (phpcfdi/finkok AcceptRejectSigner::DEFAULT_PACRFC,
// the RfcProvCertif in Finkok's stamps)
const RFC_FINKOK = 'CVD110412TF6';
const ZONA_SAT = 'America/Mexico_City';
// a 205 this soon after the stamp is the SAT's cancellation service not knowing the UUID yet
const PROPAGACION_SAT_MS = 48 * 3600_000;

const TIMBRE_PREVIO = '307';
const SIN_TIMBRE_PREVIO = '603';
// Finkok's account states: 300 credentials, 702 emisor RFC not registered in the account, 703 account
// suspended; no stamps left is told by message only
const CODIGOS_CUENTA = new Set(['300', '702', '703']);
const MENSAJE_CUENTA = /usuario|contrase|suspendid|timbres disponibles|sin timbres|cr[eé]ditos?|saldo/i;
// the SAT's CFDI validations (CFDI40xxx), its 30x stamping rules, 40x, and Finkok's 705 (XML structure)
// and 707 (already carries a TimbreFiscalDigital): the CFDI itself is wrong
const RECHAZO = /^(CFDI\d+|3\d\d|4\d\d|705|707)$/;

const ESTATUS_CANCELACION: Record<string, string> = {
  '203': 'El folio fiscal no corresponde al emisor',
  '204': 'El folio fiscal no es aplicable a cancelación',
  '205': 'El folio fiscal no existe',
  no_cancelable: 'El CFDI tiene CFDI relacionados que impiden cancelarlo',
};

const ESTATUS_RESPUESTA: Record<string, string> = {
  '1001': 'No existen peticiones de cancelación en espera de respuesta para el UUID',
  '1002': 'Ya se recibió una respuesta para la petición de cancelación del UUID',
  '1003': 'El sello no corresponde al RFC receptor',
  '1004': 'Existen más de una petición de cancelación para el mismo UUID',
  '1005': 'El UUID es nulo o no posee el formato correcto',
  '1006': 'Se rebasó el número máximo de solicitudes permitidas',
};

type Llamada = { ok: true; resultado: XmlLeido } | { ok: false; cierto: boolean; error: PacError };

function incidencias(resultado: XmlLeido): PacError[] {
  return todosLocal(resultado, 'Incidencia').map((i) => {
    const extra = campo(i, 'ExtraInfo');
    const mensaje = campo(i, 'MensajeIncidencia') ?? '';
    return { code: campo(i, 'CodigoError') || 'incidencia', message: extra ? `${mensaje} (${extra})` : mensaje };
  });
}

const esDeCuenta = (e: PacError) => CODIGOS_CUENTA.has(e.code) || MENSAJE_CUENTA.test(e.message);

export class FinkokPac implements PacAdapter {
  readonly nombre: string;
  private readonly baseUrl: string;
  private readonly canal: Canal;
  private readonly now: () => number;

  constructor(private readonly opts: FinkokOptions) {
    if (!opts.user || !opts.password) throw new Error('FinkokPac necesita user y password');
    this.nombre = opts.nombre ?? 'finkok';
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.canal = { fetch: opts.fetch, timeoutMs: opts.timeoutMs ?? 30_000 };
    this.now = opts.now ?? Date.now;
  }

  async timbrar(xmlSellado: string): Promise<ResultadoTimbrado> {
    const r = await this.llamar('stamp', 'stamp', { xml: base64(xmlSellado) });
    if (!r.ok) {
      return r.cierto ? { ok: false, tipo: 'no_timbrado', causa: 'servicio', errores: [r.error] } : { ok: false, tipo: 'incierto', errores: [r.error] };
    }
    const sello = selloDe(xmlSellado);
    const errores = incidencias(r.resultado);
    const timbre = timbreNuestro(campo(r.resultado, 'xml'), sello);
    if (errores.some((e) => e.code === TIMBRE_PREVIO)) {
      if (timbre) return { ok: true, timbre, recuperado: true };
      const previo = await this.buscarTimbre(xmlSellado);
      if (previo.estado === 'timbrado') return { ok: true, timbre: previo.timbre, recuperado: true };
      return {
        ok: false,
        tipo: 'incierto',
        errores: [{ code: TIMBRE_PREVIO, message: 'Finkok indica un timbre previo pero no devolvió ese CFDI; se volverá a consultar' }],
      };
    }
    if (timbre && errores.length === 0) return { ok: true, timbre, recuperado: false };
    if (errores.length > 0 && errores.some(esDeCuenta)) return { ok: false, tipo: 'no_timbrado', causa: 'cuenta', errores };
    if (errores.length > 0 && errores.every((e) => RECHAZO.test(e.code))) return { ok: false, tipo: 'rechazo', errores };
    // a success we cannot read, a stamp that is not ours, or an incidence we do not know: ask Finkok again
    const message = campo(r.resultado, 'xml') ? 'Finkok devolvió un CFDI timbrado que no es legible o no es este comprobante' : 'Respuesta de Finkok sin CFDI timbrado';
    return { ok: false, tipo: 'incierto', errores: errores.length ? errores : [{ code: 'respuesta_invalida', message }] };
  }

  async buscarTimbre(xmlSellado: string): Promise<ResultadoBusqueda> {
    const r = await this.llamar('stamp', 'stamped', { xml: base64(xmlSellado) });
    if (!r.ok) return { estado: 'desconocido', errores: [r.error] };
    const timbre = timbreNuestro(campo(r.resultado, 'xml'), selloDe(xmlSellado));
    if (timbre) return { estado: 'timbrado', timbre };
    const errores = incidencias(r.resultado);
    if (errores.some((e) => e.code === SIN_TIMBRE_PREVIO)) return { estado: 'no_timbrado' };
    return { estado: 'desconocido', errores: errores.length ? errores : [{ code: 'respuesta_invalida', message: 'Finkok no devolvió el CFDI ni dijo que no lo timbró' }] };
  }

  async cancelar(s: SolicitudCancelacion): Promise<ResultadoCancelacion> {
    if (s.motivo === '01' && !s.folioSustitucion) {
      return {
        ok: false,
        tipo: 'rechazo',
        errores: [{ code: 'folio_sustitucion_requerido', message: 'El motivo 01 requiere el folio fiscal que sustituye al cancelado' }],
      };
    }
    const uuid = s.uuid.toUpperCase();
    const folio = elemento('Folio', { UUID: uuid, Motivo: s.motivo, FolioSustitucion: s.motivo === '01' ? s.folioSustitucion?.toUpperCase() : undefined });
    const { xml } = await firmarEnvuelto('Cancelacion', { RfcEmisor: s.rfcEmisor, Fecha: this.fechaSat() }, elemento('Folios', {}, folio), s.csd);
    // store_pending false: a 708 is answered now and retried by us, not queued at Finkok behind our back
    const r = await this.llamar('cancel', 'cancel_signature', { xml: base64(xml), store_pending: 'false' });
    if (!r.ok) return { ok: false, tipo: 'transitorio', errores: [r.error] };
    const acuse = campo(r.resultado, 'Acuse') || undefined;
    const conAcuse = acuse ? { acuse } : {};
    const delUuid = todosLocal(r.resultado, 'Folio').find((f) => campo(f, 'UUID')?.toUpperCase() === uuid);
    const estatus = delUuid && campo(delUuid, 'EstatusUUID');
    if (!estatus) {
      const cod = campo(r.resultado, 'CodEstatus');
      const error = { code: cod?.match(/^\d+/)?.[0] ?? 'respuesta_invalida', message: cod || 'Finkok no devolvió el estatus de este UUID' };
      // 708: Finkok could not reach the SAT; credentials and unreadable answers are retried too
      if (!cod || error.code === '708' || esDeCuenta(error)) return { ok: false, tipo: 'transitorio', errores: [error] };
      return { ok: false, tipo: 'rechazo', errores: [error], ...conAcuse };
    }
    const estatusCancelacion = campo(delUuid, 'EstatusCancelacion') ?? '';
    if ((estatus === '201' || estatus === '202') && acuse) {
      const estado = estatus === '202' || /^cancelad/i.test(estatusCancelacion) ? 'cancelada' : 'en_proceso';
      return { ok: true, estado, acuse };
    }
    const error = { code: estatus, message: ESTATUS_CANCELACION[estatus] ?? `El SAT no aceptó la cancelación (EstatusUUID ${estatus})` };
    if (estatus === '201' || estatus === '202') return { ok: false, tipo: 'transitorio', errores: [{ code: estatus, message: 'Finkok no devolvió el acuse' }] };
    if (estatus === '205' && this.recienTimbrado(s.timbradoEn)) return { ok: false, tipo: 'transitorio', errores: [error] };
    return { ok: false, tipo: 'rechazo', errores: [error], ...conAcuse };
  }

  async cancelacionesRecibidas(args: { rfcReceptor: string; csd: CsdPac; cuenta: string }): Promise<ResultadoPendientes> {
    const r = await this.llamar('cancel', 'get_pending', { rtaxpayer_id: args.rfcReceptor });
    if (!r.ok) return { ok: false, errores: [r.error] };
    const error = campo(r.resultado, 'error');
    if (error) return { ok: false, errores: [{ code: 'get_pending', message: error }] };
    const uuids = buscarLocal(r.resultado, 'uuids');
    // get_pending tells only the UUIDs: who asked and when is not in Finkok's answer
    const solicitudes = (uuids ? todosLocal(uuids, 'string') : []).map((u) => ({
      uuid: textoDe(u).trim().toUpperCase(),
      rfcEmisor: '',
      rfcReceptor: args.rfcReceptor,
    }));
    return { ok: true, solicitudes };
  }

  async responderCancelacion(rr: RespuestaReceptor): Promise<ResultadoRespuesta> {
    const uuid = rr.uuid.toUpperCase();
    const folios = elemento('Folios', {}, elemento('UUID', {}, texto(uuid)) + elemento('Respuesta', {}, rr.respuesta === 'aceptar' ? 'Aceptacion' : 'Rechazo'));
    const { xml } = await firmarEnvuelto(
      'SolicitudAceptacionRechazo',
      { Fecha: this.fechaSat(), RfcPacEnviaSolicitud: RFC_FINKOK, RfcReceptor: rr.csd.rfc },
      folios,
      rr.csd,
    );
    const r = await this.llamar('cancel', 'accept_reject_signature', { xml: base64(xml) });
    if (!r.ok) return { ok: false, tipo: 'transitorio', errores: [r.error] };
    const respuesta = [...todosLocal(r.resultado, 'Acepta'), ...todosLocal(r.resultado, 'Rechaza')].find((x) => campo(x, 'uuid')?.toUpperCase() === uuid);
    const status = respuesta && campo(respuesta, 'status');
    if (status === '1000') return { ok: true };
    if (!status) {
      const message = campo(r.resultado, 'error') || 'Finkok no devolvió la respuesta del SAT para este UUID';
      return { ok: false, tipo: 'transitorio', errores: [{ code: 'respuesta_invalida', message }] };
    }
    const error = { code: status, message: ESTATUS_RESPUESTA[status] ?? `El SAT no aceptó la respuesta (${status})` };
    return { ok: false, tipo: status === '1006' ? 'transitorio' : 'rechazo', errores: [error] };
  }

  /** Cancellation documents carry the SAT's local time (central Mexico), without offset. */
  private fechaSat(): string {
    return fechaLocal(new Date(this.now()), ZONA_SAT);
  }

  private recienTimbrado(timbradoEn: string | undefined): boolean {
    const t = timbradoEn ? Date.parse(timbradoEn) : NaN;
    return Number.isFinite(t) && this.now() - t < PROPAGACION_SAT_MS;
  }

  /**
   * One SOAP call; the `<metodo>Result` element on success. `cierto`: certainly not processed (never sent,
   * 503, 429). Everything else that fails — timeout, 5xx, SOAP fault, unreadable body — may have been.
   */
  private async llamar(servicio: 'stamp' | 'cancel', metodo: string, campos: Record<string, string>): Promise<Llamada> {
    const ns = servicio === 'stamp' ? NS_STAMP : NS_CANCEL;
    const args = { ...campos, username: this.opts.user, password: this.opts.password };
    const cuerpo = elemento(`f:${metodo}`, {}, Object.entries(args).map(([k, v]) => elemento(`f:${k}`, {}, texto(v))).join(''));
    const r = await llamarSoap(this.canal, `${this.baseUrl}/servicios/soap/${servicio}`, metodo, sobre(cuerpo, { f: ns }));
    if (!r.ok) return { ok: false, cierto: !r.enviada, error: r.error };
    const arbol = leerSoap(r.texto);
    const fault = falla(arbol);
    const cierto = r.status === 503 || r.status === 429;
    if (cierto || !arbol || fault !== undefined) {
      const message = fault ?? (r.texto.trim().slice(0, 500) || `HTTP ${r.status}`);
      return { ok: false, cierto, error: { code: fault !== undefined ? 'soap_fault' : `HTTP${r.status}`, message } };
    }
    const resultado = buscarLocal(arbol, `${metodo}Result`);
    if (!resultado) return { ok: false, cierto: false, error: { code: `HTTP${r.status}`, message: `Respuesta de Finkok sin ${metodo}Result` } };
    return { ok: true, resultado };
  }
}

const base64 = (s: string) => toBase64(new TextEncoder().encode(s));
