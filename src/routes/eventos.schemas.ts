import { z } from '@hono/zod-openapi';
import { EVENT_TYPES, EVENTO_PRUEBA } from '../webhooks/events';
import { CancelacionRecibidaSchema } from './cancelaciones-recibidas/cancelaciones-recibidas.routes';
import { FacturaSchema } from './comprobantes.schemas';
import { ExportacionSchema } from './exportaciones/exportaciones.routes';
import { LoteEventoSchema } from './lotes/lotes.routes';
import { NominaEventoSchema } from './nominas/nominas.routes';

// What every webhook endpoint receives, declared in the document's `webhooks:` so clients and the SDK get typed
// events: one schema per type, all of them in the union EventoWebhook discriminated by `type`.

/** An event carries the comprobante as data, not as an HTTP view: no links, and the cancellation without its acuse. */
const ComprobanteEventoSchema = FacturaSchema.omit({ links: true })
  .extend({ cancelacion: z.object({ motivo: z.string(), folio_sustitucion: z.string().nullable() }).nullable() })
  .meta({ id: 'ComprobanteEvento' });

/** What a CSD-expiry notice says about the application (src/jobs/avisos-csd.ts). */
const AvisoCsdSchema = z
  .object({
    id: z.string().meta({ description: 'Id de la aplicación.' }),
    rfc: z.string(),
    razon_social: z.string(),
    platform_id: z.string().nullable().meta({ description: 'La plataforma que la administra; null si la dio de alta HexaFac.' }),
    no_certificado: z.string().meta({ description: 'Número del CSD que vence.', example: '30001000000500003416' }),
    valido_hasta: z.string().meta({ description: 'Fin de vigencia del CSD (RFC 3339).', example: '2027-05-18T11:43:51.000Z' }),
    dias_restantes: z.number().int().meta({ description: 'Días completos o parciales que le quedan; 0 si ya venció.', example: 7 }),
  })
  .meta({ id: 'AvisoCsd' });

/** A recibo as the retail events name it (src/services/recibos.ts). */
const ReciboEventoSchema = z
  .object({
    id: z.string(),
    folio: z.string(),
    external_id: z.string().nullable(),
    fecha: z.string(),
    total: z.string(),
    status: z.enum(['vigente', 'facturado', 'facturado_global', 'cancelado']),
  })
  .meta({ id: 'ReciboEvento' });

const DATOS: Record<(typeof EVENT_TYPES)[number] | typeof EVENTO_PRUEBA, z.ZodType> = {
  ...(Object.fromEntries(EVENT_TYPES.map((t) => [t, ComprobanteEventoSchema])) as unknown as Record<(typeof EVENT_TYPES)[number], z.ZodType>),
  'factura.sustituida': z.object({ sustituida: ComprobanteEventoSchema, sustituta: ComprobanteEventoSchema }),
  'cancelacion_recibida.pendiente': CancelacionRecibidaSchema.omit({ links: true }),
  'exportacion.lista': ExportacionSchema.omit({ links: true }).meta({ id: 'ExportacionEvento' }),
  'lote.completado': LoteEventoSchema,
  'nomina.completada': NominaEventoSchema,
  'aplicacion.csd_por_vencer': AvisoCsdSchema,
  'aplicacion.csd_vencido': AvisoCsdSchema,
  'recibo.facturado': z.object({ recibo: ReciboEventoSchema, comprobante: ComprobanteEventoSchema }),
  'factura_global.timbrada': z.object({
    comprobante: ComprobanteEventoSchema,
    recibos: z.number().int().meta({ description: 'Cuántos recibos incluye.' }),
    periodo: z.object({ periodicidad: z.string(), meses: z.string(), año: z.number().int() }).meta({ description: 'Su InformacionGlobal.' }),
  }),
  [EVENTO_PRUEBA]: z.object({ webhook_id: z.string(), mensaje: z.string() }),
};

