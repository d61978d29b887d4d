// The PAC boundary: stamp a sealed CFDI, find out what became of one after an uncertain answer, cancel,
// and answer the cancellations others ask of our issuers. One interface, three implementations: the
// in-process sandbox (test mode), SW Sapien's REST API and Finkok's SOAP services (live mode); failover.ts
// puts an application's ordered list of them behind one circuit breaker each.
// The SAT's status service (ConsultaCFDIService) is not a PAC's: it is ConsultaSat, below.

export interface Timbre {
  /** The stamped CFDI: the sealed XML with the TimbreFiscalDigital in its Complemento. */
  xml: string;
  uuid: string;
  fechaTimbrado: string;
  noCertificadoSAT: string;
}

export interface PacError {
  code: string;
  message: string;
}

/** The sandbox's failure triggers (X-HexaFac-Simular, test mode only; src/pac/simulacion.ts). Real PACs ignore them. */
export interface Simulacion {
  /** Stamping: the sandbox PAC answers this way once for this CFDI, then normally. */
  timbrado?: 'timeout' | 'timeout_tras_timbrar' | 'error_5xx' | 'csd_revocado' | { rechazo: string };
  /** The application's first sandbox PAC refuses every request for this many seconds from this stamping on. */
  pacCaidoSegundos?: number;
  /** Cancellation: needs the receptor's acceptance, who then accepts, rejects, or lets the term expire. */
  cancelacion?: 'aceptada' | 'rechazada' | 'vencida';
}

export interface OpcionesTimbrado {
  /**
   * Stable per comprobante (its id), the same on every try and at every PAC: SW's customid, and the key of
   * any PAC's record of what it stamped. Together with the sealed bytes, it is what makes a retry safe.
   */
  referencia: string;
  /** The application asking: scopes the sandbox's simulated outages and records. */
  cuenta: string;
  simulacion?: Simulacion;
}

export type ResultadoTimbrado =
  /** `recuperado`: the PAC had stamped this CFDI before (a lost answer); this is that earlier stamp. */
  | { ok: true; timbre: Timbre; recuperado: boolean }
  /** The PAC refused the CFDI itself: fix it and send a new one. Every PAC would say the same. */
  | { ok: false; tipo: 'rechazo'; errores: PacError[] }
  /**
   * Certainly not stamped: the request never reached the PAC (connection refused, DNS, breaker open) or the
   * PAC said so without processing it (503, 429, an account state). Another PAC may take it.
   * `causa: 'cuenta'` is the PAC account's state (no stamps left, RFC without SW's manifest, credentials,
   * wrong URL): an operator must act; it is not the service failing, so the breaker does not count it.
   */
  | { ok: false; tipo: 'no_timbrado'; causa: 'servicio' | 'cuenta'; errores: PacError[] }
  /**
   * It may have been stamped: the request left and no readable answer came back (timeout, cut connection,
   * 5xx, a success we cannot read). This PAC must be asked again before any other PAC sees the CFDI.
   */
  | { ok: false; tipo: 'incierto'; errores: PacError[] };

/** What became of a CFDI at a PAC after an uncertain answer. */
export type ResultadoBusqueda =
  | { estado: 'timbrado'; timbre: Timbre }
  /** The PAC answered, for certain, that it never stamped it: another PAC may. */
  | { estado: 'no_timbrado' }
  /** Could not learn it (the PAC is still unreachable): ask again later, never another PAC meanwhile. */
  | { estado: 'desconocido'; errores: PacError[] };

export type MotivoCancelacion = '01' | '02' | '03' | '04';

/** The issuer's CSD as a PAC needs it to sign a cancellation or an answer (DER certificate, PKCS#8 key). */
export interface CsdPac {
  rfc: string;
  certificado: Uint8Array;
  pkcs8: Uint8Array;
}

export interface SolicitudCancelacion {
  rfcEmisor: string;
  rfcReceptor: string;
  total: string;
  uuid: string;
  motivo: MotivoCancelacion;
  folioSustitucion?: string;
  /** The stamp's instant (ISO-8601 UTC): a 205 "folio inexistente" soon after it is the SAT still propagating. */
  timbradoEn?: string;
  /** Cancellation is signed with the issuer's CSD, which HexaFac holds: the PAC need not keep a copy. */
  csd: CsdPac;
  cuenta: string;
  simulacion?: Simulacion;
}

