import { z } from 'zod';
import { ErrorBodySchema } from './errors';

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

type ErrorExample = { code: string; message: string; details?: { path: string; message: string; code?: string }[] };

/**
 * What each error status means, and one real answer of the app for it (test/workers/openapi.test.ts sends the
 * request behind each example and compares).
 */
const ERRORES: Record<number, { description: string; example: ErrorExample }> = {
  400: { description: 'JSON inválido.', example: { code: 'invalid_json', message: 'El cuerpo no es JSON válido.' } },
  401: {
    description: 'API key ausente, inválida, revocada o expirada, o aplicación suspendida.',
    example: { code: 'missing_api_key', message: 'Falta el encabezado Authorization: Bearer <API key>.' },
  },
  403: {
    description: 'La API key no tiene el scope requerido.',
    example: {
      code: 'insufficient_scope',
      message: 'La API key no tiene el scope requerido: facturas:write.',
      details: [{ path: 'scopes', message: 'Falta facturas:write.', code: 'insufficient_scope' }],
    },
  },
  404: { description: 'No existe (o pertenece a otra aplicación o al otro modo).', example: { code: 'not_found', message: 'El comprobante no existe.' } },
  409: {
    description: 'Conflicto con el estado actual o Idempotency-Key reutilizada con otro cuerpo.',
    example: { code: 'idempotency_key_reused', message: 'Esta Idempotency-Key ya se usó con otra solicitud.' },
  },
  413: { description: 'Cuerpo mayor a 1 MiB.', example: { code: 'payload_too_large', message: 'El cuerpo excede el máximo de 1 MiB.' } },
  415: {
    description: 'Content-Type distinto de application/json.',
    example: { code: 'unsupported_media_type', message: 'El cuerpo debe enviarse como application/json.' },
  },
  422: {
    description: 'Datos inválidos: cada problema con su ruta y, cuando existe, el código CFDI40xxx del SAT.',
    example: {
      code: 'validation_error',
      message: 'El comprobante no cumple las reglas del SAT.',
      details: [{ path: 'receptor.uso_cfdi', message: 'El uso de CFDI CN01 no aplica a una persona moral.', code: 'CFDI40161' }],
    },
  },
  429: {
    description:
      'Límite de uso excedido (por API key y clase de operación; ver README, «Límites de uso»). Reintenta tras `Retry-After`.',
    example: {
      code: 'rate_limit_exceeded',
      message: 'Límite de uso excedido en escrituras: 1000 solicitudes cada 60 s. Reintenta en 1 s (Retry-After).',
      details: [{ path: 'Authorization', message: 'Se agotó la cuota de escrituras de esta API key.', code: 'rate_limit_exceeded' }],
    },
  },
  503: {
    description: 'El PAC o el SAT no respondió; nada cambió. Reintenta tras `Retry-After` (con la misma Idempotency-Key).',
    example: { code: 'pac_no_disponible', message: 'El PAC no respondió: la respuesta no se envió. Reintenta.' },
  },
};

type RespuestaError = { content: { 'application/json': { schema: typeof ErrorBodySchema; example: unknown } }; description: string };

/** A status's description and example body, as the document shows them. */
export function errorDocumentado(s: number) {
  const e = ERRORES[s];
  if (!e) throw new Error(`errorResponses: no documented error for status ${s}`);
  const { description, example } = e;
  return { description, example: { error: { details: [], ...example, request_id: 'req_01936f1c-6c2a-7d3e-9b4f-2a7c1e5d8f90' } } };
}

/** Error responses in the one error shape, for the statuses a route can answer, each with its own example. */
export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => {
      const { description, example } = errorDocumentado(s);
      return [s, { content: { 'application/json': { schema: ErrorBodySchema, example } }, description }];
    }),
  ) as Record<S, RespuestaError>;
}

/** Every creating route takes it (src/lib/idempotency.ts); declared here so each documents it the same way. */
export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .meta({ description: 'Misma clave y mismo cuerpo → la respuesta original; otra solicitud con la misma clave → 409. Vigencia 24 h.', example: 'pedido-1234' }),
});

/** The creating requests of a comprobante and its cancellation also take the sandbox's failure triggers. */
export const SimulableHeadersSchema = IdempotencyHeadersSchema.extend({
  'x-hexafac-simular': z
    .string()
    .optional()
    .meta({
      description:
        'Solo con llaves de prueba: hace fallar al PAC del sandbox a propósito. Valores separados por comas: timeout, ' +
        'timeout-tras-timbrar, error-5xx, csd-revocado, rechazo=CFDI40xxx, pac-caido=<segundos>, ' +
        'cancelacion=aceptada|rechazada|vencida. Con una llave live responde 400. Ver README, «Simular fallas».',
      example: 'timeout-tras-timbrar',
    }),
});
