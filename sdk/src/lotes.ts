import type { Query, Transport } from './client.js';
import { List } from './pagination.js';
import type { CreateOptions } from './resources.js';
import type { ComplementoPagoNuevo, FacturaNueva, NotaCreditoNueva, PaginationParams, ResponseOf } from './types.js';

/** One item of a batch: the body its kind's own create() takes, and optionally that comprobante's own Idempotency-Key. */
export type ItemLote =
  | { tipo: 'factura'; datos: FacturaNueva; idempotency_key?: string }
  | { tipo: 'nota_credito'; datos: NotaCreditoNueva; idempotency_key?: string }
  | { tipo: 'complemento_pago'; datos: ComplementoPagoNuevo; idempotency_key?: string };

export interface LoteNuevo {
  /** 1 to 500 comprobantes of any kind. */
  items: ItemLote[];
}

/** A batch with its counts per status and one result per item (its id, or the errors its own route would give). */
export type Lote = ResponseOf<'/lotes/{id}', 'get'>;
/** A batch as GET /lotes lists it: its counts, without the items. */
export type LoteResumen = ResponseOf<'/lotes', 'get'> extends { data: (infer R)[] } ? R : Record<string, unknown>;

const seg = encodeURIComponent;

export class Lotes {
  constructor(private readonly t: Transport) {}

  /**
   * Up to 500 facturas, notas de crédito and complementos de pago in one request: 202 with each item's result. A bad
   * item never sinks the others; an item's `idempotency_key` never gives a second comprobante; `options.idempotencyKey`
   * (default: a new UUID kept for every retry) replays the whole answer. `lote.completado` arrives when none is pendiente.
   */
  create(body: LoteNuevo, options: CreateOptions = {}): Promise<Lote> {
    return this.t.create('/lotes', body, options);
  }

  retrieve(id: string): Promise<Lote> {
    return this.t.json({ method: 'GET', path: `/lotes/${seg(id)}` });
  }

  list(params: PaginationParams = {}): List<LoteResumen> {
    return new List(this.t, '/lotes', params as Query);
  }
}
