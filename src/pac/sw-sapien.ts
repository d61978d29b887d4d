// SW Sapien (SmarterWeb) REST adapter for live mode. Plain fetch: runs in workerd and in Node.
//
// What SW publishes (developers.sw.com.mx knowledge base, and their SDKs lunasoft/sw-sdk-dotnet, -go, -python):
// - POST /v2/security/authenticate, JSON {user, password} → {status, data: {token, expires_in, tokeny_type}};
//   the token lasts two hours and `expires_in` is an epoch in seconds in their examples. An "infinite" token
//   from their portal can be used instead.
// - POST /cfdi33/stamp/v4 (the /cfdi33 path also takes CFDI 4.0), multipart/form-data field `xml`,
//   Authorization: Bearer. v4 data: cfdi, cadenaOriginalSAT, noCertificadoSAT, noCertificadoCFDI, uuid,
//   selloSAT, selloCFDI, fechaTimbrado, qrCode. Errors: {status: 'error', message: 'CODE - text', messageDetail}.
// - Duplicate: message "307. El comprobante contiene un timbre previo." with status 'error' AND the earlier
//   stamp in data.cfdi (SW's timbrado-customid page shows that body; sw-sdk-dotnet's ResponseHandler reads
//   data.cfdi on 307). So the lost stamp is recovered from the 307 answer itself; SW offers no query by the
//   CFDI's hash, and we cannot query by UUID because we never learned it. A 307 without data.cfdi is
//   answered as transient: a later retry gets the data, and nothing is ever stamped twice.
// - POST /cfdi33/cancel/{rfc}/{uuid}/{motivo}[/{folioSustitucion}] with the CSD stored in the SW account →
//   {status, data: {acuse, uuid: {UUID: EstatusUUID}}}; EstatusUUID is the SAT's (201 received, 202 already
//   cancelled, 203-205 refused...).
// - Status: SW has no REST endpoint for it; its SDKs (sw-sdk-go consultaestatus, sw-sdk-dotnet Status) call
//   the SAT's public ConsultaCFDIService (SOAP, `Consulta` with the expresionImpresa). So does this adapter.
import { buscarTfd, attr, escapeAttr, NS, parseXml, type XmlLeido, timbreDe } from '../cfdi';
import type {
  EstadoCfdi,
  PacAdapter,
  PacError,
  ResultadoCancelacion,
  ResultadoTimbrado,
  SolicitudCancelacion,
  Timbre,
} from './types';

export interface SwSapienOptions {
  /** https://services.sw.com.mx (live) or https://services.test.sw.com.mx */
  baseUrl: string;
  user?: string;
  password?: string;
  /** A long-lived token issued by SW; used until SW refuses it (then user/password, if given). */
  token?: string;
  fetch?: typeof fetch;
  /** Per request, answer body included. Default 30 s. */
  timeoutMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
  /** The SAT's ConsultaCFDIService endpoint used by consultarEstado. */
  consultaUrl?: string;
}

export const CONSULTA_SAT_URL = 'https://consultaqr.facturaelectronica.sat.gob.mx/ConsultaCFDIService.svc';
const SOAP_ACTION_CONSULTA = 'http://tempuri.org/IConsultaCFDIService/Consulta';
const DURACION_TOKEN_MS = 2 * 60 * 60_000;
// renew this long before SW's expiry so a token never dies in flight
const MARGEN_TOKEN_MS = 5 * 60_000;

/** consultarEstado could not learn the status (network, timeout, SAT service error): retry later. */
export class ConsultaEstadoError extends Error {
  readonly tipo = 'transitorio';
  constructor(readonly errores: PacError[]) {
    super(errores.map((e) => `${e.code}: ${e.message}`).join('; '));
    this.name = 'ConsultaEstadoError';
  }
}

interface CuerpoSw {
  status?: string;
  message?: string | null;
  messageDetail?: string | null;
  data?: Record<string, unknown> | null;
}

type Respuesta = { ok: true; status: number; texto: string; cuerpo: CuerpoSw | null } | { ok: false; error: PacError };

interface Token {
  valor: string;
  /** when to authenticate again: shortly before SW's expiry */
  renovarEn: number;
}

// SAT EstatusUUID answers to a cancellation request that are not 201/202
const ESTATUS_CANCELACION: Record<string, string> = {
  '203': 'El folio fiscal no corresponde al emisor',
  '204': 'El folio fiscal no es aplicable a cancelación',
  '205': 'El folio fiscal no existe',
};