const DESCRIPCION: Record<string, string> = {
  timbrada: 'El PAC timbró el comprobante: ya tiene UUID, XML y PDF.',
  rechazada: 'El PAC lo rechazó por una regla del SAT (códigos en `errores`); no tiene UUID. Corrige y emite otro.',
  error: 'No se pudo timbrar tras los reintentos (PAC no disponible); no tiene UUID.',
  cancelada: 'El SAT lo canceló (aceptada por el receptor o sin necesidad de aceptación).',
  cancelacion_rechazada: 'El receptor rechazó la cancelación o venció su plazo: sigue vigente.',
  sustituida: 'Terminó una sustitución: el original quedó cancelado con motivo 01 y el UUID de la sustituta.',
  pendiente: 'Un proveedor pidió cancelar un CFDI dirigido a este emisor: acéptala o recházala en 72 horas.',
  completado: 'Ningún comprobante del lote quedó `pendiente`: cada uno terminó `timbrada`, `rechazada` o `error`; con los conteos por estado.',
  'nomina.completada': 'Ningún recibo de la nómina quedó `pendiente`: cada uno terminó `timbrada`, `rechazada` o `error`; con los conteos por estado y el periodo.',
  lista: 'Una exportación terminó: su archivo está listo para descargarse en `GET /exportaciones/{id}/archivo`.',
  csd_por_vencer: 'El CSD de la aplicación vence en 30 días o menos (un aviso) y en 7 o menos (otro): carga uno vigente antes. Llega a sus webhooks de ambos modos y a los de su plataforma.',
  csd_vencido: 'Venció el CSD de la aplicación: no puede timbrar hasta cargar uno vigente. Llega a sus webhooks de ambos modos y a los de su plataforma.',
  facturado: 'Se timbró el CFDI propio de un recibo (desde el portal de autofactura o `POST /recibos/{id}/facturar`).',
  'factura_global.timbrada': 'Se timbró una factura global a PUBLICO EN GENERAL de los recibos de un periodo que nadie facturó; con cuántos incluye y su periodo.',
  prueba: 'Enviado por `POST /webhooks/{id}/prueba`; nunca es un evento real.',
};
// recibo_nomina.timbrado and traslado.cancelado say what factura.timbrada and factura.cancelada say
const FEMENINO: Record<string, string> = { timbrado: 'timbrada', rechazado: 'rechazada', cancelado: 'cancelada' };
const descripcionDe = (type: string) => {
  const estado = type.split('.')[1]!;
  return DESCRIPCION[type] ?? DESCRIPCION[FEMENINO[estado] ?? estado] ?? '';
};

const nombreDe = (type: string) =>
  `Evento${type
    .split(/[._]/)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')}`;

const eventoSchema = (type: keyof typeof DATOS) =>
  z
    .object({
      id: z.string().meta({ description: 'Id del evento; también `webhook-id`. Úsalo para descartar duplicados.' }),
      type: z.literal(type),
      timestamp: z.string().meta({ description: 'Cuándo ocurrió (RFC 3339), como recomienda Standard Webhooks.', example: '2026-11-25T16:00:05.123Z' }),
      created: z.string().meta({ description: 'Igual que `timestamp`; se conserva por compatibilidad.', deprecated: true }),
      mode: z.enum(['test', 'live']),
      data: DATOS[type],
    })
    .meta({ id: nombreDe(type), description: descripcionDe(type) });

const TIPOS = [...EVENT_TYPES, EVENTO_PRUEBA] as const;
export const EVENTOS = TIPOS.map((type) => ({ type, schema: eventoSchema(type) }));

export const EventoWebhookSchema = z
  .discriminatedUnion(
    'type',
    EVENTOS.map((e) => e.schema) as unknown as [ReturnType<typeof eventoSchema>, ...ReturnType<typeof eventoSchema>[]],
  )
  .meta({ id: 'EventoWebhook', description: 'Cualquier evento que HexaFac entrega, según su `type`.' });

/** The Standard Webhooks headers every delivery carries (sdk verifySignature and the `standardwebhooks` package read them). */
export const EncabezadosWebhookSchema = z.object({
  'webhook-id': z.string().meta({ description: 'Id del evento (el mismo en cada reintento).', example: '01936f1c-6c2a-7d3e-9b4f-2a7c1e5d8f90' }),
  'webhook-timestamp': z.string().meta({ description: 'Segundos Unix del envío; rechaza los de más de 5 minutos.', example: '1764086405' }),
  'webhook-signature': z.string().meta({ description: '`v1,<base64 HMAC-SHA256 de "id.timestamp.cuerpo">`, con el secreto `whsec_…`; puede traer varias, separadas por espacios durante una rotación.', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }),
});

/** How a receiver knows a delivery is ours: the signature header, checked with the endpoint's secret. */
export const FIRMA_WEBHOOK = {
  type: 'apiKey' as const,
  in: 'header' as const,
  name: 'webhook-signature',
  description: 'Firma Standard Webhooks de cada entrega, con el secreto `whsec_…` del webhook (ver `webhook-signature`).',
};

const entrada = (path: string, operationId: string, descripcion: string, schema: z.ZodType) => ({
  method: 'post' as const,
  path,
  operationId,
  tags: ['Webhooks'],
  summary: path,
  description: `${descripcion} Responde 2xx en menos de 10 s; cualquier otra respuesta se reintenta con espera creciente durante 3 días.`,
  security: [{ firmaWebhook: [] }],
  request: { headers: EncabezadosWebhookSchema, body: { content: { 'application/json': { schema } }, required: true } },
  responses: {
    200: { description: 'Recibido (cualquier 2xx).' },
    400: { description: 'El receptor lo rechaza (p. ej. firma inválida); HexaFac lo reintenta y lo registra en la bitácora de entregas.' },
  },
});

/** Each event as an entry of the document's `webhooks:` section, and `*` (a subscription to every event) with the union. */
export const webhooksDelDocumento = () => [
  ...EVENTOS.map(({ type, schema }) => entrada(type, `recibir${nombreDe(type)}`, descripcionDe(type), schema)),
  entrada('*', 'recibirEventoWebhook', 'Una suscripción a `*` recibe cualquiera de los eventos documentados, según su `type`.', EventoWebhookSchema),
];
