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
