import type * as C from './catalogos.generated.js';
import type { components, paths } from './schema.js';

// Names for the API's schemas and operations, all derived from the generated schema.d.ts.

type Schemas = components['schemas'];
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Op<P extends string, M extends Method> = P extends keyof paths
  ? M extends keyof paths[P]
    ? NonNullable<paths[P][M]>
    : never
  : never;

/** JSON request body of an operation; `Fallback` while the operation is not in the document yet. */
export type BodyOf<P extends string, M extends Method, Fallback = Record<string, unknown>> = [Op<P, M>] extends [never]
  ? Fallback
  : Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : Fallback;

/** Query parameters of an operation. */
export type QueryOf<P extends string, M extends Method, Fallback = Record<string, string | number | boolean | undefined>> = [Op<P, M>] extends [never]
  ? Fallback
  : Op<P, M> extends { parameters: { query?: infer Q } }
    ? NonNullable<Q>
    : Fallback;

/** JSON body of an operation's first 2xx response. */
export type ResponseOf<P extends string, M extends Method, Fallback = unknown> = [Op<P, M>] extends [never]
  ? Fallback
  : Op<P, M> extends { responses: infer R }
    ? R extends Record<200, { content: { 'application/json': infer B } }>
      ? B
      : R extends Record<201, { content: { 'application/json': infer B } }>
        ? B
        : R extends Record<202, { content: { 'application/json': infer B } }>
          ? B
          : Fallback
    : Fallback;

export type Factura = Schemas['Factura'];
export type FacturaDetalle = ResponseOf<'/facturas/{id}', 'get'>;
/** What waitUntilTimbrada resolves with: stamped, so its UUID and timbre are there. */
export interface FacturaTimbrada extends FacturaDetalle {
  status: 'timbrada';
  uuid: string;
  fecha_timbrado: string;
  no_certificado_sat: string;
}
/** What waitUntilCancelada resolves with. */
export interface FacturaCancelada extends FacturaDetalle {
  status: 'cancelada';
  uuid: string;
  cancelacion: NonNullable<FacturaDetalle['cancelacion']>;
}
/** The body fields whose values are SAT catalog claves, by name, wherever they appear (receptor, conceptos, pagos…). */
interface Claves {
  forma_pago: C.FormaPago;
  metodo_pago: C.MetodoPago;
  uso_cfdi: C.UsoCfdi;
  regimen_fiscal: C.RegimenFiscal;
  objeto_imp: C.ObjetoImp;
  exportacion: C.Exportacion;
  tipo_relacion: C.TipoRelacion;
  impuesto: C.Impuesto;
  periodicidad: C.Periodicidad;
  meses: C.Mes;
}
/** A body type with its catalog fields narrowed to their claves: `metodo_pago: 'PUX'` does not compile. */
type ConClaves<T> = T extends readonly (infer U)[]
  ? ConClaves<U>[]
  : T extends object
    ? { [K in keyof T]: K extends keyof Claves ? Claves[K] | Extract<T[K], null | undefined> : ConClaves<T[K]> }
    : T;

type FacturaSchema = ConClaves<Schemas['FacturaNueva']>;
type ConceptoSchema = FacturaSchema['conceptos'][number];
type ImpuestosSchema = NonNullable<ConceptoSchema['impuestos']>;
type TrasladoSchema = NonNullable<ImpuestosSchema['traslados']>[number];
type RetencionSchema = NonNullable<ImpuestosSchema['retenciones']>[number];

// Interfaces over the generated shapes, so that tsc's messages name them instead of printing the shape.
export interface Receptor extends NonNullable<FacturaSchema['receptor']> {}
export interface Traslado extends TrasladoSchema {}
export interface Retencion extends RetencionSchema {}
export interface Impuestos {
  traslados?: Traslado[];
  retenciones?: Retencion[];
}
export interface Concepto extends Omit<ConceptoSchema, 'impuestos'> {
  impuestos?: Impuestos;
}

/** The receptor inline or a saved cliente's id: exactly one of them, never both nor neither. */
export type ConDestinatario<Base, R = Receptor> = (Base & { receptor: R; cliente_id?: never }) | (Base & { cliente_id: string; receptor?: never });

