// Cancellation in the sandbox PAC. Its rule is documented and deterministic, so clients (and our tests)
// can drive every path on purpose:
//
// 1. Without the receptor's acceptance (cancelled at once), following RMF 2026 regla 2.7.1.35, when ANY of:
//    a. the request comes within 24 hours of the CFDI's FechaTimbrado;
//    b. the CFDI is an egreso (E), traslado (T) or nómina (N);
//    c. the receptor is público en general (XAXX010101000, which includes the factura global) or a
//       residente en el extranjero (XEXX010101000);
//    d. its Total, in pesos (Total × TipoCambio when Moneda is not MXN), is at most 1,000.00, unless it is a
//       complemento de pago (P): since RMF 2026 a REP always needs the receptor's acceptance.
//    The motivo does not change this (motivo 04 is used for a global invoice's operations, whose receptor
//    XAXX010101000 is already case c).
// 2. Otherwise the request is answered "en proceso" (EstatusUUID 201) and awaits the receptor. The sandbox
//    receptor answers at the first status query (consultarEstado): it ACCEPTS when the last hexadecimal digit
//    of the UUID is even (0 2 4 6 8 A C E), and REJECTS ("Solicitud rechazada") when it is odd.
// A repeated request for a cancelled UUID answers 202 (previamente cancelado); one for a UUID in process
// answers the same 201 again; after a rejection a new request starts over (and resolves the same way).
// Refusals: 205 when the sandbox never stamped the UUID, 203 when the RFC emisor is not the CFDI's, and
// motivo 01 without a folio de sustitución stamped by the sandbox (other than the UUID itself).
//
// The acuse is shaped like the SAT's (Acuse Fecha/RfcEmisor, Folios/UUID/EstatusUUID, Signature) and signed
// with the sandbox PAC's key: SignatureValue = base64 RSA-SHA256 over the cadena
// `||Fecha|RfcEmisor|UUID|EstatusUUID||`, DigestValue = base64 SHA-256 of that cadena. It is a sandbox
// document, not the SAT's XML-DSig; verificarAcuseSandbox() checks it against the certificate published
// at GET /sandbox/certificado.
//
// The sandbox keeps what it did in R2, as a PAC keeps its records: sandbox-pac/uuids/<UUID> (written when it
// stamps: the key of the stamped CFDI) and sandbox-pac/cancelaciones/<UUID>.json (each request and outcome).
import Decimal from 'decimal.js';
import {
  attr,
  child,
  escapeAttr,
  firmarRsaSha256,
  fromBase64,
  leerTimbre,
  llavePublica,
  NS,
  parseXml,
  RFC_EXTRANJERO,
  RFC_PUBLICO_EN_GENERAL,
  toBase64,
  type XmlLeido,
} from '../cfdi';
import type { EstadoCfdi, MotivoCancelacion, PacError, ResultadoCancelacion, SolicitudCancelacion } from './types';

export const MONTO_SIN_ACEPTACION = '1000.00';
export const VENTANA_SIN_ACEPTACION_MS = 24 * 3600 * 1000;

const NS_CANCELACION = 'http://cancelacfd.sat.gob.mx';
const NS_DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** The stamped CFDI's facts the rule looks at. */
export interface CfdiCancelable {
  tipo: string;
  total: string;
  moneda: string;
  tipoCambio?: string;
  rfcEmisor: string;
  rfcReceptor: string;
  /** The instant of its FechaTimbrado. */
  timbradoEn: Date;
}

