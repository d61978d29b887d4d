import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, statusOf, type ErrorKind } from '../src/lib/errors';
import { log } from '../src/lib/log';
import type { AdminEnv } from './auth';
import type { FieldErrors } from './components/form';
import { type Flash, PageHead } from './components/layout';
import { page } from './render';

// Service refusals (DomainError) become panel pages here, once. Behind a form: invalid → the form again
// with each detail beside its field (422); conflict / unavailable → the page again with the message
// (409 / 503). Anywhere else: not_found → the panel's 404 page, and so on. Anything else is a logged 500.

export interface Rechazo {
  status: ContentfulStatusCode;
  errors: FieldErrors;
  flash?: Flash;
}

/** What a form shows for a refusal; a kind a form cannot show goes on to onError. */
export function rechazoDe(e: unknown): Rechazo {
  if (!(e instanceof DomainError)) throw e;
  if (e.kind === 'invalid') {
    const errors: FieldErrors = {};
    // A detail's path starts with the field's name: `events[2]` is the events field.
    for (const d of e.details) errors[d.path.split(/[.[]/)[0] || 'form'] ??= d.message;
    if (!Object.keys(errors).length) errors.form = e.message;
    return { status: statusOf(e.kind), errors };
  }
  if (e.kind === 'conflict' || e.kind === 'unavailable') return { status: statusOf(e.kind), errors: {}, flash: { kind: 'error', text: e.message } };
  throw e;
}

/** A form's service call: its result goes to `hecho`; a refusal to `otraVez`, which draws the page again. */
export async function enFormulario<T>(
  accion: () => Promise<T>,
  otraVez: (r: Rechazo) => Response | Promise<Response>,
  hecho: (v: T) => Response | Promise<Response>,
): Promise<Response> {
  let v: T;
  try {
    v = await accion();
  } catch (e) {
    return otraVez(rechazoDe(e));
  }
  return hecho(v);
}

const TITULOS: Partial<Record<ErrorKind, string>> = {
  not_found: 'No encontrado',
  invalid: 'Solicitud inválida',
  conflict: 'No se pudo completar',
  unavailable: 'Servicio no disponible',
};

export function onError(err: Error, c: Context<AdminEnv>): Response | Promise<Response> {
  const titulo = err instanceof DomainError ? TITULOS[err.kind] : undefined;
  if (titulo) {
    return page(
      c,
      { title: titulo },
      <div class="card">
        <PageHead title={titulo} subtitle={err.message} />
        <a href="/admin">Volver al panel</a>
      </div>,
      statusOf((err as DomainError).kind),
    );
  }
  log.error(err.message, { request_id: c.get('requestId'), stack: err.stack });
  return c.text('Error interno del panel. Reporta el request id a soporte.', 500);
}
