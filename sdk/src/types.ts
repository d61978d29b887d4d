import type * as C from './catalogos.generated.js';
import type { components, paths } from './schema.js';

// Names for the API's schemas and operations, all derived from the generated schema.d.ts.

type Schemas = components['schemas'];
type Method = 'get' | 'post' | 'patch' | 'delete';

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

export type FacturaNueva = ConClaves<BodyOf<'/facturas', 'post'>>;
export type FacturaStatus = Factura['status'];
export type FacturasListParams = Omit<QueryOf<'/facturas', 'get'>, 'cursor'>;
export type ComprobanteAceptado = ResponseOf<'/facturas', 'post'>;
export type Cancelacion = BodyOf<'/facturas/{id}/cancelar', 'post', { motivo: '01' | '02' | '03' | '04'; folio_sustitucion?: string | null }>;
export type CancelacionSolicitada = ResponseOf<'/facturas/{id}/cancelar', 'post'>;
export type EstadoSat = Schemas['EstadoSat'];
export type Validacion = Schemas['Validacion'];
export type CancelacionRecibida = Schemas['CancelacionRecibida'];
export type CancelacionesRecibidasListParams = Omit<QueryOf<'/cancelaciones-recibidas', 'get'>, 'cursor'>;
export type NotaCreditoNueva = ConClaves<BodyOf<'/notas-credito', 'post'>>;
export type ComplementoPagoNuevo = ConClaves<BodyOf<'/complementos-pago', 'post'>>;

export type VerificacionCfdi = Schemas['VerificacionCfdi'];

export type Cliente = Schemas['Cliente'];
export type ClienteNuevo = ConClaves<BodyOf<'/clientes', 'post'>>;
export type ClienteCambios = BodyOf<'/clientes/{id}', 'patch'>;
export type ClientesListParams = Omit<QueryOf<'/clientes', 'get'>, 'cursor'>;

export type Webhook = Schemas['Webhook'];
export type WebhookConSecreto = Schemas['WebhookConSecreto'];
export type WebhookCrear = BodyOf<'/webhooks', 'post'>;
export type WebhookActualizar = BodyOf<'/webhooks/{id}', 'patch'>;
export type Entrega = Schemas['Entrega'];
export type PaginationParams = { limit?: number };

export type ErrorBody = Schemas['Error'];
export type { components, paths };
