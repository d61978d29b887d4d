import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { log } from './log';
import { CAMPO_OBLIGATORIO } from './mensajes';

// One error type for every layer below the edge: services, jobs, lib and webhooks throw DomainError with
// a kind; the kind becomes an HTTP status here, once (and an admin page in admin/errors.ts, once).
// The fiscal core (src/cfdi) cannot import this: it returns ValidationIssue lists, and services wrap them.

export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

/** What went wrong, independent of the transport. The edge-only kinds come from the request itself. */
export type ErrorKind =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'forbidden'
  | 'unauthorized'
  | 'unavailable'
  | 'malformed'
  | 'too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'internal';

const STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  malformed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  invalid: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Hints a transport may pass on (Retry-After, Allow, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what = 'El recurso'): DomainError {
    return new DomainError('not_found', 'not_found', `${what} no existe.`);
  }

  static validation(details: ErrorDetail[], message = 'La solicitud tiene datos inválidos.'): DomainError {
    return new DomainError('validation_error', 'invalid', message, details);
  }
}

export const statusOf = (kind: ErrorKind): ContentfulStatusCode => STATUS[kind];

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

/** Each zod issue with the documented code of its kind (src/cfdi/validar.ts CODIGOS_HFX), as the core's reader gives them. */
export function zodDetails(error: z.ZodError, prefix: readonly PropertyKey[] = []): ErrorDetail[] {
  return error.issues.flatMap((i) => {
    const path = [...prefix, ...i.path];
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ path: formatPath([...path, k]), message: `El campo ${k} no existe en esta API.`, code: 'HFX_CAMPO_DESCONOCIDO' }));
    }
    const requerido = i.code === 'invalid_type' && i.message === CAMPO_OBLIGATORIO;
    return [{ path: formatPath(path), message: i.message, code: requerido ? 'HFX_CAMPO_REQUERIDO' : 'HFX_FORMATO' }];
  });
}

export function errorBody(c: Context, err: DomainError) {
  return {
    // every detail names a stable code: its own (the SAT's or HFX_…), else the error's (documented per route)
    error: { code: err.code, message: err.message, details: err.details.map((d) => (d.code ? d : { ...d, code: err.code })), request_id: c.get('requestId') ?? '' },
  };
}

export function renderError(c: Context, err: DomainError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(errorBody(c, err), statusOf(err.kind));
}

export const payloadTooLarge = (bytes = 1024 * 1024) =>
  new DomainError('payload_too_large', 'too_large', `El cuerpo excede el máximo de ${bytes / (1024 * 1024)} MiB.`);

/** The single error handler: known errors keep their kind; anything else is a logged 500 without internals. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof DomainError) return renderError(c, err);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 400 && /json/i.test(err.message)) {
      return renderError(c, new DomainError('invalid_json', 'malformed', 'El cuerpo no es JSON válido.'));
    }
    if (status === 413) return renderError(c, payloadTooLarge());
    const kind = (Object.keys(STATUS) as ErrorKind[]).find((k) => STATUS[k] === status) ?? (status >= 500 ? 'internal' : 'malformed');
    return renderError(c, new DomainError(status >= 500 ? 'internal_error' : 'bad_request', kind, err.message || 'Solicitud inválida.'));
  }
  log.error(err.message, { request_id: c.get('requestId'), stack: err.stack });
  return renderError(c, new DomainError('internal_error', 'internal', 'Error interno. Reporta el request_id a soporte.'));
}
