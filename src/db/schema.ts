import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { MODES } from '../lib/mode';

// Money is TEXT (decimal strings) everywhere: never a float. Timestamps are ISO-8601 UTC strings.
// Every tenant row carries client_application_id + mode; src/lib/tenancy.ts is the only way to reach them.

const timestamps = {
  created_at: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  updated_at: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
};

export { MODES, type Mode } from '../lib/mode';

/** How an application's recibos are invoiced; null fields take the defaults of src/services/recibos.ts. */
export interface ConfiguracionRecibos {
  /** Days after its fecha a recibo may be self-invoiced. */
  dias_autofactura?: number;
  /** A recibo already in a factura global: refused on the portal, or invoiced with a nota de crédito to the global. */
  tras_global?: 'rechazar' | 'nota_credito';
  /** c_Periodicidad of the automatic factura global (the cron issues it when the period closes); null: only by API. */
  periodicidad_global?: '01' | '02' | '03' | '04' | '05' | null;
  /** Serie of the facturas globales. */
  serie_global?: string;
}

/** Rate-limit plans (src/lib/rate-limit.ts has their numbers; the README publishes them). */
export const PLANES = ['estandar', 'plataforma'] as const;
export type Plan = (typeof PLANES)[number];

// Platforms (an ERP, a marketplace, a POS vendor) manage, by API and with their own hfx_plat_ keys, the
// applications of the issuers they invoice for. An application made by the operators has no platform.
export const platforms = sqliteTable('hexafac_platforms', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  plan: text('plan', { enum: PLANES }).notNull().default('plataforma'),
  ...timestamps,
});