export interface FacturaDatos extends Omit<FacturaSchema, 'receptor' | 'cliente_id' | 'conceptos'> {
  conceptos: Concepto[];
}
export type FacturaNueva = ConDestinatario<FacturaDatos>;
export type FacturaStatus = Factura['status'];
export type FacturasListParams = Omit<QueryOf<'/facturas', 'get'>, 'cursor'>;
// Named, not ResponseOf: a creating route answers 202 (accepted) or, with `borrador: true`, 201 (a draft).
export type ComprobanteAceptado = Schemas['ComprobanteAceptado'];
export type Borrador = Schemas['Borrador'];
export type BorradorCambios = Schemas['BorradorCambios'];
export type Cancelacion = BodyOf<'/facturas/{id}/cancelar', 'post', { motivo: '01' | '02' | '03' | '04'; folio_sustitucion?: string | null }>;
export type CancelacionSolicitada = ResponseOf<'/facturas/{id}/cancelar', 'post'>;
export type EstadoSat = Schemas['EstadoSat'];
export type Validacion = Schemas['Validacion'];
export type CancelacionRecibida = Schemas['CancelacionRecibida'];
export type CancelacionesRecibidasListParams = Omit<QueryOf<'/cancelaciones-recibidas', 'get'>, 'cursor'>;
type NotaCreditoSchema = ConClaves<Schemas['NotaCreditoNueva']>;
export interface NotaCreditoDatos extends Omit<NotaCreditoSchema, 'receptor' | 'cliente_id' | 'conceptos'> {
  conceptos: Concepto[];
}
export type NotaCreditoNueva = ConDestinatario<NotaCreditoDatos, NonNullable<NotaCreditoSchema['receptor']>>;

type ComplementoPagoSchema = ConClaves<Schemas['ComplementoPagoNuevo']>;
type PagoSchema = ComplementoPagoSchema['pagos'][number];
type DocumentoRelacionadoSchema = PagoSchema['documentos'][number];
export interface DocumentoRelacionado extends DocumentoRelacionadoSchema {}
export interface Pago extends Omit<PagoSchema, 'documentos'> {
  documentos: DocumentoRelacionado[];
}
/** A complemento's receptor: uso_cfdi is always CP01. */
export interface ReceptorPago extends NonNullable<ComplementoPagoSchema['receptor']> {}
export interface ComplementoPagoDatos extends Omit<ComplementoPagoSchema, 'receptor' | 'cliente_id' | 'pagos'> {
  pagos: Pago[];
}
export type ComplementoPagoNuevo = ConDestinatario<ComplementoPagoDatos, ReceptorPago>;
/** Same as ComplementoPagoNuevo. */
export type ComplementoPagoNueva = ComplementoPagoNuevo;

export type VerificacionCfdi = Schemas['VerificacionCfdi'];

type ClienteSchema = Schemas['Cliente'];
export interface Cliente extends ClienteSchema {}
export interface ClienteNuevo extends ConClaves<Schemas['ClienteNuevo']> {}
export interface ClienteCambios extends ConClaves<Schemas['ClienteCambios']> {}
export type ClientesListParams = Omit<QueryOf<'/clientes', 'get'>, 'cursor'>;

export type Webhook = Schemas['Webhook'];
export type WebhookConSecreto = Schemas['WebhookConSecreto'];
export type WebhookCrear = BodyOf<'/webhooks', 'post'>;
export type WebhookActualizar = BodyOf<'/webhooks/{id}', 'patch'>;
export type Entrega = Schemas['Entrega'];
export type PaginationParams = { limit?: number };

export type ErrorBody = Schemas['Error'];

/** A webhook's body, discriminated by `type` (the OpenAPI document's `webhooks`). */
export type EventoWebhook = Schemas['EventoWebhook'];
export type TipoEventoWebhook = EventoWebhook['type'];
/** The event of one type: `EventoDe<'factura.timbrada'>`. */
export type EventoDe<T extends TipoEventoWebhook> = Extract<EventoWebhook, { type: T }>;
export type { components, paths };
