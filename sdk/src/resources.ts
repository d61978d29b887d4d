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
  Entrega,
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

export class Facturas {
  readonly borradores: Borradores<FacturaNueva>;

  constructor(private readonly t: Transport) {
    this.borradores = new Borradores(t, '/facturas');
  }

  /** Accepts a factura for stamping: 202 {id, status: 'pendiente', links}. */
  create(body: FacturaNueva, options: CreateOptions = {}): Promise<ComprobanteAceptado> {
    return this.t.create('/facturas', body, options);
  }

  /** Every rule of create() without issuing: no folio, nothing stored, no PAC; a read key may call it. */
  validar(body: FacturaNueva): Promise<Validacion> {
    return this.t.json({ method: 'POST', path: '/facturas/validar', body });
  }

  /** By HexaFac id or by SAT folio fiscal (UUID), with its history. */
  retrieve(id: string): Promise<FacturaDetalle> {
    return this.t.json({ method: 'GET', path: `/facturas/${seg(id)}` });
  }

  list(params: FacturasListParams = {}): List<Factura> {
    return new List(this.t, '/facturas', params as Query);
  }

  /** Requests cancellation (motivo 01–04; folio_sustitucion only with 01). */
  cancel(id: string, body: Cancelacion, options: CreateOptions = {}): Promise<CancelacionSolicitada> {
    return this.t.create(`/facturas/${seg(id)}/cancelar`, body, options);
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

  /** The stamped XML, as text. */
  async downloadXml(id: string): Promise<string> {
    const res = await this.t.send({ method: 'GET', path: `/facturas/${seg(id)}/xml` }, 'application/xml');
    return res.text();
  }

  /** The PDF, as bytes. */
  async downloadPdf(id: string): Promise<Uint8Array> {
    const res = await this.t.send({ method: 'GET', path: `/facturas/${seg(id)}/pdf` }, 'application/pdf');
    return new Uint8Array(await res.arrayBuffer());
  }

  /** The acuse de cancelación the SAT issued (XML, as text), once the factura is `cancelada`. */
  async downloadAcuse(id: string): Promise<string> {
    const res = await this.t.send({ method: 'GET', path: `/facturas/${seg(id)}/acuse` }, 'application/xml');
    return res.text();
  }

  /**
   * Polls until the comprobante (any tipo) is `timbrada` and returns it. Throws HexaFacError `factura_rechazada`
   * (the PAC refused it; its SAT codes as details) / `factura_error` when it ends otherwise, or `timeout`.
   */
  waitUntilTimbrada(id: string, options: WaitOptions = {}): Promise<FacturaTimbrada> {
    return this.esperar(id, 'timbrada', TERMINAL_FAILURES, options) as Promise<FacturaTimbrada>;
  }

  /**
   * Polls until a requested cancellation ends `cancelada` and returns it. Throws HexaFacError
   * `factura_cancelacion_rechazada` when the receptor or the SAT refused it (the CFDI stays vigente), or `timeout`.
   */
  waitUntilCancelada(id: string, options: WaitOptions = {}): Promise<FacturaCancelada> {
    return this.esperar(id, 'cancelada', CANCELACION_FALLIDA, options) as Promise<FacturaCancelada>;
  }

  private async esperar(id: string, meta: FacturaStatus, fallas: ReadonlySet<string>, options: WaitOptions): Promise<FacturaDetalle> {
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
          message: `La factura ${id} terminó en estado ${f.status}.`,
          details: f.errores.map((e) => ({ path: '', message: e.message, code: e.code })),
        });
      }
      if (Date.now() + intervalMs > deadline) {
        throw new HexaFacError({ status: 0, code: 'timeout', message: `La factura ${id} sigue en ${f.status} después de ${timeoutMs} ms.` });
      }
      await new Promise((ok) => setTimeout(ok, intervalMs));
    }
  }
}

export class NotasCredito {
  readonly borradores: Borradores<NotaCreditoNueva>;

  constructor(private readonly t: Transport) {
    this.borradores = new Borradores(t, '/notas-credito');
  }
  create(body: NotaCreditoNueva, options: CreateOptions = {}): Promise<ComprobanteAceptado> {
    return this.t.create('/notas-credito', body, options);
  }
  /** A nota de crédito (tipo E) by id or UUID; facturas.retrieve reads it too. */
  retrieve(id: string): Promise<FacturaDetalle> {
    return this.t.json({ method: 'GET', path: `/notas-credito/${seg(id)}` });
  }
  validar(body: NotaCreditoNueva): Promise<Validacion> {
    return this.t.json({ method: 'POST', path: '/notas-credito/validar', body });
  }
}

export class ComplementosPago {
  constructor(private readonly t: Transport) {}
  create(body: ComplementoPagoNuevo, options: CreateOptions = {}): Promise<ComprobanteAceptado> {
    return this.t.create('/complementos-pago', body, options);
  }
  /** A complemento de pago (tipo P) by id or UUID; facturas.retrieve reads it too. */
  retrieve(id: string): Promise<FacturaDetalle> {
    return this.t.json({ method: 'GET', path: `/complementos-pago/${seg(id)}` });
  }
  validar(body: ComplementoPagoNuevo): Promise<Validacion> {
    return this.t.json({ method: 'POST', path: '/complementos-pago/validar', body });
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