export const platformKeys = sqliteTable(
  'hexafac_platform_keys',
  {
    id: text('id').primaryKey(),
    platform_id: text('platform_id')
      .notNull()
      .references(() => platforms.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    token_hash: text('token_hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    last_used_at: text('last_used_at'),
    expires_at: text('expires_at'),
    revoked_at: text('revoked_at'),
    created_at: timestamps.created_at,
  },
  (t) => [uniqueIndex('hexafac_platform_keys_token_hash_uq').on(t.token_hash), index('hexafac_platform_keys_platform_idx').on(t.platform_id)],
);

// A platform's own endpoints: events about its applications (aplicacion.csd_por_vencer, …) go here, signed
// like an application's (src/webhooks/delivery.ts); the secret is encrypted the same way.
export const platformWebhooks = sqliteTable(
  'hexafac_platform_webhooks',
  {
    id: text('id').primaryKey(),
    platform_id: text('platform_id')
      .notNull()
      .references(() => platforms.id),
    url: text('url').notNull(),
    description: text('description'),
    secret_cifrado: text('secret_cifrado').notNull(),
    secret_anterior_cifrado: text('secret_anterior_cifrado'),
    secret_anterior_expira: text('secret_anterior_expira'),
    events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    deleted_at: text('deleted_at'),
    ...timestamps,
  },
  (t) => [index('hexafac_platform_webhooks_platform_idx').on(t.platform_id)],
);

/** The serie each kind takes when a request names none; absent: the kind's own default (F, NC, CP). */
export type SeriesAplicacion = Partial<Record<'I' | 'E' | 'P' | 'N' | 'T', string>>;

export const clientApplications = sqliteTable('hexafac_client_applications', {
  id: text('id').primaryKey(),
  // The platform that manages it by API; null: made by the operators in the admin panel.
  platform_id: text('platform_id').references(() => platforms.id),
  name: text('name').notNull(),
  description: text('description'),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  // Emisor
  rfc: text('rfc').notNull(),
  razon_social: text('razon_social').notNull(),
  regimen_fiscal: text('regimen_fiscal').notNull(),
  lugar_expedicion: text('lugar_expedicion').notNull(),
  // CSD: the certificate in clear (public), the private key as PKCS#8 decrypted at upload and re-encrypted
  // with AES-GCM under MASTER_KEY. The SAT password is used once at upload and never stored.
  csd_certificado: text('csd_certificado'),
  csd_no_certificado: text('csd_no_certificado'),
  csd_valido_hasta: text('csd_valido_hasta'),
  csd_llave_cifrada: text('csd_llave_cifrada'),
  // Live mode: the PACs to stamp with, in order (src/pac/index.ts); null means the deployment's PACS_LIVE.
  pacs: text('pacs', { mode: 'json' }).$type<string[]>(),
  series: text('series', { mode: 'json' }).$type<SeriesAplicacion>(),
  plan: text('plan', { enum: PLANES }).notNull().default('estandar'),
  // Which CSD-expiry notice was last recorded, as `<no_certificado>:<30|7|vencido>`: the cron sends each once.
  csd_aviso: text('csd_aviso'),
  // Branding on the PDF: the logo in R2 (checked PNG/JPEG), a #RRGGBB color, a footer line. marca_version
  // changes with any of them and is part of the cached PDF's key, so later downloads re-render.
  logo_key: text('logo_key'),
  logo_tipo: text('logo_tipo'),
  color_primario: text('color_primario'),
  pie_pagina: text('pie_pagina'),
  marca_version: text('marca_version'),
  // Retail (src/services/recibos.ts): the public self-invoicing portal's address /autofactura/{slug}, and how
  // its recibos are invoiced (the window, what happens after a factura global, the automatic global's periodicity).
  autofactura_slug: text('autofactura_slug'),
  recibos_config: text('recibos_config', { mode: 'json' }).$type<ConfiguracionRecibos>(),
  ...timestamps,
}, (t) => [
  uniqueIndex('hexafac_client_applications_slug_uq').on(t.autofactura_slug),
  index('hexafac_client_applications_platform_idx').on(t.platform_id, t.id),
  // the cron's CSD-expiry notices read only the certificates close to their end
  index('hexafac_client_applications_csd_vence_idx').on(t.csd_valido_hasta),
]);

export const apiKeys = sqliteTable(
  'hexafac_api_keys',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    name: text('name').notNull(),
    mode: text('mode', { enum: MODES }).notNull(),
    prefix: text('prefix').notNull(),
    token_hash: text('token_hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    last_used_at: text('last_used_at'),
    expires_at: text('expires_at'),
    revoked_at: text('revoked_at'),
    created_at: timestamps.created_at,
  },
  (t) => [
    uniqueIndex('hexafac_api_keys_token_hash_uq').on(t.token_hash),
    index('hexafac_api_keys_app_idx').on(t.client_application_id),
  ],
);

export const webhookConfigurations = sqliteTable(
  'hexafac_webhook_configurations',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    url: text('url').notNull(),
    description: text('description'),
    // AES-GCM under MASTER_KEY; returned only in the creation/rotation response.
    secret_cifrado: text('secret_cifrado').notNull(),
    // After a rotation the old secret keeps signing until this instant.
    secret_anterior_cifrado: text('secret_anterior_cifrado'),
    secret_anterior_expira: text('secret_anterior_expira'),
    events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    deleted_at: text('deleted_at'),
    ...timestamps,
  },
  (t) => [index('hexafac_webhook_configurations_app_idx').on(t.client_application_id, t.mode)],
);

export const clientes = sqliteTable(
  'hexafac_clientes',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    rfc: text('rfc').notNull(),
    nombre: text('nombre').notNull(),
    domicilio_fiscal: text('domicilio_fiscal').notNull(),
    regimen_fiscal: text('regimen_fiscal').notNull(),
    uso_cfdi: text('uso_cfdi').notNull(),
    email: text('email'),
    deleted_at: text('deleted_at'),
    ...timestamps,
  },
  (t) => [
    // One RFC per application and mode, generic RFCs (público en general, extranjeros) excepted.
    uniqueIndex('hexafac_clientes_rfc_uq')
      .on(t.client_application_id, t.mode, t.rfc)
      .where(sql`rfc NOT IN ('XAXX010101000','XEXX010101000') AND deleted_at IS NULL`),
    index('hexafac_clientes_nombre_idx').on(t.client_application_id, t.mode, t.nombre),
  ],
);

export const FACTURA_STATUSES = [
  'borrador',
  'pendiente',
  'timbrada',
  'rechazada',
  'error',
  'cancelacion_pendiente',
  'cancelada',
  'cancelacion_rechazada',
] as const;
export type FacturaStatus = (typeof FACTURA_STATUSES)[number];

