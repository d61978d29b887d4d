import { z } from 'zod';
import { motivoTextoInvalido } from '../cfdi';
import { ESTADOS_ENTREGA, ORIGENES_ENTREGA } from './delivery';
import { EVENT_TYPES } from './events';
import { MAX_URL_LENGTH } from './url-policy';

// The shapes of webhook configurations and deliveries: validated by the service (API and admin panel alike)
// and published in the OpenAPI document by the routes.

const EventoSuscritoSchema = z.enum([...EVENT_TYPES, '*']).meta({
  description: 'Tipo de evento, o `*` para todos.',
  example: 'factura.timbrada',
});

const url = z.string().min(1).max(MAX_URL_LENGTH).meta({
  description: 'https en modo live. No se admiten direcciones internas, privadas, de enlace local ni credenciales en la URL.',
  example: 'https://mi-app.example.com/webhooks/hexafac',
});
const events = z.array(EventoSuscritoSchema).min(1).max(EVENT_TYPES.length + 1);
// Shown in the panel and echoed by the API: text that could not be shown (control characters) is refused.
const description = z
  .string()
  .trim()
  .max(500)
  .refine((d) => motivoTextoInvalido(d) === null, 'Contiene caracteres de control o inválidos.');

export const WebhookCrearSchema = z
  .strictObject({ url, events, description: description.optional() })
  .meta({ id: 'WebhookCrear', example: { url: 'https://mi-app.example.com/webhooks/hexafac', events: ['factura.timbrada', 'factura.cancelada'] } });

export const WebhookActualizarSchema = z
  .strictObject({
    url: url.optional(),
    events: events.optional(),
    description: description.nullable().optional(),
    active: z.boolean().optional().meta({ description: 'false pausa las entregas; true las reanuda.' }),
  })
  .meta({ id: 'WebhookActualizar', example: { active: false } });

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    active: z.boolean(),
    mode: z.enum(['test', 'live']),
    secreto_anterior_vigente_hasta: z
      .string()
      .nullable()
      .meta({ description: 'Tras una rotación, hasta cuándo se firma también con el secreto anterior.' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({
    id: 'Webhook',
    example: {
      id: '0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11',
      url: 'https://mi-app.example.com/webhooks/hexafac',
      events: ['factura.timbrada'],
      description: null,
      active: true,
      mode: 'test',
      secreto_anterior_vigente_hasta: null,
      created_at: '2026-05-01T12:00:00.000Z',
      updated_at: '2026-05-01T12:00:00.000Z',
    },
  });

export const WebhookConSecretoSchema = WebhookSchema.extend({
  secret: z.string().meta({
    description: 'Secreto de firma (Standard Webhooks): `whsec_` + base64 de 32 bytes. Solo se muestra esta vez.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).meta({ id: 'WebhookConSecreto' });

export const EntregaSchema = z
  .object({
    id: z.string(),
    evento_id: z.string().meta({ description: 'El `webhook-id` enviado (el id del evento).' }),
    type: z.string(),
    origen: z.enum(ORIGENES_ENTREGA),
    status: z.enum(ESTADOS_ENTREGA),
    created_at: z.string(),
    proximo_intento_at: z.string().nullable(),
    finalizada_at: z.string().nullable(),
    intentos: z.array(
      z.object({
        numero: z.number().int(),
        at: z.string(),
        status_code: z.number().int().nullable(),
        latencia_ms: z.number().int(),
        respuesta: z.string().nullable().meta({ description: 'Primer KiB del cuerpo de la respuesta.' }),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({
    id: 'Entrega',
    example: {
      id: '0196f3c2-9b00-7d11-8e2a-5a6b7c8d9e0f',
      evento_id: '0196f3c2-8a00-7d11-8e2a-5a6b7c8d9e0f',
      type: 'factura.timbrada',
      origen: 'evento',
      status: 'entregada',
      created_at: '2026-05-01T12:00:01.000Z',
      proximo_intento_at: null,
      finalizada_at: '2026-05-01T12:00:01.250Z',
      intentos: [{ numero: 1, at: '2026-05-01T12:00:01.000Z', status_code: 200, latencia_ms: 250, respuesta: 'ok', error: null }],
    },
  });
