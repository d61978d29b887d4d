import {
  attr,
  child,
  fromBase64,
  instanteDeFechaLocal,
  leerCertificado,
  leerTimbre,
  MAX_ANTIGUEDAD_MS,
  NS,
  parseXml,
  pemToDer,
  timbrarCfdi,
  validateXsd,
  verificarCfdi,
  zonaHoraria,
  type XmlLeido,
} from '../cfdi';
import { sha256Hex } from '../lib/crypto';
import { CancelacionesSandbox, claveUuidSandbox, consultarEstadoSandbox, fechaPac, rechazo, type ContextoSandbox } from './sandbox-cancelacion';
import { incierto } from './respuestas';
import { pendientesDeRespuesta, responderSolicitudRecibida } from './sandbox-recibidas';
import type {
  ConsultaCfdi,
  ConsultaSat,
  CsdPac,
  EstadoCfdi,
  OpcionesTimbrado,
  PacAdapter,
  PacError,
  RespuestaReceptor,
  ResultadoBusqueda,
  ResultadoCancelacion,
  ResultadoPendientes,
  ResultadoRespuesta,
  ResultadoTimbrado,
  SolicitudCancelacion,
  Timbre,
} from './types';

// The sandbox PAC: what a PAC checks, then a real TimbreFiscalDigital 1.1 signed with HexaFac's own
// sandbox key pair (never the SAT's), under a clearly fictitious RfcProvCertif. It keeps what it stamped
// in R2 (as a PAC keeps its own records), so a CFDI sent twice gets its first stamp back, never a second UUID.
//
// Test mode has two instances, 'sandbox' and 'sandbox-respaldo', so failover can be exercised: like two real
// PACs each keeps its own stamp records (a CFDI stamped at one is unknown to the other), while the UUID index,
// the cancellations and the receptor inbox stand for the SAT's side and are shared. R2 keys:
//   sandbox-pac/timbres/<sha256(Sello)>.xml                  what 'sandbox' stamped (sandbox-pac/<nombre>/timbres/… for others)
//   sandbox-pac/simulaciones/<sha256(xml)>.<timbrado|caida>  a trigger this sealed CFDI consumed (per instance, likewise)
//   sandbox-pac/caidas/<cuenta>                              until when 'sandbox' refuses that account (ISO-8601)
//
// The failure triggers (X-HexaFac-Simular, simulacion.ts) each apply once per sealed CFDI and instance; the
// next send of the same CFDI is handled normally. `pac-caido` takes only 'sandbox' down, for one account.

export const SANDBOX_RFC_PROV_CERTIF = 'SPR190613I52';
export const SANDBOX_LEYENDA = 'Timbre de pruebas de HexaFac: sin validez fiscal';

// The SAT's code for both: "301 XML mal formado: que cumpla con el estándar de XML (conforme al W3C) y con la
// estructura XML (XSD y complementos aplicables)", in its list of the validations a PAC makes before stamping, as
// PACs quote it (SW Sapien: "301 - La estructura del comprobante es incorrecta.", test/node/fake-sw-sapien.ts).
// The CFDI40xxx codes of the matriz de errores assume a document that already passed it.
const MAL_FORMADO = '301';
// The matrix's code for the Certificado: "El atributo debe contener un archivo .cer válido" — a CSD of the emisor,
// in force at the Fecha (CFDI40103–40105 are FormaPago rules there, never certificate ones).
const CERTIFICADO = 'CFDI40106';
// From the same list (Anexo 20, validaciones adicionales que realiza el PAC): "304 Certificado revocado o caduco",
// what a PAC answers when the CSD is not among the LCO's valid certificates. (Not among ../shared/sat/docs.)
const CSD_REVOCADO = '304';
// a hostile document can break the schema thousands of times; the first ones say what to fix
const MAX_ERRORES_XSD = 20;

export const SANDBOX_PRINCIPAL = 'sandbox';
export const SANDBOX_RESPALDO = 'sandbox-respaldo';

export interface SandboxPacOptions {
  keyPem: string;
  certPem: string;
  store: R2Bucket;
  now?: () => Date;
  /** 'sandbox' (default) or 'sandbox-respaldo': the instance, with its own stamp records. */
  nombre?: string;
}

