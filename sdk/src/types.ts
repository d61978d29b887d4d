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
export type FacturaNueva = BodyOf<'/facturas', 'post'>;
export type FacturaStatus = Factura['status'];
export type FacturasListParams = Omit<QueryOf<'/facturas', 'get'>, 'cursor'>;
export type ComprobanteAceptado = ResponseOf<'/facturas', 'post'>;
export type Cancelacion = BodyOf<'/facturas/{id}/cancelar', 'post', { motivo: '01' | '02' | '03' | '04'; folio_sustitucion?: string | null }>;
export type CancelacionSolicitada = ResponseOf<'/facturas/{id}/cancelar', 'post'>;
export type EstadoSat = Schemas['EstadoSat'];
export type Validacion = Schemas['Validacion'];
export type CancelacionRecibida = Schemas['CancelacionRecibida'];
export type CancelacionesRecibidasListParams = Omit<QueryOf<'/cancelaciones-recibidas', 'get'>, 'cursor'>;
export type NotaCreditoNueva = BodyOf<'/notas-credito', 'post'>;
export type ComplementoPagoNuevo = BodyOf<'/complementos-pago', 'post'>;

export type Cliente = Schemas['Cliente'];
export type ClienteNuevo = BodyOf<'/clientes', 'post'>;
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
