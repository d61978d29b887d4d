import { z } from 'zod';
import { motivoTextoInvalido } from '../cfdi';
import { ESTADOS_ENTREGA, ORIGENES_ENTREGA } from './delivery';
import { EVENT_TYPES, EVENTOS_PLATAFORMA } from './events';
import { MAX_URL_LENGTH } from './url-policy';

// The shapes of webhook configurations and deliveries: validated by the service (API and admin panel alike)
// and published in the OpenAPI document by the routes.

const suscribibles = (tipos: readonly string[], todos: string, example: string) =>
  z
    .array(z.enum([...tipos, '*']).meta({ description: `Tipo de evento, o \`*\` para ${todos}.`, example }))
    .min(1)
    .max(tipos.length + 1);

const url = z.string().min(1).max(MAX_URL_LENGTH).meta({
  description: 'https en modo live. No se admiten direcciones internas, privadas, de enlace local ni credenciales en la URL.',
  example: 'https://mi-app.example.com/webhooks/hexafac',
});
const events = suscribibles(EVENT_TYPES, 'todos', 'factura.timbrada');
// A platform's endpoint hears only about its applications.
const eventsPlataforma = suscribibles(EVENTOS_PLATAFORMA, 'todos los de sus aplicaciones', 'aplicacion.csd_por_vencer');
// Shown in the panel and echoed by the API: text that could not be shown (control characters) is refused.
const description = z
  .string()
  .trim()
  .max(500)
  .refine((d) => motivoTextoInvalido(d) === null, 'Contiene caracteres de control o inválidos.');

const crearCon = (eventos: typeof events, id: string, example: { url: string; events: string[] }) =>
  z.strictObject({ url, events: eventos, description: description.optional() }).meta({ id, example });

const actualizarCon = (eventos: typeof events, id: string) =>
  z
    .strictObject({
      url: url.optional(),
      events: eventos.optional(),
      description: description.nullable().optional(),
      active: z.boolean().optional().meta({ description: 'false pausa las entregas; true las reanuda.' }),
    })
    .meta({ id, example: { active: false } });

export const WebhookCrearSchema = crearCon(events, 'WebhookCrear', {
  url: 'https://mi-app.example.com/webhooks/hexafac',
  events: ['factura.timbrada', 'factura.cancelada'],
});
export const WebhookActualizarSchema = actualizarCon(events, 'WebhookActualizar');
export const WebhookPlataformaCrearSchema = crearCon(eventsPlataforma, 'WebhookPlataformaCrear', {
  url: 'https://mi-erp.example.com/webhooks/hexafac',
  events: ['aplicacion.csd_por_vencer', 'aplicacion.csd_vencido'],
});
export const WebhookPlataformaActualizarSchema = actualizarCon(eventsPlataforma, 'WebhookPlataformaActualizar');

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

const secret = z.string().meta({
  description: 'Secreto de firma (Standard Webhooks): `whsec_` + base64 de 32 bytes. Solo se muestra esta vez.',
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
});

export const WebhookConSecretoSchema = WebhookSchema.extend({ secret }).meta({ id: 'WebhookConSecreto' });

/** A platform's endpoint has no mode: it hears about its applications in both (URL rules as in live). */
export const WebhookPlataformaSchema = WebhookSchema.omit({ mode: true }).meta({
  id: 'WebhookPlataforma',
  example: {
    id: '0196f3c2-7a10-7c3e-9a51-3f0d2b8c4e11',
    url: 'https://mi-erp.example.com/webhooks/hexafac',
    events: ['aplicacion.csd_por_vencer', 'aplicacion.csd_vencido'],
    description: null,
    active: true,
    secreto_anterior_vigente_hasta: null,
    created_at: '2026-05-01T12:00:00.000Z',
    updated_at: '2026-05-01T12:00:00.000Z',
  },
});

export const WebhookPlataformaConSecretoSchema = WebhookPlataformaSchema.extend({ secret }).meta({ id: 'WebhookPlataformaConSecreto' });

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
