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
//    receptor answers at the first status query (SandboxConsultaSat, the SAT's status service in test mode):
//    it ACCEPTS when the last hexadecimal digit of the UUID is even (0 2 4 6 8 A C E), and REJECTS
//    ("Solicitud rechazada") when it is odd.
// 3. A request carrying the trigger `cancelacion=aceptada|rechazada|vencida` (X-HexaFac-Simular) needs the
//    receptor's acceptance whatever 1 says, and the receptor then does that: accepts ("Cancelado con
//    aceptación"), rejects ("Solicitud rechazada"), or lets the 72 hours pass, when the SAT cancels it
//    ("Plazo vencido"); the sandbox does not wait the 72 hours: it resolves at the first status query too.
// A repeated request for a cancelled UUID answers 202 (previamente cancelado); one for a UUID in process
// answers the same 201 again; after a rejection a new request starts over (and resolves the same way).
// Refusals: 205 when the sandbox never stamped the UUID, 203 when the RFC emisor is not the CFDI's, and
// motivo 01 without a folio de sustitución stamped by the sandbox (other than the UUID itself).
//
// The acuse is shaped like the SAT's (Acuse Fecha/RfcEmisor, Folios/UUID/EstatusUUID, Signature) and signed
// with the sandbox PAC's key: SignatureValue = base64 RSA-SHA256 over the cadena
// `||Fecha|RfcEmisor|UUID|EstatusUUID||`, DigestValue = base64 SHA-256 of that cadena. It is a sandbox
// document, not the SAT's XML-DSig; verificarAcuseSandbox() checks it against the certificate published
// at GET /sandbox/certificado. The acuse of a receptor's answer (sandbox-recibidas.ts) is signed the same way:
// AcuseAceptacionRechazo Fecha/RfcReceptor, Folios/UUID/EstatusUUID/Respuesta, cadena
// `||Fecha|RfcReceptor|UUID|EstatusUUID|Respuesta||`.
//
// The sandbox keeps what it did in R2, as a PAC keeps its records: sandbox-pac/uuids/<UUID> (written when it
// stamps: the key of the stamped CFDI) and sandbox-pac/cancelaciones/<UUID>.json (each request and outcome).
// Both stand for the SAT's side: every sandbox PAC instance shares them, and the status query answers from them.
import Decimal from 'decimal.js';
import {
  attr,
  child,
  escapeAttr,
  fechaLocal,
  firmarRsaSha256,
  fromBase64,
  instanteDeFechaLocal,
  leerTimbre,
  llavePublica,
  NS,
  parseXml,
  RFC_EXTRANJERO,
  RFC_PUBLICO_EN_GENERAL,
  toBase64,
  type XmlLeido,
} from '../cfdi';
import type { ConsultaCfdi, EstadoCfdi, MotivoCancelacion, ResultadoCancelacion, Simulacion, SolicitudCancelacion } from './types';

export const MONTO_SIN_ACEPTACION = '1000.00';
export const VENTANA_SIN_ACEPTACION_MS = 24 * 3600 * 1000;

const NS_CANCELACION = 'http://cancelacfd.sat.gob.mx';
const NS_DSIG = 'http://www.w3.org/2000/09/xmldsig#';

// The sandbox's local time is the centre zone's, written without offset, as PACs and the SAT write it.
const ZONA_PAC = 'America/Mexico_City';
export const fechaPac = (d: Date) => fechaLocal(d, ZONA_PAC);

/** A refusal with one error, as every sandbox desk answers it. */
export const rechazo = (code: string, message: string) => ({ ok: false as const, tipo: 'rechazo' as const, errores: [{ code, message }] });

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

type RespuestaSimulada = NonNullable<Simulacion['cancelacion']>;

interface RegistroCancelacion {
  uuid: string;
  rfcEmisor: string;
  motivo: MotivoCancelacion;
  folioSustitucion?: string;
  solicitadaEn: string;
  /** null when no acceptance was needed. */
  supuesto: string | null;
  estado: 'en_proceso' | 'cancelado' | 'rechazada';
  /** What the receptor does (or did): asked by the trigger, else respuestaDelReceptor's when it resolves. */
  respuesta?: RespuestaSimulada;
  acuse: string;
}

/** What the sandbox PAC lends its cancellation desk and its receptor inbox. */
export interface ContextoSandbox {
  store: R2Bucket;
  now: () => Date;
  llave: () => Promise<CryptoKey>;
  noCertificado: string;
}

export class CancelacionesSandbox {
  constructor(private readonly ctx: ContextoSandbox) {}

