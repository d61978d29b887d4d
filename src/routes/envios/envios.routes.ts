import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../lib/auth';
import { EMAIL_RE } from '../../lib/correo';
import { errorResponses, IdempotencyHeadersSchema, jsonContent } from '../../lib/openapi';
import { MAX_DESTINATARIOS } from '../../services/envios';
import type { TipoComprobante } from '../../services/comprobantes';
import { EnvioSchema, IdParamsSchema } from '../comprobantes.schemas';

// The envío routes of every kind that is emailed (facturas, notas de crédito, complementos de pago): the same two
// operations on each kind's path, defined once here from the kind's table.

const tags = ['Envíos por correo'];

export interface KindEnvio {
  /** '/facturas' (any comprobante, as GET /facturas/{id}), '/notas-credito', '/complementos-pago' */
  base: string;
  /** The kind its path reads; none for /facturas. */
  tipo?: TipoComprobante;
  /** operationId suffix. */
  sufijo: string;
  /** 'un comprobante', for the texts. */
  que: string;
}

export const KINDS: readonly KindEnvio[] = [
  { base: '/facturas', sufijo: 'Comprobante', que: 'un comprobante' },
  { base: '/notas-credito', tipo: 'E', sufijo: 'NotaCredito', que: 'una nota de crédito' },
  { base: '/complementos-pago', tipo: 'P', sufijo: 'ComplementoPago', que: 'un complemento de pago' },
];

const email = z
  .string()
  .max(254)
  .regex(EMAIL_RE, { error: 'Debe ser una sola dirección de correo, sin nombre, espacios ni acentos, p. ej. "contabilidad@cliente.mx".' })
  .meta({ example: 'contabilidad@cliente.mx' });

export const EnvioCrearSchema = z
  .strictObject({
    to: z.array(email).min(1).max(MAX_DESTINATARIOS).meta({ description: `Destinatarios, de 1 a ${MAX_DESTINATARIOS}.` }),
    cc: z.array(email).max(MAX_DESTINATARIOS).optional().meta({ description: `Con copia, hasta ${MAX_DESTINATARIOS}.` }),
  })
  .superRefine((v, ctx) => {
    // each address once: a repeated one would get the message twice
    const vistas = new Set<string>();
    for (const [campo, lista] of [['to', v.to], ['cc', v.cc ?? []]] as const) {
      lista.forEach((d, i) => {
        const clave = d.toLowerCase();
        if (vistas.has(clave)) ctx.addIssue({ code: 'custom', path: [campo, i], message: `La dirección ${d} ya está entre los destinatarios.` });
        vistas.add(clave);
      });
    }
  })
  .meta({ id: 'EnvioCrear', example: { to: ['contabilidad@cliente.mx'], cc: ['compras@cliente.mx'] } });

const ENVIO_TEXTO =
  'Envía por correo el XML timbrado y el PDF, con un mensaje en español que indica el emisor, la serie y el folio, el total y el ' +
  'enlace de verificación del SAT. Responde 202 con el envío `pendiente`: se entrega en segundo plano (el estado pasa a `enviado`, ' +
  'o se reintenta con espera creciente y queda en `error` tras agotar los reintentos) y aparece en `GET …/{id}/envios` y en el ' +
  '`envios` del comprobante. Solo un CFDI vigente (`timbrada` o `cancelacion_rechazada`): si no, 409 `comprobante_no_enviable`. ' +
  'Remitente: el de la instancia (CORREO_REMITENTE) con el nombre del emisor. Al timbrarse, un comprobante con `cliente_id` cuyo ' +
  'cliente tiene email (o facturado en el portal de autofactura) se envía solo.';

export function rutaEnviar(k: KindEnvio) {
  return createRoute({
    method: 'post',
    path: `${k.base}/{id}/enviar`,
    operationId: `enviar${k.sufijo}`,
    tags,
    summary: `Enviar por correo ${k.que}`,
    description: ENVIO_TEXTO,
    security: [{ bearerAuth: ['facturas:write'] }],
    middleware: [requireAuth('facturas:write')] as const,
    request: {
      params: IdParamsSchema,
      headers: IdempotencyHeadersSchema,
      body: { content: { 'application/json': { schema: EnvioCrearSchema } }, required: true },
    },
    responses: {
      202: { ...jsonContent(EnvioSchema, 'Envío aceptado; `Location` apunta a los envíos del comprobante.'), headers: z.object({ Location: z.string() }) },
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
    },
  });
}

export function rutaListar(k: KindEnvio) {
  return createRoute({
    method: 'get',
    path: `${k.base}/{id}/envios`,
    operationId: `listarEnvios${k.sufijo}`,
    tags,
    summary: `Envíos por correo de ${k.que}`,
    description: 'Cada envío (automático al timbrar o por POST …/{id}/enviar) con sus destinatarios, su estado, su Message-ID, los intentos y el último error; del más antiguo al más reciente.',
    security: [{ bearerAuth: ['facturas:read'] }],
    middleware: [requireAuth('facturas:read')] as const,
    request: { params: IdParamsSchema },
    responses: {
      200: jsonContent(z.object({ data: z.array(EnvioSchema) }).meta({ id: 'ListaEnvios' }), 'Los envíos del comprobante.'),
      ...errorResponses(401, 403, 404),
    },
  });
}