// Facturas (I), notas de crédito (E) and complementos de pago (P) share this table and its state machine.
export const facturas = sqliteTable(
  'hexafac_facturas',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    tipo: text('tipo', { enum: ['I', 'E', 'P', 'N', 'T'] }).notNull(),
    status: text('status', { enum: FACTURA_STATUSES }).notNull(),
    serie: text('serie').notNull(),
    folio: text('folio').notNull(),
    cliente_id: text('cliente_id'),
    receptor_rfc: text('receptor_rfc').notNull(),
    receptor_nombre: text('receptor_nombre').notNull(),
    moneda: text('moneda').notNull(),
    metodo_pago: text('metodo_pago'),
    subtotal: text('subtotal').notNull(),
    total: text('total').notNull(),
    fecha: text('fecha').notNull(),
    // The validated request (JSON) the job builds the CFDI from: in the row while small; a large one is in
    // R2 at datos_key and the row keeps `{}` (a D1 database holds 10 GB; rows stay under ~1 KB).
    datos: text('datos', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    datos_key: text('datos_key'),
    uuid: text('uuid'),
    fecha_timbrado: text('fecha_timbrado'),
    no_certificado_sat: text('no_certificado_sat'),
    xml_key: text('xml_key'),
    // The stamped XML as the PAC returned it, only while R2 has not taken it (the put after stamping
    // failed): the stamp is never held only in memory. Cleared once the file is at xml_key.
    xml_timbrado: text('xml_timbrado'),
    // The PAC's codes and messages for `rechazada`, or our reason for `error`.
    errores: text('errores', { mode: 'json' }).$type<{ code: string; message: string }[]>(),
    intentos: integer('intentos').notNull().default(0),
    cancelacion_motivo: text('cancelacion_motivo'),
    cancelacion_folio_sustitucion: text('cancelacion_folio_sustitucion'),
    // When the queued `cancelar` message of a cancelacion_pendiente is due: older messages stand down,
    // and the cron re-sends one when this is long past (the message was lost).
    cancelacion_revisar_at: text('cancelacion_revisar_at'),
    acuse_key: text('acuse_key'),
    // The event id of the last status change: the guard that ties an event row to the very UPDATE that
    // made it (src/services/estado.ts), and the tag of a cancellation request (src/jobs/cancelar-factura.ts).
    transicion_id: text('transicion_id'),
    // The PAC that stamped it (cancellations go there first), and, while pendiente, the PAC whose answer
    // left it unknown whether it stamped: it is asked again before any other PAC (src/pac/failover.ts).
    pac: text('pac'),
    pac_incierto: text('pac_incierto'),
    // Test mode only: the sandbox's failure triggers of X-HexaFac-Simular (src/pac/simulacion.ts).
    simulacion: text('simulacion', { mode: 'json' }).$type<import('../pac/types').Simulacion>(),
    // A sustitución (motivo 01): the replacement points at the comprobante it replaces; once stamped, that
    // one is cancelled with this one's UUID as FolioSustitucion (src/services/sustitucion.ts).
    sustituye_a: text('sustituye_a'),
    // Issued in a batch (POST /lotes): the batch and the item's position in it.
    lote_id: text('lote_id'),
    lote_indice: integer('lote_indice'),
    // Retail: an invoice from a recibo on the portal ('recibo') or a factura global of recibos ('global');
    // their recibos point back at it (hexafac_recibos.factura_id).
    origen: text('origen', { enum: ['recibo', 'global'] }),
    // Whom the XML and PDF are emailed to once stamped, when the request named them (the portal's customer).
    enviar_a: text('enviar_a', { mode: 'json' }).$type<string[]>(),
    ...timestamps,
  },
  (t) => [
    // A borrador has no folio yet (''): it takes one when it is sent to stamp.
    uniqueIndex('hexafac_facturas_folio_uq').on(t.client_application_id, t.mode, t.serie, t.folio).where(sql`status <> 'borrador'`),
    index('hexafac_facturas_lote_idx').on(t.lote_id, t.status).where(sql`lote_id IS NOT NULL`),
    uniqueIndex('hexafac_facturas_uuid_uq').on(t.client_application_id, t.mode, t.uuid),
    index('hexafac_facturas_list_idx').on(t.client_application_id, t.mode, t.id),
    index('hexafac_facturas_status_idx').on(t.client_application_id, t.mode, t.status),
    index('hexafac_facturas_receptor_idx').on(t.client_application_id, t.mode, t.receptor_rfc),
    // The cron sweep (src/jobs/barrido.ts) looks across tenants for the few rows in flight: partial indexes
    // hold only those, so a run every minute reads them and not the whole table.
    index('hexafac_facturas_pendientes_idx').on(t.updated_at).where(sql`status = 'pendiente'`),
    index('hexafac_facturas_cancelaciones_idx').on(t.cancelacion_revisar_at).where(sql`status = 'cancelacion_pendiente'`),
    index('hexafac_facturas_sin_archivar_idx').on(t.id).where(sql`xml_timbrado IS NOT NULL`),
    // One sustitución at a time per original: a rejected or failed replacement leaves the index (a new try may
    // start), a live one blocks a second, concurrent or not.
    uniqueIndex('hexafac_facturas_sustitucion_uq')
      .on(t.sustituye_a)
      .where(sql`sustituye_a IS NOT NULL AND status IN ('pendiente', 'timbrada', 'cancelacion_pendiente', 'cancelacion_rechazada')`),
  ],
);