export type ResultadoCancelacion =
  | { ok: true; estado: 'cancelada' | 'en_proceso'; acuse: string }
  | { ok: false; tipo: 'rechazo'; errores: PacError[]; acuse?: string }
  | { ok: false; tipo: 'transitorio'; errores: PacError[] };

/** A cancellation a supplier asked of a CFDI addressed to one of our issuers, awaiting its answer. */
export interface SolicitudRecibida {
  uuid: string;
  /** '' when the PAC's list gives only UUIDs (SW's pendings, Finkok's get_pending); the SAT status query has it. */
  rfcEmisor: string;
  rfcReceptor: string;
  total?: string;
  /** When the supplier asked, ISO-8601 UTC, when the PAC says; the receptor has 72 hours from it. */
  solicitadaEn?: string;
}

export type ResultadoPendientes =
  | { ok: true; solicitudes: SolicitudRecibida[] }
  | { ok: false; errores: PacError[] };

export interface RespuestaReceptor {
  uuid: string;
  respuesta: 'aceptar' | 'rechazar';
  /** The receptor's CSD: the answer is signed with it. */
  csd: CsdPac;
  cuenta: string;
}

export type ResultadoRespuesta =
  | { ok: true; acuse?: string }
  | { ok: false; tipo: 'rechazo' | 'transitorio'; errores: PacError[] };

export interface PacAdapter {
  /** Its name in configuration, in the invoice's `pac` and in the breaker: 'sw-sapien', 'finkok', 'sandbox', … */
  readonly nombre: string;
  timbrar(xmlSellado: string, opts: OpcionesTimbrado): Promise<ResultadoTimbrado>;
  /**
   * After an uncertain answer: did this PAC stamp this CFDI? Never makes a second UUID. A PAC that can only
   * tell by being sent it again under the same reference (SW's customid) may stamp it now: still one UUID.
   */
  buscarTimbre(xmlSellado: string, opts: OpcionesTimbrado): Promise<ResultadoBusqueda>;
  cancelar(solicitud: SolicitudCancelacion): Promise<ResultadoCancelacion>;
  /** Cancellations awaiting this receptor's answer. */
  cancelacionesRecibidas(args: { rfcReceptor: string; csd: CsdPac; cuenta: string }): Promise<ResultadoPendientes>;
  responderCancelacion(r: RespuestaReceptor): Promise<ResultadoRespuesta>;
}

/** The SAT's answer about one CFDI (ConsultaCFDIService `Consulta`). */
export interface EstadoCfdi {
  /** SAT: Vigente | Cancelado | No Encontrado */
  estado: 'vigente' | 'cancelado' | 'no_encontrado';
  /** "Cancelable sin aceptación", "Cancelable con aceptación", "No cancelable" */
  esCancelable?: string;
  /** "En proceso", "Solicitud rechazada", "Cancelado con aceptación", "Cancelado sin aceptación", "Plazo vencido" */
  estatusCancelacion?: string;
  /** ValidacionEFOS: "200" when the issuer is not on the SAT's list of simulated-operations issuers (EFOS). */
  validacionEfos?: string;
}

export interface ConsultaCfdi {
  rfcEmisor: string;
  rfcReceptor: string;
  /** The Comprobante's Total as written in the XML. */
  total: string;
  uuid: string;
  /** The last 8 characters of the Comprobante's Sello (`fe` of the expresión impresa). */
  sello?: string;
  cuenta?: string;
  simulacion?: Simulacion;
}

/** The SAT's status service. Throws ConsultaSatError when the status cannot be learned (retry later). */
export interface ConsultaSat {
  consultar(c: ConsultaCfdi): Promise<EstadoCfdi>;
}

export class ConsultaSatError extends Error {
  readonly tipo = 'transitorio';
  constructor(readonly errores: PacError[]) {
    super(errores.map((e) => `${e.code}: ${e.message}`).join('; '));
    this.name = 'ConsultaSatError';
  }
}