const keyCache = new Map<string, Promise<CryptoKey>>();
function importKey(pem: string): Promise<CryptoKey> {
  let k = keyCache.get(pem);
  if (!k) {
    k = crypto.subtle.importKey('pkcs8', pemToDer(pem), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(pem, k);
  }
  return k;
}

/** UUID v4 layout from random bytes, upper case as the SAT writes it. */
function nuevoUuid(): string {
  return crypto.randomUUID().toUpperCase();
}

export class SandboxPac implements PacAdapter {
  readonly nombre: string;
  private readonly now: () => Date;
  /** Where this instance keeps its own records; 'sandbox' keeps the original keys. */
  private readonly prefijo: string;

  constructor(private readonly opts: SandboxPacOptions) {
    this.nombre = opts.nombre ?? SANDBOX_PRINCIPAL;
    // the name becomes a folder beside the shared ones (uuids/, cancelaciones/…): never one of theirs
    if (!/^sandbox(-[a-z0-9]+)*$/.test(this.nombre)) throw new Error(`SandboxPac: nombre inválido ${this.nombre}`);
    this.prefijo = this.nombre === SANDBOX_PRINCIPAL ? 'sandbox-pac' : `sandbox-pac/${this.nombre}`;
    this.now = opts.now ?? (() => new Date());
  }

  /** NoCertificadoSAT: the certificate's serial as ASCII digits. */
  get noCertificado(): string {
    return leerCertificado(pemToDer(this.opts.certPem)).noCertificado;
  }

  async timbrar(xmlSellado: string, opts: OpcionesTimbrado): Promise<ResultadoTimbrado> {
    const huella = await sha256Hex(xmlSellado);
    const segundos = opts.simulacion?.pacCaidoSegundos;
    if (segundos && this.nombre === SANDBOX_PRINCIPAL && (await this.consumir(huella, 'caida'))) await this.caer(opts.cuenta, segundos);
    const caida = await this.caida(opts.cuenta);
    if (caida) return { ok: false, tipo: 'no_timbrado', causa: 'servicio', errores: [caida] };

    // Parsed once: the checks, the verification and the stamping all read this tree.
    let arbol: XmlLeido;
    try {
      arbol = parseXml(xmlSellado);
    } catch (e) {
      return rechazo(MAL_FORMADO, (e as Error).message);
    }
    const errores = await this.validar(arbol);
    if (errores.length) return { ok: false, tipo: 'rechazo', errores };

    const simulado = opts.simulacion?.timbrado;
    const falla = simulado && (await this.consumir(huella, 'timbrado')) ? simulado : undefined;
    if (falla === 'timeout') return incierto('timeout', 'Sin respuesta del PAC en el plazo (simulación: timeout).');
    if (falla === 'error_5xx') return incierto('HTTP500', 'El PAC respondió HTTP 500 Internal Server Error (simulación: error-5xx).');
    if (falla === 'csd_revocado') return rechazo(CSD_REVOCADO, 'Certificado revocado o caduco (simulación: csd-revocado).');
    if (typeof falla === 'object') return rechazo(falla.rechazo, `Rechazo simulado (X-HexaFac-Simular: rechazo=${falla.rechazo}).`);
    const timbrado = await this.sellar(xmlSellado, arbol);
    // the stamp is recorded (a later lookup or send recovers it); only its answer is lost
    if (falla === 'timeout_tras_timbrar') return incierto('timeout', 'Sin respuesta del PAC en el plazo (simulación: timeout-tras-timbrar).');
    return timbrado;
  }

  async buscarTimbre(xmlSellado: string, opts: OpcionesTimbrado): Promise<ResultadoBusqueda> {
    const caida = await this.caida(opts.cuenta);
    if (caida) return { estado: 'desconocido', errores: [caida] };
    let sello: string | undefined;
    try {
      sello = attr(parseXml(xmlSellado), 'Sello');
    } catch {
      // what cannot be read was never stamped
    }
    const registro = sello && this.claveTimbre(await sha256Hex(sello));
    const previo = registro && (await this.opts.store.get(registro));
    return previo ? { estado: 'timbrado', timbre: await this.indexado(registro, await previo.text()) } : { estado: 'no_timbrado' };
  }

  private claveTimbre(huellaSello: string): string {
    return `${this.prefijo}/timbres/${huellaSello}.xml`;
  }

  /** Stamps and records, or answers the stamp recorded before for this sealed CFDI. */
  private async sellar(xmlSellado: string, arbol: XmlLeido): Promise<ResultadoTimbrado> {
    const registro = this.claveTimbre(await sha256Hex(attr(arbol, 'Sello')!));
    const previo = await this.opts.store.get(registro);
    if (previo) return { ok: true, timbre: await this.indexado(registro, await previo.text()), recuperado: true };

    const { xml } = await timbrarCfdi(xmlSellado, {
      uuid: nuevoUuid(),
      fechaTimbrado: fechaPac(this.now()),
      rfcProvCertif: SANDBOX_RFC_PROV_CERTIF,
      noCertificadoSAT: this.noCertificado,
      leyenda: SANDBOX_LEYENDA,
      llave: await importKey(this.opts.keyPem),
      arbol,
    });
    // First writer wins: a concurrent duplicate request gets the stamp that was stored first.
    const puesto = await this.opts.store.put(registro, xml, { onlyIf: { etagDoesNotMatch: '*' } });
    if (!puesto) {
      const ganador = await this.opts.store.get(registro);
      return { ok: true, timbre: await this.indexado(registro, await ganador!.text()), recuperado: true };
    }
    return { ok: true, timbre: await this.indexado(registro, xml), recuperado: false };
  }

  /** Indexes a stamp by its UUID (what cancellation and status queries look up); again on recovery, in case it was cut short. */
  private async indexado(registro: string, xml: string): Promise<Timbre> {
    const t = leerTimbre(xml)!;
    await this.opts.store.put(claveUuidSandbox(t.uuid), registro);
    return { xml, uuid: t.uuid, fechaTimbrado: t.fechaTimbrado, noCertificadoSAT: t.noCertificadoSAT };
  }

  /** True the first time this sealed CFDI asks this instance for the trigger: once consumed it no longer applies. */
  private async consumir(huella: string, que: 'timbrado' | 'caida'): Promise<boolean> {
    const clave = `${this.prefijo}/simulaciones/${huella}.${que}`;
    return (await this.opts.store.put(clave, this.now().toISOString(), { onlyIf: { etagDoesNotMatch: '*' } })) !== null;
  }

  /** Takes this instance down for the account for `segundos` from now (never shortening an outage under way). */
  private async caer(cuenta: string, segundos: number): Promise<void> {
    const hasta = this.now().getTime() + segundos * 1000;
    if (hasta > (await this.caidaHasta(cuenta))) await this.opts.store.put(claveCaida(cuenta), new Date(hasta).toISOString());
  }

  private async caidaHasta(cuenta: string): Promise<number> {
    const r = await this.opts.store.get(claveCaida(cuenta));
    return r ? Date.parse(await r.text()) : 0;
  }

  /** While the account's outage lasts, the error of a refused connection; otherwise null. */
  private async caida(cuenta: string): Promise<PacError | null> {
    if (this.nombre !== SANDBOX_PRINCIPAL) return null;
    const hasta = await this.caidaHasta(cuenta);
    if (this.now().getTime() >= hasta) return null;
    const cuando = new Date(hasta).toISOString();
    return { code: 'red', message: `Error de red: conexión rechazada (simulación: el PAC ${this.nombre} está caído para esta cuenta hasta ${cuando}).` };
  }

  /** The checks a PAC makes before stamping (Anexo 20 / validaciones del SAT), codes as PACs report them. */
  private async validar(raiz: XmlLeido): Promise<PacError[]> {
    if (raiz.ns !== NS.cfdi || raiz.local !== 'Comprobante' || attr(raiz, 'Version') !== '4.0') {
      return [{ code: MAL_FORMADO, message: 'No es un cfdi:Comprobante versión 4.0.' }];
    }
    // the schema first, as a PAC does: the rules below read attributes the XSD guarantees
    const esquema = validateXsd(raiz);
    if (esquema.length) {
      return esquema.slice(0, MAX_ERRORES_XSD).map((i) => ({ code: MAL_FORMADO, message: `XML mal formado: ${i.path}: ${i.message}` }));
    }
    const errores: PacError[] = [];
    const v = await verificarCfdi(raiz);
    if (v.timbre) errores.push({ code: '307', message: 'El comprobante ya contiene un TimbreFiscalDigital.' });
    if (!v.sello.valido) errores.push({ code: 'CFDI40102', message: `El sello del comprobante no es válido: ${v.sello.motivo ?? ''}`.trim() });
    const emisor = child(raiz, NS.cfdi, 'Emisor');
    if (v.sello.rfc && emisor && attr(emisor, 'Rfc') !== v.sello.rfc) {
      errores.push({ code: CERTIFICADO, message: 'El RFC del emisor no corresponde al del certificado.' });
    }
    // Fecha is local time at LugarExpedicion: compare instants, not strings.
    const fecha = attr(raiz, 'Fecha') ?? '';
    const formatoFecha = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(fecha);
    const emitido = formatoFecha ? instanteDeFechaLocal(fecha, zonaHoraria(attr(raiz, 'LugarExpedicion') ?? '')).getTime() : NaN;
    const certificado = attr(raiz, 'Certificado');
    if (certificado && formatoFecha) {
      const cert = leerCertificado(fromBase64(certificado));
      if (cert.esFiel) errores.push({ code: CERTIFICADO, message: 'El certificado es una FIEL, no un CSD.' });
      if (emitido < cert.validoDesde.getTime() || emitido > cert.validoHasta.getTime()) {
        errores.push({ code: CERTIFICADO, message: 'El certificado no estaba vigente en la fecha del comprobante.' });
      }
    }
    const edad = this.now().getTime() - emitido;
    if (!formatoFecha || Number.isNaN(edad)) {
      errores.push({ code: 'CFDI40101', message: 'La fecha del comprobante no tiene el formato AAAA-MM-DDThh:mm:ss.' });
    } else if (edad > MAX_ANTIGUEDAD_MS) {
      errores.push({ code: '401', message: 'La fecha de emisión tiene más de 72 horas (fuera de rango).' });
    } else if (edad < -5 * 60 * 1000) {
      errores.push({ code: 'CFDI40101', message: 'La fecha de emisión es posterior a la fecha de timbrado.' });
    }
    return errores;
  }

  // Cancellation follows the documented, deterministic rule of sandbox-cancelacion.ts.
  private get contexto(): ContextoSandbox {
    return { store: this.opts.store, now: this.now, llave: () => importKey(this.opts.keyPem), noCertificado: this.noCertificado };
  }

  async cancelar(s: SolicitudCancelacion): Promise<ResultadoCancelacion> {
    const caida = await this.caida(s.cuenta);
    if (caida) return { ok: false, tipo: 'transitorio', errores: [caida] };
    return new CancelacionesSandbox(this.contexto).cancelar(s);
  }

  async cancelacionesRecibidas(args: { rfcReceptor: string; csd: CsdPac; cuenta: string }): Promise<ResultadoPendientes> {
    const caida = await this.caida(args.cuenta);
    if (caida) return { ok: false, errores: [caida] };
    return { ok: true, solicitudes: await pendientesDeRespuesta(this.opts.store, { cuenta: args.cuenta, rfcReceptor: args.rfcReceptor, ahora: this.now() }) };
  }

  async responderCancelacion(r: RespuestaReceptor): Promise<ResultadoRespuesta> {
    const caida = await this.caida(r.cuenta);
    if (caida) return { ok: false, tipo: 'transitorio', errores: [caida] };
    return responderSolicitudRecibida(this.contexto, r);
  }
}

/** The SAT's status service in test mode: the PAC's options, of which it reads only the records and the clock. */
export class SandboxConsultaSat implements ConsultaSat {
  constructor(private readonly opts: SandboxPacOptions) {}

  consultar(c: ConsultaCfdi): Promise<EstadoCfdi> {
    return consultarEstadoSandbox(this.opts.store, this.opts.now?.() ?? new Date(), c);
  }
}

const claveCaida = (cuenta: string) => `sandbox-pac/caidas/${encodeURIComponent(cuenta)}`;

