import {
  attr,
  child,
  fechaLocal,
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
import { CancelacionesSandbox, claveUuidSandbox } from './sandbox-cancelacion';
import type { EstadoCfdi, PacAdapter, PacError, ResultadoCancelacion, ResultadoTimbrado, SolicitudCancelacion } from './types';

// The sandbox PAC: what a PAC checks, then a real TimbreFiscalDigital 1.1 signed with HexaFac's own
// sandbox key pair (never the SAT's), under a clearly fictitious RfcProvCertif. It keeps what it stamped
// in R2 (as a PAC keeps its own records), so a CFDI sent twice gets its first stamp back, never a second UUID.

export const SANDBOX_RFC_PROV_CERTIF = 'SPR190613I52';
export const SANDBOX_LEYENDA = 'Timbre de pruebas de HexaFac: sin validez fiscal';

// The SAT's code for both: "301 XML mal formado: que cumpla con el estándar de XML (conforme al W3C) y con la
// estructura XML (XSD y complementos aplicables)", in its list of the validations a PAC makes before stamping, as
// PACs quote it (SW Sapien: "301 - La estructura del comprobante es incorrecta.", test/node/fake-sw-sapien.ts).
// The CFDI40xxx codes of the matriz de errores assume a document that already passed it.
const MAL_FORMADO = '301';
// a hostile document can break the schema thousands of times; the first ones say what to fix
const MAX_ERRORES_XSD = 20;

export interface SandboxPacOptions {
  keyPem: string;
  certPem: string;
  store: R2Bucket;
  now?: () => Date;
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

// FechaTimbrado is the PAC's local time in the centre zone, without offset, as PACs write it.
const ZONA_PAC = 'America/Mexico_City';
const fechaTimbrado = (d: Date) => fechaLocal(d, ZONA_PAC);

/** UUID v4 layout from random bytes, upper case as the SAT writes it. */
function nuevoUuid(): string {
  return crypto.randomUUID().toUpperCase();
}

export class SandboxPac implements PacAdapter {
  readonly nombre = 'sandbox';
  private readonly now: () => Date;

  constructor(private readonly opts: SandboxPacOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /** NoCertificadoSAT: the certificate's serial as ASCII digits. */
  get noCertificado(): string {
    return leerCertificado(pemToDer(this.opts.certPem)).noCertificado;
  }

  async timbrar(xmlSellado: string): Promise<ResultadoTimbrado> {
    // Parsed once: the checks, the verification and the stamping all read this tree.
    let arbol: XmlLeido;
    try {
      arbol = parseXml(xmlSellado);
    } catch (e) {
      return { ok: false, tipo: 'rechazo', errores: [{ code: MAL_FORMADO, message: (e as Error).message }] };
    }
    const errores = await this.validar(arbol);
    if (errores.length) return { ok: false, tipo: 'rechazo', errores };
    const sello = attr(arbol, 'Sello')!;
    const registro = `sandbox-pac/timbres/${await sha256Hex(sello)}.xml`;
    const previo = await this.opts.store.get(registro);
    if (previo) return this.registrado(registro, await previo.text(), true);

    const { xml } = await timbrarCfdi(xmlSellado, {
      uuid: nuevoUuid(),
      fechaTimbrado: fechaTimbrado(this.now()),
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
      return this.registrado(registro, await ganador!.text(), true);
    }
    return this.registrado(registro, xml, false);
  }

  /** Indexes a stamp by its UUID (what cancellation and status queries look up), then answers it. */
  private async registrado(registro: string, xml: string, recuperado: boolean): Promise<ResultadoTimbrado> {
    const timbre = this.timbreDe(xml);
    await this.opts.store.put(claveUuidSandbox(timbre.uuid), registro);
    return { ok: true, timbre, recuperado };
  }

  private timbreDe(xml: string) {
    const t = leerTimbre(xml)!;
    return { xml, uuid: t.uuid, fechaTimbrado: t.fechaTimbrado, noCertificadoSAT: t.noCertificadoSAT };
  }

  /** The checks a PAC makes before stamping (Anexo 20 / validaciones del SAT), codes as PACs report them. */
  private async validar(raiz: XmlLeido): Promise<PacError[]> {
    if (raiz.ns !== NS.cfdi || raiz.local !== 'Comprobante' || attr(raiz, 'Version') !== '4.0') {
      return [{ code: 'CFDI40100', message: 'No es un cfdi:Comprobante versión 4.0.' }];
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
      errores.push({ code: 'CFDI40104', message: 'El RFC del emisor no corresponde al del certificado.' });
    }
    // Fecha is local time at LugarExpedicion: compare instants, not strings.
    const fecha = attr(raiz, 'Fecha') ?? '';
    const formatoFecha = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(fecha);
    const emitido = formatoFecha ? instanteDeFechaLocal(fecha, zonaHoraria(attr(raiz, 'LugarExpedicion') ?? '')).getTime() : NaN;
    const certificado = attr(raiz, 'Certificado');
    if (certificado && formatoFecha) {
      const cert = leerCertificado(fromBase64(certificado));
      if (cert.esFiel) errores.push({ code: 'CFDI40105', message: 'El certificado es una FIEL, no un CSD.' });
      if (emitido < cert.validoDesde.getTime() || emitido > cert.validoHasta.getTime()) {
        errores.push({ code: 'CFDI40103', message: 'El certificado no estaba vigente en la fecha del comprobante.' });
      }
    }
    const edad = this.now().getTime() - emitido;
    if (!formatoFecha || Number.isNaN(edad)) {
      errores.push({ code: 'CFDI40101', message: 'La fecha del comprobante no tiene el formato AAAA-MM-DDThh:mm:ss.' });
    } else if (edad > MAX_ANTIGUEDAD_MS) {
      errores.push({ code: 'CFDI40101', message: 'La fecha de emisión tiene más de 72 horas.' });
    } else if (edad < -5 * 60 * 1000) {
      errores.push({ code: 'CFDI40101', message: 'La fecha de emisión es posterior a la fecha de timbrado.' });
    }
    return errores;
  }

  // Cancellation follows the documented, deterministic rule of sandbox-cancelacion.ts.
  private get cancelaciones(): CancelacionesSandbox {
    return new CancelacionesSandbox({
      store: this.opts.store,
      now: this.now,
      llave: () => importKey(this.opts.keyPem),
      noCertificado: this.noCertificado,
      fechaLocal: fechaTimbrado,
      instanteLocal: (fecha) => instanteDeFechaLocal(fecha, ZONA_PAC).getTime(),
    });
  }

  cancelar(s: SolicitudCancelacion): Promise<ResultadoCancelacion> {
    return this.cancelaciones.cancelar(s);
  }

  consultarEstado(args: Omit<SolicitudCancelacion, 'motivo' | 'folioSustitucion'>): Promise<EstadoCfdi> {
    return this.cancelaciones.consultarEstado(args);
  }
}
