import type { Query, Transport } from './client.js';
import { HexaFacError } from './errors.js';
import { List } from './pagination.js';
import { verifySignature, type VerifyOptions, type WebhookHeaders } from './signature.js';
import type {
  Borrador,
  BorradorCambios,
  Cancelacion,
  CancelacionesRecibidasListParams,
  CancelacionRecibida,
  CancelacionSolicitada,
  Cliente,
  ClienteCambios,
  ClienteNuevo,
  ClientesListParams,
  ComplementoPagoNuevo,
  ComprobanteAceptado,
  Cancelado,
  Entrega,
  Envio,
  EnvioNuevo,
  EstadoSat,
  EventoWebhook,
  Factura,
  FacturaCancelada,
  FacturaDetalle,
  FacturaNueva,
  FacturasListParams,
  FacturaStatus,
  FacturaTimbrada,
  NotaCreditoNueva,
  PaginationParams,
  ReciboNomina,
  ReciboNominaCancelado,
  ReciboNominaDetalle,
  ReciboNominaNuevo,
  RecibosNominaListParams,
  ReciboNominaTimbrado,
  Timbrado,
  TrasladoNuevo,
  TrasladosListParams,
  Validacion,
  VerificacionCfdi,
  Webhook,
  WebhookActualizar,
  WebhookConSecreto,
  WebhookCrear,
} from './types.js';

export interface CreateOptions {
  /** Same key and body within 24 h → the original answer. Default: a new UUID, reused by every retry. */
  idempotencyKey?: string;
  /**
   * Test keys only: make the sandbox PAC fail on purpose (X-HexaFac-Simular), e.g. `timeout-tras-timbrar`,
   * `pac-caido=30`, `rechazo=CFDI40108`, `cancelacion=rechazada`. See the README's «Simular fallas».
   */
  simular?: string;
}

export interface WaitOptions {
  /** Give up after this many ms (default 60 000). */
  timeoutMs?: number;
  /** Time between polls in ms (default 1 000). */
  intervalMs?: number;
}

const seg = encodeURIComponent;
const TERMINAL_FAILURES = new Set(['rechazada', 'error']);
const CANCELACION_FALLIDA = new Set(['cancelacion_rechazada']);

/**
 * Drafts of a kind (`borrador: true`): validated and stored, no folio and no PAC until `timbrar`. Same methods for
 * facturas and notas de crédito, on their own paths.
 */
export class Borradores<Nuevo extends object> {
  constructor(
    private readonly t: Transport,
    private readonly ruta: '/facturas' | '/notas-credito',
  ) {}

  /** 201 with the draft (`status: 'borrador'`, `folio: null`); nothing is reserved. */
  create(body: Nuevo, options: CreateOptions = {}): Promise<Borrador> {
    return this.t.create(this.ruta, { ...body, borrador: true }, options);
  }

  /** JSON Merge Patch of the stored request (null removes a field), validated whole; only while borrador. */
  update(id: string, cambios: BorradorCambios): Promise<Borrador> {
    return this.t.json({ method: 'PATCH', path: `${this.ruta}/${seg(id)}`, body: cambios });
  }

  /** Sends it to stamp: takes its folio and goes `pendiente` (then as any create: waitUntilTimbrada). */
  timbrar(id: string, options: CreateOptions = {}): Promise<ComprobanteAceptado> {
    return this.t.create(`${this.ruta}/${seg(id)}/timbrar`, undefined, options);
  }

  /** Discards it (it never was a CFDI); 409 once it was sent to stamp. */
  descartar(id: string): Promise<void> {
    return this.t.json({ method: 'DELETE', path: `/facturas/${seg(id)}` });
  }
}

/** What a wait reads: the status, and the PAC's errors when it ends otherwise. */
interface Seguible {
  status: FacturaStatus;
  errores: { code: string; message: string }[];
  cancelacion?: unknown;
}

/**
 * What every kind of comprobante answers on its own path (`/facturas`, `/recibos-nomina`, …): create, validar,
 * retrieve, and the waits that poll retrieve.
 */
export class Comprobantes<Nuevo, Detalle extends Seguible, Timbrada extends Detalle = Timbrado<Detalle>, Cancelada extends Detalle = Cancelado<Detalle>> {
  constructor(
    protected readonly t: Transport,
    protected readonly ruta: string,
    /** 'La factura', 'El traslado': the subject of a wait's error message. */
    private readonly que: string,
  ) {}

