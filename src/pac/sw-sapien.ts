// SW Sapien (SmarterWeb) REST adapter for live mode. Runs in workerd and in Node. Every request goes through
// http.ts's `enviar`; the answer bodies the fake replays are in test/fixtures/pac/sw/ with their sources.
//
// What SW publishes (developers.sw.com.mx knowledge base; SDKs lunasoft/sw-sdk-dotnet, -java, -python, -php):
// - POST /v2/security/authenticate {user, password} → {data: {token, expires_in}, status}; 2 h tokens, or an
//   "infinite" token from SW's portal.
// - POST /v4/cfdi33/stamp/v4 (/cfdi33 also takes CFDI 4.0), multipart field `xml`, header `customid`: at most
//   100 characters, no format rule, remembered 72 h (page timbradov4-customid; sw-sdk-dotnet StampServiceV4.cs).
//   Errors: {message: 'CODE - text', messageDetail, data, status: 'error'} (page error-codes).
// - Duplicates, two answers: the same XML again → "307. El comprobante contiene un timbre previo." with the
//   earlier stamp in data (data.cfdi; page timbrado-customid-2, sw-sdk-java BuildResponseV4); the same customid
//   with another XML → "CFDI3307 - Timbre duplicado. El customId proporcionado está duplicado." with only
//   data.tfd, whose UUID sw-sdk-dotnet (BaseStampV4XML.cs) looks up in SW's datawarehouse:
//   GET {api host}/datawarehouse/v1/live/{uuid} → data.records[0].urlXml, then downloads that URL.
// - POST /cfdi33/cancel/csd {uuid, password, rfc, motivo, folioSustitucion, b64Cer, b64Key} → {data: {acuse,
//   uuid: {UUID: EstatusUUID}}}; 201 received, 202 already cancelled, 205 unknown to the SAT, which may take
//   48 h to list a new stamp (sw-sdk-php README "Códigos de respuesta de folios de cancelación").
// - GET /pendings/{rfc} → {data: {UUID: [...], CodEstatus: '1100'}}; none: "CA1101 - No existen peticiones
//   para el RFC Receptor." (page consulta-de-solicitudes-pendientes-de-cancelacion; sw-sdk-php PendingsTest).
// - POST /acceptreject/csd {rfc, uuids: [{uuid, action: 'Aceptacion'|'Rechazo'}], password, b64Cer, b64Key} →
//   {codStatus, data: {folios: [{uuid, estatusUUID, respuesta}], acuse}} (page aceptar-o-rechazar-cancelacion-cfdi).
import { toBase64 } from '../cfdi';
import { enviar, type Canal, type Respuesta } from './http';
import { incierto, noTimbrado, selloDe, timbreNuestro } from './respuestas';
import { cifrarPkcs8 } from './pkcs8-cifrado';
import type {
  CsdPac,
  OpcionesTimbrado,
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
  nombre?: string;
  /** SW's API host (datawarehouse); default: baseUrl with `services.` read as `api.` */
  apiUrl?: string;
}