// A batch of comprobantes accepted in one request (POST /lotes): each accepted item is a hexafac_facturas row
// with lote_id; the per-item answer (ids or errors) is in R2 at resultados_key. completado_at is set once, by
// the guarded update that records lote.completado, when no item is left pendiente.
export const lotes = sqliteTable(
  'hexafac_lotes',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    total: integer('total').notNull(),
    aceptados: integer('aceptados').notNull(),
    rechazados: integer('rechazados').notNull(),
    resultados_key: text('resultados_key'),
    completado_at: text('completado_at'),
    // A payroll (POST /nominas) is a batch of recibos de nómina for one pay period: its own routes and event
    // (nomina.completada), the same engine.
    clase: text('clase', { enum: ['lote', 'nomina'] }).notNull().default('lote'),
    periodo: text('periodo', { mode: 'json' }).$type<{ tipo_nomina: 'O' | 'E'; fecha_pago: string; fecha_inicial_pago: string; fecha_final_pago: string }>(),
    ...timestamps,
  },
  (t) => [
    index('hexafac_lotes_list_idx').on(t.client_application_id, t.mode, t.id),
    // the cron's safety net reads only the batches not yet completed
    index('hexafac_lotes_sin_completar_idx').on(t.id).where(sql`completado_at IS NULL`),
  ],
);

// What a recibo de nómina (a comprobante tipo N) is searched and shown by, written with its hexafac_facturas row
// in the same batch: the employee (CURP, número de empleado), the pay period and the amounts of its complement.
export const recibosNomina = sqliteTable(
  'hexafac_recibos_nomina',
  {
    factura_id: text('factura_id')
      .primaryKey()
      .references(() => facturas.id),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    curp: text('curp').notNull(),
    num_empleado: text('num_empleado').notNull(),
    tipo_nomina: text('tipo_nomina', { enum: ['O', 'E'] }).notNull(),
    fecha_pago: text('fecha_pago').notNull(),
    fecha_inicial_pago: text('fecha_inicial_pago').notNull(),
    fecha_final_pago: text('fecha_final_pago').notNull(),
    total_percepciones: text('total_percepciones').notNull(),
    total_deducciones: text('total_deducciones').notNull(),
    total_otros_pagos: text('total_otros_pagos').notNull(),
    // what the employee receives: percepciones + otros pagos − deducciones (the Comprobante's Total)
    neto: text('neto').notNull(),
  },
  (t) => [
    index('hexafac_recibos_nomina_curp_idx').on(t.client_application_id, t.mode, t.curp),
    index('hexafac_recibos_nomina_periodo_idx').on(t.client_application_id, t.mode, t.fecha_final_pago),
  ],
);

export const RECIBO_STATUSES = ['vigente', 'facturado', 'facturado_global', 'cancelado'] as const;
export type ReciboStatus = (typeof RECIBO_STATUSES)[number];