  /** Accepts it for stamping: 202 {id, status: 'pendiente', links}. */
  create(body: Nuevo, options: CreateOptions = {}): Promise<ComprobanteAceptado> {
    return this.t.create(this.ruta, body, options);
  }

  /** Every rule of create() without issuing: no folio, nothing stored, no PAC; a read key may call it. */
  validar(body: Nuevo): Promise<Validacion> {
    return this.t.json({ method: 'POST', path: `${this.ruta}/validar`, body });
  }

  /** By HexaFac id or by SAT folio fiscal (UUID), with its history; another kind's id is a 404 (facturas reads any). */
  retrieve(id: string): Promise<Detalle> {
    return this.t.json({ method: 'GET', path: `${this.ruta}/${seg(id)}` });
  }

  /**
   * Polls until the comprobante is `timbrada` and returns it. Throws HexaFacError `factura_rechazada` (the PAC
   * refused it; its SAT codes as details) / `factura_error` when it ends otherwise, or `timeout`.
   */
  waitUntilTimbrada(id: string, options: WaitOptions = {}): Promise<Timbrada> {
    return this.esperar(id, 'timbrada', TERMINAL_FAILURES, options) as Promise<Timbrada>;
  }

  /**
   * Polls until a requested cancellation ends `cancelada` and returns it. Throws HexaFacError
   * `factura_cancelacion_rechazada` when the receptor or the SAT refused it (the CFDI stays vigente), or `timeout`.
   */
  waitUntilCancelada(id: string, options: WaitOptions = {}): Promise<Cancelada> {
    return this.esperar(id, 'cancelada', CANCELACION_FALLIDA, options) as Promise<Cancelada>;
  }

  private async esperar(id: string, meta: FacturaStatus, fallas: ReadonlySet<string>, options: WaitOptions): Promise<Detalle> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const intervalMs = options.intervalMs ?? 1_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = await this.retrieve(id);
      if (f.status === meta) return f;
      if (fallas.has(f.status)) {
        throw new HexaFacError({
          status: 0,
          code: `factura_${f.status}`,
          message: `${this.que} ${id} terminó en estado ${f.status}.`,
          details: f.errores.map((e) => ({ path: '', message: e.message, code: e.code })),
        });
      }
      if (Date.now() + intervalMs > deadline) {
        throw new HexaFacError({ status: 0, code: 'timeout', message: `${this.que} ${id} sigue en ${f.status} después de ${timeoutMs} ms.` });
      }
      await new Promise((ok) => setTimeout(ok, intervalMs));
    }
  }
}

/** A kind with its own listing, cancellation and files (facturas, recibos de nómina, traslados). */
export class ComprobantesConArchivos<
  Nuevo,
  Detalle extends Seguible,
  Resumen,
  Filtros,
  Timbrada extends Detalle = Timbrado<Detalle>,
  Cancelada extends Detalle = Cancelado<Detalle>,
> extends Comprobantes<
  Nuevo,
  Detalle,
  Timbrada,
  Cancelada
> {
  /** Newest first, across pages with `for await`. */
  list(params?: Filtros): List<Resumen> {
    return new List(this.t, this.ruta, params as Query | undefined);
  }

  /** Requests cancellation (motivo 01–04; folio_sustitucion only with 01); then waitUntilCancelada. */
  cancel(id: string, body: Cancelacion, options: CreateOptions = {}): Promise<CancelacionSolicitada> {
    return this.t.create(`${this.ruta}/${seg(id)}/cancelar`, body, options);
  }

  /** The stamped XML, as text. */
  async downloadXml(id: string): Promise<string> {
    const res = await this.t.send({ method: 'GET', path: `${this.ruta}/${seg(id)}/xml` }, 'application/xml');
    return res.text();
  }

  /** The PDF, as bytes. */
  async downloadPdf(id: string): Promise<Uint8Array> {
    const res = await this.t.send({ method: 'GET', path: `${this.ruta}/${seg(id)}/pdf` }, 'application/pdf');
    return new Uint8Array(await res.arrayBuffer());
  }
}

/** POST …/{id}/enviar: the XML and PDF by email (202, the envío `pendiente`; sent in the background). */
function enviarPorCorreo(t: Transport, ruta: string, id: string, body: EnvioNuevo, options: Omit<CreateOptions, 'simular'>): Promise<Envio> {
  return t.create(`${ruta}/${seg(id)}/enviar`, body, options);
}

/** GET …/{id}/envios: every envío of the comprobante (the automatic one on stamping too), oldest first. */
async function enviosDe(t: Transport, ruta: string, id: string): Promise<Envio[]> {
  return (await t.json<{ data: Envio[] }>({ method: 'GET', path: `${ruta}/${seg(id)}/envios` })).data;
}

