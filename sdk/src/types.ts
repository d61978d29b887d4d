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
/** A comprobante's detail as a waitUntilTimbrada resolves it: stamped, so its UUID and timbre are there. */
export type Timbrado<D> = D & { status: 'timbrada'; uuid: string; fecha_timbrado: string; no_certificado_sat: string };
/** A comprobante's detail as a waitUntilCancelada resolves it. */
export type Cancelado<D extends { cancelacion?: unknown }> = D & { status: 'cancelada'; uuid: string; cancelacion: NonNullable<D['cancelacion']> };
/** What facturas.waitUntilTimbrada resolves with. */
export interface FacturaTimbrada extends Timbrado<FacturaDetalle> {}
/** What facturas.waitUntilCancelada resolves with. */
export interface FacturaCancelada extends Cancelado<FacturaDetalle> {}
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

/** {to: 1–5 addresses, cc?: up to 5}: each address once. */
export type EnvioNuevo = BodyOf<'/facturas/{id}/enviar', 'post'>;
/** An envío by email: pendiente → enviado (its message_id) | error, automatic on stamping or by enviar(). */
export type Envio = Schemas['Envio'];

/** A recibo de nómina's body: the period, the employee (`receptor`, never a cliente_id) and what was paid. */
export interface ReciboNominaNuevo extends ConClaves<Schemas['ReciboNominaNuevo']> {}
/** A recibo as listed: the comprobante with `nomina` (CURP, número de empleado, period, totals and neto). */
export type ReciboNomina = Schemas['ReciboNomina'];
export type ReciboNominaDetalle = ResponseOf<'/recibos-nomina/{id}', 'get'>;
export interface ReciboNominaTimbrado extends Timbrado<ReciboNominaDetalle> {}
export interface ReciboNominaCancelado extends Cancelado<ReciboNominaDetalle> {}
/** By employee (rfc, curp, num_empleado), tipo_nomina, period (exact fecha_inicial_pago / fecha_final_pago or periodo_desde / periodo_hasta) and status. */
export type RecibosNominaListParams = Omit<QueryOf<'/recibos-nomina', 'get'>, 'cursor'>;

/** The fields a payroll's `periodo` gives each of its recibos. */
type CamposDelPeriodo = 'tipo_nomina' | 'fecha_pago' | 'fecha_inicial_pago' | 'fecha_final_pago';
type EmisorNomina = NonNullable<ReciboNominaNuevo['emisor']>;
/** A recibo of a payroll: recibosNomina.create's body, the period's fields optional (the same if given); a null in `emisor` drops the payroll's field. */
export interface ReciboDeNomina extends Omit<ReciboNominaNuevo, CamposDelPeriodo | 'emisor'>, Partial<Pick<ReciboNominaNuevo, CamposDelPeriodo>> {
  emisor?: { [K in keyof EmisorNomina]?: EmisorNomina[K] | null };
}
/** A whole payroll: {periodo, emisor? (the patrón's data every recibo shares), recibos: 1 to 1,000}. */
export interface NominaNueva extends Omit<BodyOf<'/nominas', 'post'>, 'emisor' | 'recibos'> {
  emisor?: EmisorNomina;
  recibos: ReciboDeNomina[];
}
/** A payroll: counts per status, one result per recibo (its id or its errors) and the ones not stamped. */
export type Nomina = ResponseOf<'/nominas/{id}', 'get'>;
/** A payroll as GET /nominas lists it: without its recibos. */
export type NominaResumen = Omit<Nomina, 'por_status' | 'recibos' | 'no_timbrados'>;

/** A traslado's body (CFDI tipo T): receptor, conceptos and, for freight by road, `carta_porte` (Carta Porte 3.1). */
export interface TrasladoNuevo extends ConClaves<Schemas['TrasladoNuevo']> {}
export type TrasladosListParams = Omit<QueryOf<'/traslados', 'get'>, 'cursor'>;

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