// Recibos (tickets) from a point of sale: invoiced later by the customer on the portal (facturado) or, if
// nobody does, in the period's factura global (facturado_global). factura_id / factura_global_id is the CFDI
// that holds it, set in the same batch as that CFDI's row and guarded by the recibo's status, so no recibo is in
// two live CFDIs. A recibo taken out of a global to be invoiced on its own (tras_global 'nota_credito') keeps
// factura_global_id and gains the nota de crédito to the global (nota_credito_id) and its own factura_id.
export const recibos = sqliteTable(
  'hexafac_recibos',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    status: text('status', { enum: RECIBO_STATUSES }).notNull(),
    folio: text('folio').notNull(),
    external_id: text('external_id'),
    // What the customer types on the portal: random, never the id; unique across every tenant.
    clave: text('clave').notNull(),
    fecha: text('fecha').notNull(),
    forma_pago: text('forma_pago').notNull(),
    moneda: text('moneda').notNull(),
    // The request's conceptos (the facturas' model) and its computed amounts, as decimal strings.
    datos: text('datos', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    subtotal: text('subtotal').notNull(),
    descuento: text('descuento'),
    total_impuestos_trasladados: text('total_impuestos_trasladados'),
    total_impuestos_retenidos: text('total_impuestos_retenidos'),
    total: text('total').notNull(),
    vigente_hasta: text('vigente_hasta').notNull(),
    factura_id: text('factura_id'),
    factura_global_id: text('factura_global_id'),
    nota_credito_id: text('nota_credito_id'),
    cancelado_at: text('cancelado_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('hexafac_recibos_clave_uq').on(t.clave),
    uniqueIndex('hexafac_recibos_folio_uq').on(t.client_application_id, t.mode, t.folio),
    uniqueIndex('hexafac_recibos_external_uq').on(t.client_application_id, t.mode, t.external_id).where(sql`external_id IS NOT NULL`),
    index('hexafac_recibos_list_idx').on(t.client_application_id, t.mode, t.id),
    // the factura global's selection: a period's recibos nobody invoiced
    index('hexafac_recibos_global_idx').on(t.client_application_id, t.mode, t.status, t.fecha),
    index('hexafac_recibos_factura_idx').on(t.factura_id).where(sql`factura_id IS NOT NULL`),
    index('hexafac_recibos_global_factura_idx').on(t.factura_global_id).where(sql`factura_global_id IS NOT NULL`),
  ],
);

export const ENVIO_STATUSES = ['pendiente', 'enviado', 'error'] as const;

// Every email of a comprobante's XML and PDF (POST /facturas/{id}/enviar, or automatic once stamped): a row
// before the send, its outcome after; a failed send is retried by the queue and never touches the comprobante.
export const envios = sqliteTable(
  'hexafac_envios',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    factura_id: text('factura_id').notNull(),
    para: text('para', { mode: 'json' }).$type<string[]>().notNull(),
    cc: text('cc', { mode: 'json' }).$type<string[]>(),
    automatico: integer('automatico', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ENVIO_STATUSES }).notNull(),
    message_id: text('message_id'),
    intentos: integer('intentos').notNull().default(0),
    error: text('error'),
    enviado_at: text('enviado_at'),
    ...timestamps,
  },
  (t) => [
    index('hexafac_envios_factura_idx').on(t.factura_id, t.id),
    index('hexafac_envios_pendientes_idx').on(t.updated_at).where(sql`status = 'pendiente'`),
  ],
);

export const EXPORTACION_STATUSES = ['pendiente', 'procesando', 'lista', 'error'] as const;

// An export (POST /exportaciones): a job writes the ZIP or CSV to R2 at archivo_key in steps; `progreso`
// is its checkpoint (cursor, multipart upload, parts), so a redelivered or continued message resumes.
export const exportaciones = sqliteTable(
  'hexafac_exportaciones',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    formato: text('formato', { enum: ['zip', 'csv'] }).notNull(),
    filtros: text('filtros', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: EXPORTACION_STATUSES }).notNull(),
    progreso: text('progreso', { mode: 'json' }).$type<Record<string, unknown>>(),
    archivo_key: text('archivo_key'),
    comprobantes: integer('comprobantes'),
    bytes: integer('bytes'),
    error: text('error'),
    completada_at: text('completada_at'),
    ...timestamps,
  },
  (t) => [
    index('hexafac_exportaciones_list_idx').on(t.client_application_id, t.mode, t.id),
    // the cron re-sends the step of an export whose message was lost: it reads only the ones in flight
    index('hexafac_exportaciones_en_curso_idx').on(t.updated_at).where(sql`status IN ('pendiente', 'procesando')`),
  ],
);

// Cancellations that suppliers ask of CFDIs addressed to one of our issuers: pulled from the PAC by the cron,
// answered through it (the receptor has 72 hours; then the SAT cancels by itself: `vencida`).
export const cancelacionesRecibidas = sqliteTable(
  'hexafac_cancelaciones_recibidas',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    uuid: text('uuid').notNull(),
    rfc_emisor: text('rfc_emisor').notNull(),
    rfc_receptor: text('rfc_receptor').notNull(),
    total: text('total'),
    solicitada_at: text('solicitada_at').notNull(),
    vence_at: text('vence_at').notNull(),
    estado: text('estado', { enum: ['pendiente', 'aceptada', 'rechazada', 'vencida'] }).notNull(),
    pac: text('pac'),
    respondida_at: text('respondida_at'),
    acuse_key: text('acuse_key'),
    errores: text('errores', { mode: 'json' }).$type<{ code: string; message: string }[]>(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('hexafac_cancelaciones_recibidas_uuid_uq').on(t.client_application_id, t.mode, t.uuid),
    index('hexafac_cancelaciones_recibidas_list_idx').on(t.client_application_id, t.mode, t.estado, t.id),
  ],
);