export class Facturas extends ComprobantesConArchivos<FacturaNueva, FacturaDetalle, Factura, FacturasListParams, FacturaTimbrada, FacturaCancelada> {
  readonly borradores: Borradores<FacturaNueva>;

  constructor(t: Transport) {
    super(t, '/facturas', 'La factura');
    this.borradores = new Borradores(t, '/facturas');
  }

  /**
   * Replaces a stamped factura with a corrected one (same receptor): the replacement is stamped, then the original
   * is cancelled with motivo 01 and the new UUID (webhook `factura.sustituida`). Answers the replacement's 202.
   */
  sustituir(id: string, body: FacturaNueva, options: CreateOptions = {}): Promise<ComprobanteAceptado> {
    return this.t.create(`/facturas/${seg(id)}/sustituir`, body, options);
  }

  /** What the SAT says of it now (ConsultaCFDIService; the sandbox in test mode). */
  estadoSat(id: string): Promise<EstadoSat> {
    return this.t.json({ method: 'GET', path: `/facturas/${seg(id)}/estado-sat` });
  }

  /** The acuse de cancelación the SAT issued (XML, as text), once the factura is `cancelada`. */
  async downloadAcuse(id: string): Promise<string> {
    const res = await this.t.send({ method: 'GET', path: `/facturas/${seg(id)}/acuse` }, 'application/xml');
    return res.text();
  }

  /** Emails any vigente comprobante (any tipo) to `to` and `cc`; 409 `comprobante_no_enviable` unless vigente. */
  enviar(id: string, body: EnvioNuevo, options: Omit<CreateOptions, 'simular'> = {}): Promise<Envio> {
    return enviarPorCorreo(this.t, this.ruta, id, body, options);
  }

  envios(id: string): Promise<Envio[]> {
    return enviosDe(this.t, this.ruta, id);
  }
}

export class NotasCredito extends Comprobantes<NotaCreditoNueva, FacturaDetalle> {
  readonly borradores: Borradores<NotaCreditoNueva>;

  constructor(t: Transport) {
    super(t, '/notas-credito', 'La nota de crédito');
    this.borradores = new Borradores(t, '/notas-credito');
  }

  enviar(id: string, body: EnvioNuevo, options: Omit<CreateOptions, 'simular'> = {}): Promise<Envio> {
    return enviarPorCorreo(this.t, this.ruta, id, body, options);
  }

  envios(id: string): Promise<Envio[]> {
    return enviosDe(this.t, this.ruta, id);
  }
}

export class ComplementosPago extends Comprobantes<ComplementoPagoNuevo, FacturaDetalle> {
  constructor(t: Transport) {
    super(t, '/complementos-pago', 'El complemento de pago');
  }

  enviar(id: string, body: EnvioNuevo, options: Omit<CreateOptions, 'simular'> = {}): Promise<Envio> {
    return enviarPorCorreo(this.t, this.ruta, id, body, options);
  }

  envios(id: string): Promise<Envio[]> {
    return enviosDe(this.t, this.ruta, id);
  }
}

/**
 * Recibos de nómina (CFDI tipo N, Nómina 1.2), one at a time; a whole payroll is `nominas.create`. HexaFac computes
 * the totals, the single concepto and the comprobante's amounts. Events `recibo_nomina.timbrado`, `.rechazado`…
 */
export class RecibosNomina extends ComprobantesConArchivos<ReciboNominaNuevo, ReciboNominaDetalle, ReciboNomina, RecibosNominaListParams, ReciboNominaTimbrado, ReciboNominaCancelado> {
  constructor(t: Transport) {
    super(t, '/recibos-nomina', 'El recibo de nómina');
  }
}

/**
 * Traslados (CFDI tipo T), with `carta_porte` for freight by road (autotransporte; the IdCCP generated and kept
 * across stamping attempts). Events `traslado.timbrado`, `.cancelado`…
 */
export class Traslados extends ComprobantesConArchivos<TrasladoNuevo, FacturaDetalle, Factura, TrasladosListParams, FacturaTimbrada, FacturaCancelada> {
  constructor(t: Transport) {
    super(t, '/traslados', 'El traslado');
  }
}