  async cancelar(s: SolicitudCancelacion): Promise<ResultadoCancelacion> {
    const cfdi = await cfdiSandbox(this.ctx.store, s.uuid);
    if (!cfdi) return rechazo('205', 'El folio fiscal no existe (el sandbox no timbró este UUID).');
    if (cfdi.rfcEmisor !== s.rfcEmisor.toUpperCase()) return rechazo('203', 'El folio fiscal no corresponde al emisor.');
    if (!['01', '02', '03', '04'].includes(s.motivo)) return rechazo('motivo_invalido', 'El motivo de cancelación no es válido.');
    if (s.motivo === '01') {
      const folio = s.folioSustitucion?.toUpperCase();
      if (!folio || folio === s.uuid.toUpperCase() || !(await cfdiSandbox(this.ctx.store, folio))) {
        return rechazo('folio_sustitucion_invalido', 'El motivo 01 requiere el folio fiscal de otro CFDI timbrado que sustituya al cancelado.');
      }
    } else if (s.folioSustitucion) {
      return rechazo('folio_sustitucion_no_requerido', 'El folio de sustitución solo aplica al motivo 01.');
    }

    const previo = await registroCancelacion(this.ctx.store, s.uuid);
    if (previo?.obj.estado === 'cancelado') return { ok: true, estado: 'cancelada', acuse: await this.acuse(s.rfcEmisor, s.uuid, '202') };
    if (previo?.obj.estado === 'en_proceso') return { ok: true, estado: 'en_proceso', acuse: previo.obj.acuse };

    const ahora = this.ctx.now();
    const simulada = s.simulacion?.cancelacion;
    const supuesto = simulada ? null : supuestoSinAceptacion(cfdi, ahora);
    const registro: RegistroCancelacion = {
      uuid: s.uuid.toUpperCase(),
      rfcEmisor: cfdi.rfcEmisor,
      motivo: s.motivo,
      ...(s.folioSustitucion ? { folioSustitucion: s.folioSustitucion.toUpperCase() } : {}),
      solicitadaEn: ahora.toISOString(),
      supuesto,
      estado: supuesto ? 'cancelado' : 'en_proceso',
      ...(simulada ? { respuesta: simulada } : {}),
      acuse: await this.acuse(cfdi.rfcEmisor, s.uuid, '201'),
    };
    // Only over what we read (or nothing): of two concurrent requests one records, the other reads it.
    const puesto = await this.ctx.store.put(claveCancelacion(s.uuid), JSON.stringify(registro), {
      onlyIf: previo ? { etagMatches: previo.etag } : { etagDoesNotMatch: '*' },
    });
    if (!puesto) return this.cancelar(s);
    return { ok: true, estado: supuesto ? 'cancelada' : 'en_proceso', acuse: registro.acuse };
  }

  private acuse(rfcEmisor: string, uuid: string, estatusUUID: string): Promise<string> {
    return firmarAcuse(this.ctx, { fecha: fechaPac(this.ctx.now()), rfcEmisor: rfcEmisor.toUpperCase(), uuid: uuid.toUpperCase(), estatusUUID });
  }
}

/**
 * The SAT's status query (ConsultaCFDIService) in test mode, answered from the sandbox's records, which every
 * sandbox PAC instance shares (SandboxConsultaSat, sandbox.ts). A request in process is resolved by the
 * receptor at the first query.
 */
export async function consultarEstadoSandbox(store: R2Bucket, ahora: Date, c: ConsultaCfdi): Promise<EstadoCfdi> {
  const cfdi = await cfdiSandbox(store, c.uuid);
  // Like the SAT's expresión impresa: every datum must match, or the CFDI is not found.
  if (
    !cfdi ||
    cfdi.rfcEmisor !== c.rfcEmisor.toUpperCase() ||
    cfdi.rfcReceptor !== c.rfcReceptor.toUpperCase() ||
    !new Decimal(cfdi.total).eq(c.total) ||
    (c.sello !== undefined && !cfdi.sello.endsWith(c.sello))
  ) {
    return { estado: 'no_encontrado' };
  }
  const previo = await registroCancelacion(store, c.uuid);
  let reg = previo?.obj;
  if (previo && reg?.estado === 'en_proceso') {
    const respuesta = reg.respuesta ?? respuestaDelReceptor(reg.uuid);
    const resuelto: RegistroCancelacion = { ...reg, estado: respuesta === 'rechazada' ? 'rechazada' : 'cancelado', respuesta };
    const puesto = await store.put(claveCancelacion(c.uuid), JSON.stringify(resuelto), { onlyIf: { etagMatches: previo.etag } });
    if (!puesto) return consultarEstadoSandbox(store, ahora, c);
    reg = resuelto;
  }
  const supuesto = reg ? reg.supuesto : supuestoSinAceptacion(cfdi, ahora);
  const esCancelable = supuesto ? 'Cancelable sin aceptación' : 'Cancelable con aceptación';
  // the sandbox's issuers are never on the SAT's list of EFOS
  const validacionEfos = '200';
  if (reg?.estado === 'cancelado') {
    const estatusCancelacion = reg.supuesto ? 'Cancelado sin aceptación' : reg.respuesta === 'vencida' ? 'Plazo vencido' : 'Cancelado con aceptación';
    return { estado: 'cancelado', esCancelable, estatusCancelacion, validacionEfos };
  }
  if (reg?.estado === 'rechazada') return { estado: 'vigente', esCancelable, estatusCancelacion: 'Solicitud rechazada', validacionEfos };
  return { estado: 'vigente', esCancelable, validacionEfos };
}