// The invoice's history; webhooks, the API and the admin timeline read these rows.
export const eventos = sqliteTable(
  'hexafac_eventos',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id')
      .notNull()
      .references(() => clientApplications.id),
    mode: text('mode', { enum: MODES }).notNull(),
    factura_id: text('factura_id').references(() => facturas.id),
    type: text('type').notNull(),
    status_anterior: text('status_anterior'),
    status_nuevo: text('status_nuevo'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    // Set once the event has been handed to every subscribed webhook endpoint; a redelivered job
    // re-dispatches events left without it (endpoints dedupe by event id).
    despachado_at: text('despachado_at'),
    created_at: timestamps.created_at,
  },
  (t) => [
    index('hexafac_eventos_pendientes_idx').on(t.despachado_at),
    index('hexafac_eventos_factura_idx').on(t.factura_id, t.id),
    index('hexafac_eventos_app_idx').on(t.client_application_id, t.mode, t.id),
  ],
);

// Monotonic folio per application, mode and serie.
export const folios = sqliteTable(
  'hexafac_folios',
  {
    client_application_id: text('client_application_id').notNull(),
    mode: text('mode', { enum: MODES }).notNull(),
    serie: text('serie').notNull(),
    ultimo: integer('ultimo').notNull(),
  },
  (t) => [primaryKey({ columns: [t.client_application_id, t.mode, t.serie] })],
);

export const idempotencyKeys = sqliteTable(
  'hexafac_idempotency_keys',
  {
    client_application_id: text('client_application_id').notNull(),
    mode: text('mode', { enum: MODES }).notNull(),
    key: text('key').notNull(),
    request_hash: text('request_hash').notNull(),
    response_status: integer('response_status'),
    response_body: text('response_body'),
    response_headers: text('response_headers', { mode: 'json' }).$type<Record<string, string>>(),
    created_at: timestamps.created_at,
    expires_at: text('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.client_application_id, t.mode, t.key] }), index('hexafac_idempotency_keys_expira_idx').on(t.expires_at)],
);

// Amounts applied to an invoice by a complemento de pago (P) or a nota de crédito (E).
// The unique (documento, parcialidad) index makes two concurrent payments unable to take the same installment.
export const aplicaciones = sqliteTable(
  'hexafac_aplicaciones',
  {
    id: text('id').primaryKey(),
    client_application_id: text('client_application_id').notNull(),
    mode: text('mode', { enum: MODES }).notNull(),
    origen_id: text('origen_id')
      .notNull()
      .references(() => facturas.id),
    documento_id: text('documento_id')
      .notNull()
      .references(() => facturas.id),
    tipo: text('tipo', { enum: ['pago', 'nota_credito'] }).notNull(),
    num_parcialidad: integer('num_parcialidad'),
    imp_saldo_ant: text('imp_saldo_ant').notNull(),
    importe: text('importe').notNull(),
    imp_saldo_insoluto: text('imp_saldo_insoluto').notNull(),
    created_at: timestamps.created_at,
  },
  (t) => [
    uniqueIndex('hexafac_aplicaciones_parcialidad_uq').on(t.documento_id, t.tipo, t.num_parcialidad),
    index('hexafac_aplicaciones_origen_idx').on(t.origen_id),
  ],
);

export const adminUsers = sqliteTable('hexafac_admin_users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  password_hash: text('password_hash').notNull(),
  password_salt: text('password_salt').notNull(),
  password_iterations: integer('password_iterations').notNull(),
  failed_attempts: integer('failed_attempts').notNull().default(0),
  locked_until: text('locked_until'),
  last_login_at: text('last_login_at'),
  ...timestamps,
});

// Admin panel sessions: the cookie names one of these rows, so signing out (or "close all sessions")
// ends it at once, whatever the cookie's own expiry says.
export const adminSessions = sqliteTable(
  'hexafac_admin_sessions',
  {
    id: text('id').primaryKey(),
    admin_id: text('admin_id')
      .notNull()
      .references(() => adminUsers.id),
    created_at: timestamps.created_at,
    expires_at: text('expires_at').notNull(),
    revoked_at: text('revoked_at'),
  },
  (t) => [index('hexafac_admin_sessions_admin_idx').on(t.admin_id)],
);
