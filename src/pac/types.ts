// The PAC boundary: stamp a sealed CFDI, cancel, query status. One interface, two implementations:
// the in-process sandbox (test mode) and SW Sapien's REST API (live mode).

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

export type ResultadoTimbrado =
  /** `recuperado`: the PAC had stamped this CFDI before (a lost answer); this is that earlier stamp. */
  | { ok: true; timbre: Timbre; recuperado: boolean }
  /** The PAC refused the CFDI: fix it and send a new one. */
  | { ok: false; tipo: 'rechazo'; errores: PacError[] }
  /** Timeout, network or 5xx: worth retrying. */
  | { ok: false; tipo: 'transitorio'; errores: PacError[] };

export type MotivoCancelacion = '01' | '02' | '03' | '04';

export interface SolicitudCancelacion {
  rfcEmisor: string;
  rfcReceptor: string;
  total: string;
  uuid: string;
  motivo: MotivoCancelacion;
  folioSustitucion?: string;
}

export type ResultadoCancelacion =
  | { ok: true; estado: 'cancelada' | 'en_proceso'; acuse: string }
  | { ok: false; tipo: 'rechazo'; errores: PacError[]; acuse?: string }
  | { ok: false; tipo: 'transitorio'; errores: PacError[] };

export interface EstadoCfdi {
  /** SAT: Vigente | Cancelado | No Encontrado */
  estado: 'vigente' | 'cancelado' | 'no_encontrado';
  esCancelable?: string;
  estatusCancelacion?: string;
}

export interface PacAdapter {
  readonly nombre: string;
  timbrar(xmlSellado: string): Promise<ResultadoTimbrado>;
  cancelar(solicitud: SolicitudCancelacion): Promise<ResultadoCancelacion>;
  consultarEstado(args: Omit<SolicitudCancelacion, 'motivo' | 'folioSustitucion'>): Promise<EstadoCfdi>;
}
