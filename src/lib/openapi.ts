import { z } from 'zod';
import { ErrorBodySchema } from './errors';

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'JSON inválido.',
  401: 'API key ausente, inválida, revocada o expirada, o aplicación suspendida.',
  403: 'La API key no tiene el scope requerido.',
  404: 'No existe (o pertenece a otra aplicación o al otro modo).',
  409: 'Conflicto con el estado actual o Idempotency-Key reutilizada con otro cuerpo.',
  413: 'Cuerpo mayor a 1 MiB.',
  415: 'Content-Type distinto de application/json.',
  422: 'Datos inválidos: cada problema con su ruta y, cuando existe, el código CFDI40xxx del SAT.',
};

/** Error responses in the one error shape, for the statuses a route can answer. */
export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, jsonContent(ErrorBodySchema, ERROR_DESCRIPTIONS[s] ?? 'Error.')])) as Record<
    S,
    ReturnType<typeof jsonContent<typeof ErrorBodySchema>>
  >;
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