/** Which case of the rule lets this CFDI be cancelled without the receptor's acceptance; null if it needs it. */
export function supuestoSinAceptacion(cfdi: CfdiCancelable, ahora: Date): string | null {
  if (ahora.getTime() - cfdi.timbradoEn.getTime() < VENTANA_SIN_ACEPTACION_MS) return 'dentro de las 24 horas siguientes a su timbrado';
  if (cfdi.tipo === 'E' || cfdi.tipo === 'T' || cfdi.tipo === 'N') return `comprobante de tipo ${cfdi.tipo}`;
  if (cfdi.rfcReceptor === RFC_PUBLICO_EN_GENERAL) return 'operación con el público en general';
  if (cfdi.rfcReceptor === RFC_EXTRANJERO) return 'receptor residente en el extranjero';
  if (cfdi.tipo !== 'P' && montoEnPesos(cfdi).lte(MONTO_SIN_ACEPTACION)) return 'total de hasta 1,000 pesos';
  return null;
}

function montoEnPesos(cfdi: CfdiCancelable): Decimal {
  const total = new Decimal(cfdi.total);
  return cfdi.moneda === 'MXN' || !cfdi.tipoCambio ? total : total.times(cfdi.tipoCambio);
}

/** The sandbox receptor's answer to a request that needs acceptance: even last hex digit accepts, odd rejects. */
export function respuestaDelReceptor(uuid: string): 'aceptada' | 'rechazada' {
  return Number.parseInt(uuid.slice(-1), 16) % 2 === 0 ? 'aceptada' : 'rechazada';
}

export const claveUuidSandbox = (uuid: string) => `sandbox-pac/uuids/${uuid.toUpperCase()}`;
const claveCancelacion = (uuid: string) => `sandbox-pac/cancelaciones/${uuid.toUpperCase()}.json`;

interface RegistroCancelacion {
  uuid: string;
  rfcEmisor: string;
  motivo: MotivoCancelacion;
  folioSustitucion?: string;
  solicitadaEn: string;
  /** null when no acceptance was needed. */
  supuesto: string | null;
  estado: 'en_proceso' | 'cancelado' | 'rechazada';
  acuse: string;
}

/** What the sandbox PAC lends its cancellation desk. */
export interface ContextoSandbox {
  store: R2Bucket;
  now: () => Date;
  llave: () => Promise<CryptoKey>;
  noCertificado: string;
  /** Mexico City local time as the SAT writes it, and back to an instant. */
  fechaLocal: (d: Date) => string;
  instanteLocal: (fecha: string) => number;
}

export class CancelacionesSandbox {
  constructor(private readonly ctx: ContextoSandbox) {}

  async cancelar(s: SolicitudCancelacion): Promise<ResultadoCancelacion> {
    const cfdi = await this.cfdi(s.uuid);
    if (!cfdi) return rechazo('205', 'El folio fiscal no existe (el sandbox no timbró este UUID).');
    if (cfdi.rfcEmisor !== s.rfcEmisor.toUpperCase()) return rechazo('203', 'El folio fiscal no corresponde al emisor.');
    if (!['01', '02', '03', '04'].includes(s.motivo)) return rechazo('motivo_invalido', 'El motivo de cancelación no es válido.');
    if (s.motivo === '01') {
      const folio = s.folioSustitucion?.toUpperCase();
      if (!folio || folio === s.uuid.toUpperCase() || !(await this.cfdi(folio))) {
        return rechazo('folio_sustitucion_invalido', 'El motivo 01 requiere el folio fiscal de otro CFDI timbrado que sustituya al cancelado.');
      }
    } else if (s.folioSustitucion) {
      return rechazo('folio_sustitucion_no_requerido', 'El folio de sustitución solo aplica al motivo 01.');
    }

    const previo = await this.registro(s.uuid);
    if (previo?.obj.estado === 'cancelado') return { ok: true, estado: 'cancelada', acuse: await this.acuse(s.rfcEmisor, s.uuid, '202') };
    if (previo?.obj.estado === 'en_proceso') return { ok: true, estado: 'en_proceso', acuse: previo.obj.acuse };

    const ahora = this.ctx.now();
    const supuesto = supuestoSinAceptacion(cfdi, ahora);
    const registro: RegistroCancelacion = {
      uuid: s.uuid.toUpperCase(),
      rfcEmisor: cfdi.rfcEmisor,
      motivo: s.motivo,
      ...(s.folioSustitucion ? { folioSustitucion: s.folioSustitucion.toUpperCase() } : {}),
      solicitadaEn: ahora.toISOString(),
      supuesto,
      estado: supuesto ? 'cancelado' : 'en_proceso',
      acuse: await this.acuse(cfdi.rfcEmisor, s.uuid, '201'),
    };
    // Only over what we read (or nothing): of two concurrent requests one records, the other reads it.
    const puesto = await this.ctx.store.put(claveCancelacion(s.uuid), JSON.stringify(registro), {
      onlyIf: previo ? { etagMatches: previo.etag } : { etagDoesNotMatch: '*' },
    });
    if (!puesto) return this.cancelar(s);
    return { ok: true, estado: supuesto ? 'cancelada' : 'en_proceso', acuse: registro.acuse };
  }