/** SW's test environment (services.test.sw.com.mx): its stamps are known to the SAT's test services only. */
export function esHostDePruebas(baseUrl: string): boolean {
  try {
    return /(^|\.)test\.sw\.com\.mx$/i.test(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

const DURACION_TOKEN_MS = 2 * 60 * 60_000;
// renew this long before SW's expiry so a token never dies in flight
const MARGEN_TOKEN_MS = 5 * 60_000;
const PROPAGACION_SAT_MS = 48 * 60 * 60_000;
// SW's customid: its documented length limit, and what an HTTP header can carry
const CUSTOMID = /^[\x21-\x7e]{1,100}$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

// The CFDI itself is wrong (SAT matrices and SW's CFDI checks): every PAC would refuse it. CFDI3307 is not
// among them: it is the customid duplicate, handled before.
const RECHAZO = /^(CFDI4\d+|CRP\d+|NOM\d+|CCE\d+|CP\d+|CC\d+|CO100[1-9]|30[1-8]|40[1-3])$/;
// The SW account's state: AU (authentication, balance, manifest), CO1000 (SW's "error no controlado").
const CUENTA = /^(AU\d+|CO1000)$/;
const QUE_HACER: Record<string, string> = {
  AU2000: 'Revisa el usuario y la contraseña de SW configurados.',
  AU2001: 'La cuenta de SW no tiene timbres: recárguela.',
  AU2002: 'El usuario de SW está inactivo: actívalo con el administrador de tu cuenta de SW.',
  AU2003: 'El emisor no ha firmado el manifiesto de SW: debe firmarlo en el portal de SW antes de timbrar.',
  AU2004: 'El RFC emisor no está asignado a esta cuenta de SW: asígnelo en SW.',
};

interface CuerpoSw {
  status?: string;
  message?: string | null;
  messageDetail?: string | null;
  data?: unknown;
  codStatus?: string;
}

/** No request was sent: no token could be had. `porCuenta` when SW refused the credentials. */
type SinToken = { ok: false; enviada: false; error: PacError; porCuenta: boolean };
type Intercambio = Respuesta | SinToken;

interface Token {
  valor: string;
  /** when to authenticate again: shortly before SW's expiry */
  renovarEn: number;
}

function leerJson(texto: string): CuerpoSw | null {
  try {
    const v: unknown = JSON.parse(texto);
    return v && typeof v === 'object' ? (v as CuerpoSw) : null;
  } catch {
    return null;
  }
}

const objeto = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** A field whatever its casing: SW's pages write `UUID`/`CodEstatus` where its SDKs read `uuid`/`codEstatus`. */
function campo(o: unknown, nombre: string): unknown {
  const obj = objeto(o);
  const k = obj && Object.keys(obj).find((k) => k.toLowerCase() === nombre.toLowerCase());
  return k ? obj[k] : undefined;
}

/** SW messages read "CFDI40102 - text", "307. text", "AU2001 – text" or just text. */
function errorDeSw(cuerpo: CuerpoSw | null, status: number): PacError {
  // a body that is not SW's JSON (a proxy's or IIS's page) says nothing more than its status
  const message = cuerpo?.message?.trim() || `HTTP ${status}`;
  const m = /^([A-Z]*\d+)\s*[.\-–:]?\s*(.*)$/s.exec(message);
  const code = m ? m[1] : `HTTP${status}`;
  const texto1 = m && m[2] ? m[2] : message;
  const detalle = cuerpo?.messageDetail?.trim();
  return { code, message: detalle && detalle !== texto1 ? `${texto1} (${detalle})` : texto1 };
}

const conConsejo = (e: PacError, consejo: string): PacError => ({ code: e.code, message: `${e.message} ${QUE_HACER[e.code] ?? consejo}` });

// a 404 page, or a redirect (http → https, another host): the configured URL is not SW's API
const rutaDesconocida = (status: number) => status === 404 || (status >= 300 && status < 400);
const rutaNoReconocida = (status: number, url: string): PacError => ({ code: `HTTP${status}`, message: `SW no reconoce la ruta ${url}: revisa la URL de SW configurada.` });

const esDuplicado = (e: PacError) => e.code === '307' || e.code === 'CFDI3307';

export class SwSapienPac implements PacAdapter {
  readonly nombre: string;
  private readonly baseUrl: string;
  private readonly apiUrl: string;
  private readonly canal: Canal;
  private readonly now: () => number;
  private token: Token | null;
  private autenticando: Promise<Token | SinToken> | null = null;

  constructor(private readonly opts: SwSapienOptions) {
    this.nombre = opts.nombre ?? 'sw-sapien';
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.apiUrl = (opts.apiUrl ?? this.baseUrl.replace(/^(https?:\/\/)services\./i, '$1api.')).replace(/\/+$/, '');
    this.canal = { fetch: opts.fetch, timeoutMs: opts.timeoutMs ?? 30_000 };
    this.now = opts.now ?? Date.now;
    this.token = opts.token ? { valor: opts.token, renovarEn: Number.POSITIVE_INFINITY } : null;
    if (!opts.token && !(opts.user && opts.password)) {
      throw new Error('SwSapienPac necesita token, o user y password');
    }
  }

  async timbrar(xmlSellado: string, opts: OpcionesTimbrado): Promise<ResultadoTimbrado> {
    if (!CUSTOMID.test(opts.referencia)) {
      return noTimbrado('cuenta', { code: 'referencia_invalida', message: 'La referencia no cabe en el customid de SW (1 a 100 caracteres ASCII visibles).' });
    }
    const r = await this.conToken((token) => {
      const form = new FormData();
      form.append('xml', new Blob([xmlSellado], { type: 'application/xml' }), 'cfdi.xml');
      return enviar(this.canal, `${this.baseUrl}/v4/cfdi33/stamp/v4`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, customid: opts.referencia },
        body: form,
      });
    });
    if (!r.ok) {
      if ('porCuenta' in r) return noTimbrado(r.porCuenta ? 'cuenta' : 'servicio', r.error);
      if (!r.enviada) return noTimbrado('servicio', r.error);
      return incierto(r.error.code, `${r.error.message}: SW pudo haberlo timbrado; se le preguntará de nuevo antes de usar otro PAC.`);
    }
    const { status, texto } = r;
    const cuerpo = leerJson(texto);
    const sello = selloDe(xmlSellado);
    const error = errorDeSw(cuerpo, status);
    if (cuerpo && esDuplicado(error)) return this.recuperar(cuerpo, sello, error);
    if (status === 200 && cuerpo?.status === 'success') {
      const timbre = timbreNuestro(campo(cuerpo.data, 'cfdi'), sello);
      if (timbre) return { ok: true, timbre, recuperado: false };
      // a stamp we cannot read is still a stamp: asking again under the same customid returns it
      return incierto('respuesta_invalida', 'SW respondió éxito sin un CFDI timbrado legible de este comprobante; se le preguntará de nuevo.');
    }
    // before the codes: SW's code 401 (Fecha older than 72 h) comes with HTTP 400, an HTTP 401 is the token
    if (status === 401) return noTimbrado('cuenta', conConsejo(error, 'SW rechaza el token aun recién obtenido: revisa las credenciales de SW.'));
    if (RECHAZO.test(error.code)) return { ok: false, tipo: 'rechazo', errores: [error] };
    if (CUENTA.test(error.code)) return noTimbrado('cuenta', conConsejo(error, 'Un operador debe revisar la cuenta de SW.'));
    if (rutaDesconocida(status)) return noTimbrado('cuenta', rutaNoReconocida(status, `${this.baseUrl}/v4/cfdi33/stamp/v4`));
    if (status === 429 || status === 503) return noTimbrado('servicio', error);
    if (status >= 500 || cuerpo?.status !== 'error') {
      return incierto(error.code, `${error.message}: respuesta de SW no concluyente; se le preguntará de nuevo antes de usar otro PAC.`);
    }
    // SW answered an error of its own it did not stamp under, with a code we do not know
    return noTimbrado('servicio', error);
  }

  /**
   * SW has no lookup by the CFDI's hash: the CFDI is sent again under the same customid. SW's duplicate
   * check answers the earlier stamp (307/CFDI3307); if it had none it stamps now, still the one UUID. A
   * refusal of the CFDI itself proves it was never stamped (the first try met the same check), except the
   * checks that change with time: 401 (72 h since Fecha), 402 (the LCO) and 304 (CSD revoked since).
   */
  async buscarTimbre(xmlSellado: string, opts: OpcionesTimbrado): Promise<ResultadoBusqueda> {
    const r = await this.timbrar(xmlSellado, opts);
    if (r.ok) return { estado: 'timbrado', timbre: r.timbre };
    if (r.tipo === 'rechazo' && !r.errores.some((e) => /^(401|402|304)$/.test(e.code))) return { estado: 'no_timbrado' };
    return { estado: 'desconocido', errores: r.errores };
  }

  /** The earlier stamp of a duplicate answer, in whichever shape SW gives it; ours only (same Sello). */
  private async recuperar(cuerpo: CuerpoSw, sello: string | undefined, error: PacError): Promise<ResultadoTimbrado> {
    const candidatos = [campo(cuerpo.data, 'cfdi'), cuerpo.data, cuerpo.messageDetail];
    for (const c of candidatos) {
      const t = timbreNuestro(c, sello);
      if (t) return { ok: true, timbre: t, recuperado: true };
    }
    const textos = [campo(cuerpo.data, 'tfd'), campo(cuerpo.data, 'uuid'), cuerpo.data, cuerpo.messageDetail, cuerpo.message];
    const uuid = textos.map((t) => (typeof t === 'string' ? UUID.exec(t)?.[0] : undefined)).find(Boolean);
    if (uuid) {
      const t = timbreNuestro(await this.xmlPorUuid(uuid), sello);
      if (t) return { ok: true, timbre: t, recuperado: true };
    }
    const cual = uuid ? ` (UUID ${uuid.toUpperCase()})` : '';
    return incierto(
      error.code,
      `SW indica un timbre previo de este comprobante${cual} pero no entregó el CFDI timbrado de este mismo sello. ` +
        'No lo timbres en otro PAC: se le preguntará de nuevo; si persiste, consulta ese folio fiscal en SW.',
    );
  }

  /** A stamped XML from SW's datawarehouse, as sw-sdk-dotnet fetches it after a CFDI3307. */
  private async xmlPorUuid(uuid: string): Promise<string | undefined> {
    const r = await this.conToken((token) =>
      enviar(this.canal, `${this.apiUrl}/datawarehouse/v1/live/${uuid}`, { method: 'GET', headers: { Authorization: `Bearer ${token}` } }),
    );
    if (!r.ok || r.status !== 200) return undefined;
    const registros = campo(leerJson(r.texto)?.data, 'records');
    const url = Array.isArray(registros) ? campo(registros[0], 'urlXml') : undefined;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return undefined;
    const xml = await enviar(this.canal, url, { method: 'GET' });
    return xml.ok && xml.status === 200 ? xml.texto : undefined;
  }

  async cancelar(s: SolicitudCancelacion): Promise<ResultadoCancelacion> {
    if (s.motivo === '01' && !s.folioSustitucion) {
      return {
        ok: false,
        tipo: 'rechazo',
        errores: [{ code: 'folio_sustitucion_requerido', message: 'El motivo 01 requiere el folio fiscal que sustituye al cancelado.' }],
      };
    }
    const r = await this.conCsd('/cfdi33/cancel/csd', s.csd, {
      uuid: s.uuid,
      rfc: s.rfcEmisor,
      motivo: s.motivo,
      ...(s.folioSustitucion ? { folioSustitucion: s.folioSustitucion } : {}),
    });
    if (!r.ok) return { ok: false, tipo: 'transitorio', errores: [r.error] };
    const cuerpo = leerJson(r.texto);
    const acuse = campo(cuerpo?.data, 'acuse');
    if (r.status === 200 && cuerpo?.status === 'success' && typeof acuse === 'string') {
      const estatus = campo(campo(cuerpo.data, 'uuid'), s.uuid);
      if (estatus === '201') return { ok: true, estado: 'en_proceso', acuse };
      if (estatus === '202') return { ok: true, estado: 'cancelada', acuse };
      if (estatus === '205' && s.timbradoEn && this.now() - Date.parse(s.timbradoEn) < PROPAGACION_SAT_MS) {
        return {
          ok: false,
          tipo: 'transitorio',
          errores: [{ code: '205', message: 'El SAT aún no registra el folio fiscal (puede tardar hasta 48 horas tras el timbrado); se reintentará.' }],
        };
      }
      if (estatus !== undefined) {
        return { ok: false, tipo: 'rechazo', errores: [{ code: String(estatus), message: `El SAT no aceptó la cancelación (EstatusUUID ${String(estatus)}).` }], acuse };
      }
      return { ok: false, tipo: 'transitorio', errores: [{ code: 'respuesta_invalida', message: 'El acuse de SW no trae el estatus de este folio fiscal; se reintentará.' }] };
    }
    return { ...this.fallo(r.status, cuerpo), ...(typeof acuse === 'string' ? { acuse } : {}) };
  }

  async cancelacionesRecibidas(args: { rfcReceptor: string; csd: CsdPac; cuenta: string }): Promise<ResultadoPendientes> {
    const r = await this.conToken((token) =>
      enviar(this.canal, `${this.baseUrl}/pendings/${encodeURIComponent(args.rfcReceptor)}`, { method: 'GET', headers: { Authorization: `Bearer ${token}` } }),
    );
    if (!r.ok) return { ok: false, errores: [r.error] };
    const cuerpo = leerJson(r.texto);
    const error = errorDeSw(cuerpo, r.status);
    // SW answers "CA1101 - No existen peticiones para el RFC Receptor." for an empty inbox
    if (error.code === 'CA1101' || cuerpo?.codStatus === '1101') return { ok: true, solicitudes: [] };
    const uuids = campo(cuerpo?.data, 'uuid');
    if (r.status !== 200 || cuerpo?.status !== 'success' || !Array.isArray(uuids)) return { ok: false, errores: this.fallo(r.status, cuerpo).errores };
    // SW lists only UUIDs: who asked is the SAT's to tell (status service), not SW's
    return {
      ok: true,
      solicitudes: uuids.filter((u): u is string => typeof u === 'string').map((uuid) => ({ uuid: uuid.toUpperCase(), rfcEmisor: '', rfcReceptor: args.rfcReceptor })),
    };
  }

  async responderCancelacion(rr: RespuestaReceptor): Promise<ResultadoRespuesta> {
    const r = await this.conCsd('/acceptreject/csd', rr.csd, {
      rfc: rr.csd.rfc,
      uuids: [{ uuid: rr.uuid, action: rr.respuesta === 'aceptar' ? 'Aceptacion' : 'Rechazo' }],
    });
    if (!r.ok) return { ok: false, tipo: 'transitorio', errores: [r.error] };
    const cuerpo = leerJson(r.texto);
    if (r.status !== 200 || cuerpo?.status !== 'success') return this.fallo(r.status, cuerpo);
    const acuse = campo(cuerpo.data, 'acuse');
    const folios = campo(cuerpo.data, 'folios');
    const folio = Array.isArray(folios) ? folios.find((f) => String(campo(f, 'uuid')).toUpperCase() === rr.uuid.toUpperCase()) : undefined;
    const estatus = folio === undefined ? undefined : String(campo(folio, 'estatusUUID'));
    // the SAT's 1000: the answer was received
    if (estatus !== undefined && estatus !== '1000') {
      return { ok: false, tipo: 'rechazo', errores: [{ code: estatus, message: `El SAT no aceptó la respuesta a la solicitud de cancelación (EstatusUUID ${estatus}).` }] };
    }
    return { ok: true, ...(typeof acuse === 'string' ? { acuse } : {}) };
  }

  /** A JSON request signed with a CSD as SW takes it: the .key encrypted (fresh password each time) and its password. */
  private async conCsd(ruta: string, csd: CsdPac, campos: Record<string, unknown>): Promise<Intercambio> {
    const llave = await cifrarPkcs8(csd.pkcs8);
    const body = JSON.stringify({ ...campos, password: llave.password, b64Cer: toBase64(csd.certificado), b64Key: toBase64(llave.der) });
    return this.conToken((token) =>
      enviar(this.canal, `${this.baseUrl}${ruta}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body }),
    );
  }

  /** A refusal outside stamping: SW's or the account's state and outages are retried; the rest is a rechazo. */
  private fallo(status: number, cuerpo: CuerpoSw | null): { ok: false; tipo: 'rechazo' | 'transitorio'; errores: PacError[] } {
    const error = errorDeSw(cuerpo, status);
    if (CUENTA.test(error.code) || [401, 404, 408, 429].includes(status) || status >= 500 || cuerpo?.status !== 'error') {
      return { ok: false, tipo: 'transitorio', errores: [conConsejo(error, 'Se reintentará; si persiste, un operador debe revisar la cuenta de SW.')] };
    }
    return { ok: false, tipo: 'rechazo', errores: [error] };
  }

  /** One request; a 401 gets one fresh token and one retry (when we can authenticate). */
  private async conToken(hacer: (token: string) => Promise<Respuesta>): Promise<Intercambio> {
    const token = await this.tokenVigente();
    if ('error' in token) return token;
    const r = await hacer(token.valor);
    if (!r.ok || r.status !== 401 || !this.puedeAutenticar()) return r;
    if (this.token === token) this.token = null;
    const nuevo = await this.tokenVigente();
    if ('error' in nuevo) return nuevo;
    return hacer(nuevo.valor);
  }

  private puedeAutenticar(): boolean {
    return Boolean(this.opts.user && this.opts.password);
  }

  private async tokenVigente(): Promise<Token | SinToken> {
    if (this.token && this.now() < this.token.renovarEn) return this.token;
    // concurrent callers share one authentication
    this.autenticando ??= this.autenticar().finally(() => {
      this.autenticando = null;
    });
    return this.autenticando;
  }

  private async autenticar(): Promise<Token | SinToken> {
    const url = `${this.baseUrl}/v2/security/authenticate`;
    const r = await enviar(this.canal, url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: this.opts.user, password: this.opts.password }),
    });
    if (!r.ok) return { ok: false, enviada: false, error: r.error, porCuenta: false };
    const cuerpo = leerJson(r.texto);
    const valor = campo(cuerpo?.data, 'token');
    if (rutaDesconocida(r.status)) return { ok: false, enviada: false, error: rutaNoReconocida(r.status, url), porCuenta: true };
    if (r.status !== 200 || cuerpo?.status !== 'success' || typeof valor !== 'string' || !valor) {
      const error = errorDeSw(cuerpo, r.status);
      const porCuenta = CUENTA.test(error.code);
      return { ok: false, enviada: false, error: porCuenta ? conConsejo(error, 'Revisa las credenciales de SW.') : error, porCuenta };
    }
    const expira = Number(campo(cuerpo.data, 'expires_in'));
    // SW's examples give an epoch in seconds; a small number would be a lifetime in seconds
    const ahora = this.now();
    const expiraEn = !Number.isFinite(expira) || expira <= 0 ? ahora + DURACION_TOKEN_MS : expira > 1e9 ? expira * 1000 : ahora + expira * 1000;
    // a short-lived token is renewed at half its life rather than on every call
    this.token = { valor, renovarEn: expiraEn - Math.min(MARGEN_TOKEN_MS, (expiraEn - ahora) / 2) };
    return this.token;
  }
}
