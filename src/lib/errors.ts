import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

// One error shape for the whole API: {error:{code,message,details:[{path,message}],request_id}}.

export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: ContentfulStatusCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static notFound(what = 'El recurso'): ApiError {
    return new ApiError('not_found', 404, `${what} no existe.`);
  }

  static validation(details: ErrorDetail[], message = 'La solicitud tiene datos inválidos.'): ApiError {
    return new ApiError('validation_error', 422, message, details);
  }
}

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_error' }),
      message: z.string().meta({ example: 'La solicitud tiene datos inválidos.' }),
      details: z.array(
        z.object({
          path: z.string().meta({ example: 'receptor.rfc' }),
          message: z.string(),
          code: z.string().optional().meta({ example: 'CFDI40145' }),
        }),
      ),
      request_id: z.string(),
    }),
  })
  .meta({ id: 'Error' });

/** zod issue path → "conceptos[0].impuestos.traslados[1].tasa_o_cuota". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

export function zodDetails(error: z.ZodError, prefix: readonly PropertyKey[] = []): ErrorDetail[] {
  return error.issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), message: i.message }));
}

export function errorBody(c: Context, err: ApiError) {
  return {
    error: { code: err.code, message: err.message, details: err.details, request_id: c.get('requestId') ?? '' },
  };
}

export function renderError(c: Context, err: ApiError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(errorBody(c, err), err.status);
}

/** The single error handler: known errors keep their status; anything else is a logged 500 without internals. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return renderError(c, err);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 400 && /json/i.test(err.message)) {
      return renderError(c, new ApiError('invalid_json', 400, 'El cuerpo no es JSON válido.'));
    }
    if (status === 413) {
      return renderError(c, new ApiError('payload_too_large', 413, 'El cuerpo excede el máximo de 1 MiB.'));
    }
    return renderError(c, new ApiError(status >= 500 ? 'internal_error' : 'bad_request', status, err.message || 'Solicitud inválida.'));
  }
  console.error(JSON.stringify({ level: 'error', request_id: c.get('requestId'), message: err.message, stack: err.stack }));
  return renderError(c, new ApiError('internal_error', 500, 'Error interno. Reporta el request_id a soporte.'));
}