function parseJson(texto: string): CuerpoSw | null {
  try {
    const v: unknown = JSON.parse(texto);
    return v && typeof v === 'object' ? (v as CuerpoSw) : null;
  } catch {
    return null;
  }
}

/** SW messages read "CFDI40102 - text", "307. text" or just text. */
function errorDeSw(cuerpo: CuerpoSw | null, status: number, texto: string): PacError {
  const message = cuerpo?.message?.trim() || texto.trim().slice(0, 500) || `HTTP ${status}`;
  const m = /^([A-Z]*\d+)\s*[.\-:]?\s*(.*)$/s.exec(message);
  const code = m ? m[1] : `HTTP${status}`;
  const texto1 = m && m[2] ? m[2] : message;
  const detalle = cuerpo?.messageDetail?.trim();
  return { code, message: detalle && detalle !== texto1 ? `${texto1} (${detalle})` : texto1 };
}

const esTransitorio = (status: number) => status === 429 || status >= 500 || status === 401 || status === 408;

function selloDe(xml: string): string | undefined {
  try {
    return attr(parseXml(xml), 'Sello');
  } catch {
    return undefined;
  }
}

/** The stamp inside a stamped CFDI returned by SW, if it is the stamp of the CFDI we sent (same Sello). */
function timbreDeCfdi(cfdi: unknown, selloEnviado: string | undefined): Timbre | null {
  if (typeof cfdi !== 'string' || !selloEnviado) return null;
  let comprobante: XmlLeido;
  try {
    comprobante = parseXml(cfdi);
  } catch {
    return null;
  }
  if (comprobante.ns !== NS.cfdi || attr(comprobante, 'Sello') !== selloEnviado) return null;
  const tfd = buscarTfd(comprobante);
  if (!tfd) return null;
  const t = timbreDe(tfd);
  if (!t.uuid || !t.fechaTimbrado || !t.noCertificadoSAT || t.selloCFD !== selloEnviado) return null;
  return { xml: cfdi, uuid: t.uuid.toUpperCase(), fechaTimbrado: t.fechaTimbrado, noCertificadoSAT: t.noCertificadoSAT };
}

function textoDe(el: XmlLeido): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textoDe(c))).join('');
}

/** First descendant with this local name, whatever its namespace (SOAP answers mix several). */
function buscarLocal(el: XmlLeido, local: string): XmlLeido | undefined {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.local === local) return c;
    const d = buscarLocal(c, local);
    if (d) return d;
  }
  return undefined;
}

export class SwSapienPac implements PacAdapter {
  readonly nombre = 'sw-sapien';
  private readonly baseUrl: string;
  private readonly consultaUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private token: Token | null;
  private autenticando: Promise<Token | PacError> | null = null;

  constructor(private readonly opts: SwSapienOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.consultaUrl = opts.consultaUrl ?? CONSULTA_SAT_URL;
    // bound so a global fetch is not called with the adapter as `this` (workerd refuses that)
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.now = opts.now ?? Date.now;
    this.token = opts.token ? { valor: opts.token, renovarEn: Number.POSITIVE_INFINITY } : null;
    if (!opts.token && !(opts.user && opts.password)) {
      throw new Error('SwSapienPac necesita token, o user y password');
    }
  }