/** Cancellations suppliers ask of CFDIs addressed to this application: answer them within 72 hours. */
export class CancelacionesRecibidas {
  constructor(private readonly t: Transport) {}
  list(params: CancelacionesRecibidasListParams = {}): List<CancelacionRecibida> {
    return new List(this.t, '/cancelaciones-recibidas', params as Query);
  }
  retrieve(uuid: string): Promise<CancelacionRecibida> {
    return this.t.json({ method: 'GET', path: `/cancelaciones-recibidas/${seg(uuid)}` });
  }
  aceptar(uuid: string, options: CreateOptions = {}): Promise<CancelacionRecibida> {
    return this.t.create(`/cancelaciones-recibidas/${seg(uuid)}/aceptar`, undefined, { idempotencyKey: options.idempotencyKey });
  }
  rechazar(uuid: string, options: CreateOptions = {}): Promise<CancelacionRecibida> {
    return this.t.create(`/cancelaciones-recibidas/${seg(uuid)}/rechazar`, undefined, { idempotencyKey: options.idempotencyKey });
  }
}

/** CFDI received from suppliers, checked without storing anything. */
export class Cfdi {
  constructor(private readonly t: Transport) {}
  /**
   * Sello, timbre (SelloSAT `desconocido` when HexaFac lacks that stamping certificate), SAT XSDs and rules, and the
   * CFDI as JSON. Bytes go as the file is (its declared encoding, e.g. ISO-8859-1, decides), text as JSON `{xml}`.
   * Not a CFDI 4.0 → HexaFacError 422; over 1 MiB → 413.
   */
  verificar(xml: string | Uint8Array): Promise<VerificacionCfdi> {
    const cuerpo = typeof xml === 'string' ? { body: { xml } } : { raw: { contentType: 'application/xml', bytes: xml } };
    return this.t.json({ method: 'POST', path: '/cfdi/verificar', safeToRepeat: true, ...cuerpo });
  }
}

export class Clientes {
  constructor(private readonly t: Transport) {}
  create(body: ClienteNuevo, options: CreateOptions = {}): Promise<Cliente> {
    return this.t.create('/clientes', body, { idempotencyKey: options.idempotencyKey });
  }
  retrieve(id: string): Promise<Cliente> {
    return this.t.json({ method: 'GET', path: `/clientes/${seg(id)}` });
  }
  update(id: string, body: ClienteCambios): Promise<Cliente> {
    return this.t.json({ method: 'PATCH', path: `/clientes/${seg(id)}`, body });
  }
  delete(id: string): Promise<void> {
    return this.t.json({ method: 'DELETE', path: `/clientes/${seg(id)}` });
  }
  list(params: ClientesListParams = {}): List<Cliente> {
    return new List(this.t, '/clientes', params as Query);
  }
}

export class Webhooks {
  constructor(private readonly t: Transport) {}
  /** The answer carries the signing secret (`whsec_…`) once. */
  create(body: WebhookCrear): Promise<WebhookConSecreto> {
    return this.t.json({ method: 'POST', path: '/webhooks', body });
  }
  list(params: PaginationParams = {}): List<Webhook> {
    return new List(this.t, '/webhooks', params);
  }
  retrieve(id: string): Promise<Webhook> {
    return this.t.json({ method: 'GET', path: `/webhooks/${seg(id)}` });
  }
  update(id: string, body: WebhookActualizar): Promise<Webhook> {
    return this.t.json({ method: 'PATCH', path: `/webhooks/${seg(id)}`, body });
  }
  delete(id: string): Promise<void> {
    return this.t.json({ method: 'DELETE', path: `/webhooks/${seg(id)}` });
  }
  /** A new secret; the old one keeps signing for 24 h. */
  rotateSecret(id: string): Promise<WebhookConSecreto> {
    return this.t.json({ method: 'POST', path: `/webhooks/${seg(id)}/rotar-secreto` });
  }
  deliveries(id: string, params: PaginationParams = {}): List<Entrega> {
    return new List(this.t, `/webhooks/${seg(id)}/entregas`, params);
  }
  redeliver(id: string, entregaId: string): Promise<Entrega> {
    return this.t.json({ method: 'POST', path: `/webhooks/${seg(id)}/entregas/${seg(entregaId)}/reenviar` });
  }
  /** Sends a signed `webhook.prueba` event. */
  test(id: string): Promise<Entrega> {
    return this.t.json({ method: 'POST', path: `/webhooks/${seg(id)}/prueba` });
  }
  /** See the standalone `verifySignature`. */
  verifySignature<T = EventoWebhook>(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string, options?: VerifyOptions): Promise<T> {
    return verifySignature<T>(rawBody, headers, secret, options);
  }
}