  /** The SAT's status query: answers from the sandbox's records; a request in process is resolved by the receptor now. */
  async consultarEstado(args: Omit<SolicitudCancelacion, 'motivo' | 'folioSustitucion'>): Promise<EstadoCfdi> {
    const cfdi = await this.cfdi(args.uuid);
    // Like the SAT's expresión impresa: every datum must match, or the CFDI is not found.
    if (
      !cfdi ||
      cfdi.rfcEmisor !== args.rfcEmisor.toUpperCase() ||
      cfdi.rfcReceptor !== args.rfcReceptor.toUpperCase() ||
      !new Decimal(cfdi.total).eq(args.total)
    ) {
      return { estado: 'no_encontrado' };
    }
    const previo = await this.registro(args.uuid);
    let reg = previo?.obj;
    if (previo && reg?.estado === 'en_proceso') {
      const resuelto: RegistroCancelacion = { ...reg, estado: respuestaDelReceptor(reg.uuid) === 'aceptada' ? 'cancelado' : 'rechazada' };
      const puesto = await this.ctx.store.put(claveCancelacion(args.uuid), JSON.stringify(resuelto), { onlyIf: { etagMatches: previo.etag } });
      if (!puesto) return this.consultarEstado(args);
      reg = resuelto;
    }
    const supuesto = reg ? reg.supuesto : supuestoSinAceptacion(cfdi, this.ctx.now());
    const esCancelable = supuesto ? 'Cancelable sin aceptación' : 'Cancelable con aceptación';
    if (reg?.estado === 'cancelado') {
      return { estado: 'cancelado', esCancelable, estatusCancelacion: reg.supuesto ? 'Cancelado sin aceptación' : 'Cancelado con aceptación' };
    }
    if (reg?.estado === 'rechazada') return { estado: 'vigente', esCancelable, estatusCancelacion: 'Solicitud rechazada' };
    return { estado: 'vigente', esCancelable };
  }

  /** The stamped CFDI behind a UUID, from the sandbox's own records. */
  private async cfdi(uuid: string): Promise<CfdiCancelable | null> {
    const indice = await this.ctx.store.get(claveUuidSandbox(uuid));
    const obj = indice && (await this.ctx.store.get(await indice.text()));
    if (!obj) return null;
    const raiz = parseXml(await obj.text());
    const timbre = leerTimbre(raiz);
    if (!timbre || timbre.uuid.toUpperCase() !== uuid.toUpperCase()) return null;
    const rfc = (el: XmlLeido | undefined) => (el ? (attr(el, 'Rfc') ?? '') : '');
    const tipoCambio = attr(raiz, 'TipoCambio');
    return {
      tipo: attr(raiz, 'TipoDeComprobante') ?? '',
      total: attr(raiz, 'Total') ?? '0',
      moneda: attr(raiz, 'Moneda') ?? 'MXN',
      ...(tipoCambio ? { tipoCambio } : {}),
      rfcEmisor: rfc(child(raiz, NS.cfdi, 'Emisor')),
      rfcReceptor: rfc(child(raiz, NS.cfdi, 'Receptor')),
      timbradoEn: new Date(this.ctx.instanteLocal(timbre.fechaTimbrado)),
    };
  }