/** The stamped CFDI behind a UUID, from the sandbox's records (whichever instance stamped it). */
async function cfdiSandbox(store: R2Bucket, uuid: string): Promise<(CfdiCancelable & { sello: string }) | null> {
  const indice = await store.get(claveUuidSandbox(uuid));
  const obj = indice && (await store.get(await indice.text()));
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
    timbradoEn: instanteDeFechaLocal(timbre.fechaTimbrado, ZONA_PAC),
    sello: attr(raiz, 'Sello') ?? '',
  };
}

async function registroCancelacion(store: R2Bucket, uuid: string): Promise<{ obj: RegistroCancelacion; etag: string } | null> {
  const r = await store.get(claveCancelacion(uuid));
  return r ? { obj: (await r.json()) as RegistroCancelacion, etag: r.etag } : null;
}

/** An acuse of a cancellation request (the issuer's) or of a receptor's answer to one. */
export type DatosAcuse = { fecha: string; uuid: string; estatusUUID: string } & (
  | { rfcEmisor: string }
  | { rfcReceptor: string; respuesta: 'Aceptacion' | 'Rechazo' }
);

const cadenaAcuse = (d: DatosAcuse) =>
  'rfcEmisor' in d ? `||${d.fecha}|${d.rfcEmisor}|${d.uuid}|${d.estatusUUID}||` : `||${d.fecha}|${d.rfcReceptor}|${d.uuid}|${d.estatusUUID}|${d.respuesta}||`;

/** Signs an acuse with the sandbox PAC's key (the header's cadena and shape). */
export async function firmarAcuse(ctx: Pick<ContextoSandbox, 'llave' | 'noCertificado'>, d: DatosAcuse): Promise<string> {
  const cadena = cadenaAcuse(d);
  const digest = toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(cadena))));
  const e = escapeAttr;
  const [raiz, que, rfc, respuesta] =
    'rfcEmisor' in d
      ? ['Acuse', 'de cancelación', `RfcEmisor="${e(d.rfcEmisor)}"`, '']
      : ['AcuseAceptacionRechazo', 'de respuesta a una solicitud de cancelación', `RfcReceptor="${e(d.rfcReceptor)}"`, `<Respuesta>${d.respuesta}</Respuesta>`];
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<!-- Acuse ${que} del sandbox de HexaFac: sin validez fiscal. -->` +
    `<${raiz} xmlns="${NS_CANCELACION}" Fecha="${e(d.fecha)}" ${rfc}>` +
    `<Folios><UUID>${e(d.uuid)}</UUID><EstatusUUID>${e(d.estatusUUID)}</EstatusUUID>${respuesta}</Folios>` +
    `<Signature xmlns="${NS_DSIG}" Id="SelloSAT"><SignedInfo>` +
    '<CanonicalizationMethod Algorithm="urn:hexafac:sandbox:cadena-acuse"/>' +
    '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>' +
    `<Reference URI=""><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue>${digest}</DigestValue></Reference>` +
    `</SignedInfo><SignatureValue>${await firmarRsaSha256(cadena, await ctx.llave())}</SignatureValue>` +
    `<KeyInfo><KeyName>${e(ctx.noCertificado)}</KeyName></KeyInfo></Signature></${raiz}>`
  );
}

const texto = (el: XmlLeido | undefined) => (el ? el.children.filter((c): c is string => typeof c === 'string').join('') : '');

/** Reads a sandbox acuse (either kind) and checks its SignatureValue against the sandbox PAC's certificate (DER). */
export async function verificarAcuseSandbox(xml: string, certificado: Uint8Array): Promise<DatosAcuse & { valido: boolean }> {
  const raiz = parseXml(xml);
  const folios = child(raiz, NS_CANCELACION, 'Folios');
  const firma = child(raiz, NS_DSIG, 'Signature');
  const folio = (local: string) => texto(folios && child(folios, NS_CANCELACION, local));
  const comunes = { fecha: attr(raiz, 'Fecha') ?? '', uuid: folio('UUID'), estatusUUID: folio('EstatusUUID') };
  // Respuesta read as written (a cast, not a mapping): a value altered after signing then fails the check
  const datos: DatosAcuse =
    raiz.local === 'AcuseAceptacionRechazo'
      ? { ...comunes, rfcReceptor: attr(raiz, 'RfcReceptor') ?? '', respuesta: folio('Respuesta') as 'Aceptacion' | 'Rechazo' }
      : { ...comunes, rfcEmisor: attr(raiz, 'RfcEmisor') ?? '' };
  const valor = texto(firma && child(firma, NS_DSIG, 'SignatureValue'));
  let valido = false;
  if (raiz.ns === NS_CANCELACION && (raiz.local === 'Acuse' || raiz.local === 'AcuseAceptacionRechazo') && valor) {
    valido = await crypto.subtle.verify(
      { name: 'RSASSA-PKCS1-v1_5' },
      await llavePublica(certificado),
      fromBase64(valor),
      new TextEncoder().encode(cadenaAcuse(datos)),
    );
  }
  return { valido, ...datos };
}