  async timbrar(xmlSellado: string): Promise<ResultadoTimbrado> {
    const r = await this.conToken((token) => {
      const form = new FormData();
      form.append('xml', new Blob([xmlSellado], { type: 'application/xml' }), 'cfdi.xml');
      return this.enviar(`${this.baseUrl}/cfdi33/stamp/v4`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: form,
      });
    });
    if (!r.ok) return { ok: false, tipo: 'transitorio', errores: [r.error] };
    const { status, cuerpo, texto } = r;
    const sello = selloDe(xmlSellado);
    if (cuerpo && /^\s*307\b/.test(cuerpo.message ?? '')) {
      const previo = timbreDeCfdi(cuerpo.data?.cfdi, sello);
      if (previo) return { ok: true, timbre: previo, recuperado: true };
      return {
        ok: false,
        tipo: 'transitorio',
        errores: [{ code: '307', message: 'SW indica un timbre previo pero no devolvió ese CFDI; se reintentará' }],
      };
    }
    if (esTransitorio(status)) return { ok: false, tipo: 'transitorio', errores: [errorDeSw(cuerpo, status, texto)] };
    if (status === 200 && cuerpo?.status === 'success') {
      const timbre = timbreDeCfdi(cuerpo.data?.cfdi, sello);
      // a success we cannot read is still a stamp: retrying yields the 307 with the CFDI, never a new UUID
      if (timbre) return { ok: true, timbre, recuperado: false };
      return { ok: false, tipo: 'transitorio', errores: [{ code: 'respuesta_invalida', message: 'SW respondió éxito sin un CFDI timbrado legible para este comprobante' }] };
    }
    if (status >= 400 || cuerpo?.status === 'error') {
      return { ok: false, tipo: 'rechazo', errores: [errorDeSw(cuerpo, status, texto)] };
    }
    return { ok: false, tipo: 'transitorio', errores: [{ code: `HTTP${status}`, message: 'Respuesta inesperada de SW' }] };
  }

  async cancelar(s: SolicitudCancelacion): Promise<ResultadoCancelacion> {
    if (s.motivo === '01' && !s.folioSustitucion) {
      return {
        ok: false,
        tipo: 'rechazo',
        errores: [{ code: 'folio_sustitucion_requerido', message: 'El motivo 01 requiere el folio fiscal que sustituye al cancelado' }],
      };
    }
    const segmentos = [s.rfcEmisor, s.uuid, s.motivo, ...(s.motivo === '01' ? [s.folioSustitucion as string] : [])];
    const url = `${this.baseUrl}/cfdi33/cancel/${segmentos.map(encodeURIComponent).join('/')}`;
    const r = await this.conToken((token) => this.enviar(url, { method: 'POST', headers: { Authorization: `Bearer ${token}` } }));
    if (!r.ok) return { ok: false, tipo: 'transitorio', errores: [r.error] };
    const { status, cuerpo, texto } = r;
    if (esTransitorio(status)) return { ok: false, tipo: 'transitorio', errores: [errorDeSw(cuerpo, status, texto)] };
    const acuse = typeof cuerpo?.data?.acuse === 'string' ? cuerpo.data.acuse : undefined;
    if (status === 200 && cuerpo?.status === 'success' && acuse) {
      const estatus = this.estatusUuid(cuerpo.data?.uuid, s.uuid);
      if (estatus === '202') return { ok: true, estado: 'cancelada', acuse };
      if (estatus === '201') {
        // 201 = request received; whether it is already cancelled or awaits the receptor, the SAT status tells
        const estado = await this.consultarEstado(s).catch(() => null);
        return { ok: true, estado: estado?.estado === 'cancelado' ? 'cancelada' : 'en_proceso', acuse };
      }
      if (estatus) {
        const message = ESTATUS_CANCELACION[estatus] ?? `El SAT no aceptó la cancelación (EstatusUUID ${estatus})`;
        return { ok: false, tipo: 'rechazo', errores: [{ code: estatus, message }], acuse };
      }
      return { ok: false, tipo: 'transitorio', errores: [{ code: 'respuesta_invalida', message: 'El acuse de SW no trae el estatus de este UUID' }] };
    }
    if (status >= 400 || cuerpo?.status === 'error') {
      return { ok: false, tipo: 'rechazo', errores: [errorDeSw(cuerpo, status, texto)], ...(acuse ? { acuse } : {}) };
    }
    return { ok: false, tipo: 'transitorio', errores: [{ code: `HTTP${status}`, message: 'Respuesta inesperada de SW' }] };
  }

  /**
   * The SAT's ConsultaCFDIService. `total` goes into the expresionImpresa as the caller gives it (the
   * Comprobante's Total). Throws ConsultaEstadoError when the status cannot be learned.
   */
  async consultarEstado(args: Omit<SolicitudCancelacion, 'motivo' | 'folioSustitucion'>): Promise<EstadoCfdi> {
    const valor = (v: string) => v.replace(/&/g, '%26');
    const expresion = `?re=${valor(args.rfcEmisor)}&rr=${valor(args.rfcReceptor)}&tt=${valor(args.total)}&id=${valor(args.uuid)}`;
    const sobre =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
      `<Consulta xmlns="http://tempuri.org/"><expresionImpresa>${escapeAttr(expresion)}</expresionImpresa></Consulta>` +
      '</s:Body></s:Envelope>';
    const r = await this.enviar(this.consultaUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${SOAP_ACTION_CONSULTA}"` },
      body: sobre,
    });
    if (!r.ok) throw new ConsultaEstadoError([r.error]);
    if (r.status !== 200) throw new ConsultaEstadoError([{ code: `HTTP${r.status}`, message: r.texto.slice(0, 500) }]);
    let resultado: XmlLeido | undefined;
    try {
      resultado = buscarLocal(parseXml(r.texto), 'ConsultaResult');
    } catch {
      resultado = undefined;
    }
    const campo = (local: string) => {
      const el = resultado && buscarLocal(resultado, local);
      return el ? textoDe(el).trim() : undefined;
    };
    const estado = ({ Vigente: 'vigente', Cancelado: 'cancelado', 'No Encontrado': 'no_encontrado' } as const)[campo('Estado') ?? ''];
    if (!estado) {
      throw new ConsultaEstadoError([{ code: campo('CodigoEstatus') ?? 'respuesta_invalida', message: 'El SAT no devolvió el estado del CFDI' }]);
    }
    const esCancelable = campo('EsCancelable');
    const estatusCancelacion = campo('EstatusCancelacion');
    return { estado, ...(esCancelable ? { esCancelable } : {}), ...(estatusCancelacion ? { estatusCancelacion } : {}) };
  }

  private estatusUuid(mapa: unknown, uuid: string): string | undefined {
    if (!mapa || typeof mapa !== 'object') return undefined;
    for (const [k, v] of Object.entries(mapa)) if (k.toUpperCase() === uuid.toUpperCase()) return String(v);
    return undefined;
  }

  /** One request; a 401 gets one fresh token and one retry (when we can authenticate). */
  private async conToken(hacer: (token: string) => Promise<Respuesta>): Promise<Respuesta> {
    const token = await this.tokenVigente();
    if ('code' in token) return { ok: false, error: token };
    const r = await hacer(token.valor);
    if (!r.ok || r.status !== 401 || !this.puedeAutenticar()) return r;
    if (this.token === token) this.token = null;
    const nuevo = await this.tokenVigente();
    if ('code' in nuevo) return { ok: false, error: nuevo };
    return hacer(nuevo.valor);
  }

  private puedeAutenticar(): boolean {
    return Boolean(this.opts.user && this.opts.password);
  }

  private async tokenVigente(): Promise<Token | PacError> {
    if (this.token && this.now() < this.token.renovarEn) return this.token;
    // concurrent callers share one authentication
    this.autenticando ??= this.autenticar().finally(() => {
      this.autenticando = null;
    });
    return this.autenticando;
  }

  private async autenticar(): Promise<Token | PacError> {
    const r = await this.enviar(`${this.baseUrl}/v2/security/authenticate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: this.opts.user, password: this.opts.password }),
    });
    if (!r.ok) return r.error;
    const data = r.cuerpo?.data;
    const valor = data && typeof data.token === 'string' ? data.token : '';
    if (r.status !== 200 || r.cuerpo?.status !== 'success' || !valor) return errorDeSw(r.cuerpo, r.status, r.texto);
    const expira = Number(data?.expires_in);
    // SW's examples give an epoch in seconds; a small number would be a lifetime in seconds
    const ahora = this.now();
    const expiraEn = !Number.isFinite(expira) || expira <= 0 ? ahora + DURACION_TOKEN_MS : expira > 1e9 ? expira * 1000 : ahora + expira * 1000;
    // a short-lived token is renewed at half its life rather than on every call
    this.token = { valor, renovarEn: expiraEn - Math.min(MARGEN_TOKEN_MS, (expiraEn - ahora) / 2) };
    return this.token;
  }

  /** fetch with a deadline over the whole exchange; never throws. */
  private async enviar(url: string, init: RequestInit): Promise<Respuesta> {
    const control = new AbortController();
    const reloj = setTimeout(() => control.abort(), this.timeoutMs);
    try {
      const res = await this.fetchFn(url, { ...init, signal: control.signal, redirect: 'manual' });
      const texto = await res.text();
      return { ok: true, status: res.status, texto, cuerpo: parseJson(texto) };
    } catch (e) {
      if (control.signal.aborted) return { ok: false, error: { code: 'timeout', message: `Sin respuesta en ${this.timeoutMs} ms` } };
      return { ok: false, error: { code: 'red', message: `Error de red: ${(e as Error).message}` } };
    } finally {
      clearTimeout(reloj);
    }
  }
}