  private async registro(uuid: string): Promise<{ obj: RegistroCancelacion; etag: string } | null> {
    const r = await this.ctx.store.get(claveCancelacion(uuid));
    return r ? { obj: (await r.json()) as RegistroCancelacion, etag: r.etag } : null;
  }

  private async acuse(rfcEmisor: string, uuid: string, estatusUUID: string): Promise<string> {
    const datos = { fecha: this.ctx.fechaLocal(this.ctx.now()), rfcEmisor: rfcEmisor.toUpperCase(), uuid: uuid.toUpperCase(), estatusUUID };
    return firmarAcuse(datos, await this.ctx.llave(), this.ctx.noCertificado);
  }
}

const rechazo = (code: string, message: string): ResultadoCancelacion => ({ ok: false, tipo: 'rechazo', errores: [{ code, message } satisfies PacError] });

interface DatosAcuse {
  fecha: string;
  rfcEmisor: string;
  uuid: string;
  estatusUUID: string;
}

const cadenaAcuse = (d: DatosAcuse) => `||${d.fecha}|${d.rfcEmisor}|${d.uuid}|${d.estatusUUID}||`;

async function firmarAcuse(d: DatosAcuse, llave: CryptoKey, noCertificado: string): Promise<string> {
  const cadena = cadenaAcuse(d);
  const digest = toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(cadena))));
  const e = escapeAttr;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<!-- Acuse de cancelación del sandbox de HexaFac: sin validez fiscal. -->' +
    `<Acuse xmlns="${NS_CANCELACION}" Fecha="${e(d.fecha)}" RfcEmisor="${e(d.rfcEmisor)}">` +
    `<Folios><UUID>${e(d.uuid)}</UUID><EstatusUUID>${e(d.estatusUUID)}</EstatusUUID></Folios>` +
    `<Signature xmlns="${NS_DSIG}" Id="SelloSAT"><SignedInfo>` +
    '<CanonicalizationMethod Algorithm="urn:hexafac:sandbox:cadena-acuse"/>' +
    '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>' +
    `<Reference URI=""><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue>${digest}</DigestValue></Reference>` +
    `</SignedInfo><SignatureValue>${await firmarRsaSha256(cadena, llave)}</SignatureValue>` +
    `<KeyInfo><KeyName>${e(noCertificado)}</KeyName></KeyInfo></Signature></Acuse>`
  );
}

const texto = (el: XmlLeido | undefined) => (el ? el.children.filter((c): c is string => typeof c === 'string').join('') : '');

/** Reads a sandbox acuse and checks its SignatureValue against the sandbox PAC's certificate (DER). */
export async function verificarAcuseSandbox(
  xml: string,
  certificado: Uint8Array,
): Promise<{ valido: boolean; fecha: string; rfcEmisor: string; uuid: string; estatusUUID: string }> {
  const raiz = parseXml(xml);
  const folios = child(raiz, NS_CANCELACION, 'Folios');
  const firma = child(raiz, NS_DSIG, 'Signature');
  const datos: DatosAcuse = {
    fecha: attr(raiz, 'Fecha') ?? '',
    rfcEmisor: attr(raiz, 'RfcEmisor') ?? '',
    uuid: texto(folios && child(folios, NS_CANCELACION, 'UUID')),
    estatusUUID: texto(folios && child(folios, NS_CANCELACION, 'EstatusUUID')),
  };
  const valor = texto(firma && child(firma, NS_DSIG, 'SignatureValue'));
  let valido = false;
  if (raiz.ns === NS_CANCELACION && raiz.local === 'Acuse' && valor) {
    valido = await crypto.subtle.verify(
      { name: 'RSASSA-PKCS1-v1_5' },
      await llavePublica(certificado),
      fromBase64(valor),
      new TextEncoder().encode(cadenaAcuse(datos)),
    );
  }
  return { valido, ...datos };
}
