import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { API_BASE } from '../../src/env';
import worker from '../../worker';

// The Worker's own fetch handler, each call with its own ExecutionContext that is waited on (the queue send
// and event dispatch a response defers are done when it returns). Not exports.default.fetch: through the
// pool's self binding each call costs more than the one before (about 3 ms at first, 150 ms after 400
// calls in one file), which a corpus of a thousand bodies cannot afford.

export interface Llamada {
  token?: string;
  /** A string or bytes go as they are; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** null: no Content-Type at all; undefined: application/json when there is a JSON body. */
  contentType?: string | null;
}

export interface Respuesta {
  status: number;
  headers: Headers;
  texto: string;
  bytes: Uint8Array;
}

export async function llamar(metodo: string, ruta: string, o: Llamada = {}): Promise<Respuesta> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.Authorization = `Bearer ${o.token}`;
  let body: string | Uint8Array | undefined;
  if (o.body !== undefined) body = typeof o.body === 'string' || o.body instanceof Uint8Array ? o.body : JSON.stringify(o.body);
  const tipo = o.contentType === undefined ? (body !== undefined && !(body instanceof Uint8Array) ? 'application/json' : undefined) : o.contentType;
  if (tipo !== undefined && tipo !== null) headers['Content-Type'] = tipo;
  const ctx = createExecutionContext();
  const res = (await worker.fetch!(new Request(`http://hexafac.test${API_BASE}${ruta}`, { method: metodo, headers, body }) as never, env, ctx)) as unknown as Response;
  const bytes = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, bytes, texto: new TextDecoder().decode(bytes) };
}

export const jsonDe = (r: Respuesta) => JSON.parse(r.texto);
