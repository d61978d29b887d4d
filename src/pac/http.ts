// The one way an adapter talks to a PAC or the SAT: fetch with a deadline over the whole exchange, answer
// body included, that never throws and says whether the request may have reached the other side.
import type { PacError } from './types';

export type Respuesta =
  | { ok: true; status: number; texto: string; headers: Headers }
  /**
   * No answer. `enviada: false` when the request certainly never reached the server (the connection was
   * refused or the name did not resolve), so nothing can have been done with it; a timeout or a connection
   * cut after sending may have been processed.
   */
  | { ok: false; error: PacError; enviada: boolean };

export interface Canal {
  fetch?: typeof fetch;
  timeoutMs: number;
}

// workerd and undici word a failed connect like this; anything else is treated as possibly sent
const NO_CONECTO = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|connection refused|connect error|Network connection lost before|getaddrinfo|DNS/i;

export async function enviar(canal: Canal, url: string, init: RequestInit): Promise<Respuesta> {
  const control = new AbortController();
  const reloj = setTimeout(() => control.abort(), canal.timeoutMs);
  // bound so a global fetch is not called with the adapter as `this` (workerd refuses that)
  const f = canal.fetch ?? ((input: RequestInfo | URL, i?: RequestInit) => fetch(input, i));
  try {
    const res = await f(url, { ...init, signal: control.signal, redirect: 'manual' });
    const texto = await res.text();
    return { ok: true, status: res.status, texto, headers: res.headers };
  } catch (e) {
    if (control.signal.aborted) return { ok: false, enviada: true, error: { code: 'timeout', message: `Sin respuesta en ${canal.timeoutMs} ms` } };
    const detalle = `${(e as Error).message} ${String((e as { cause?: unknown }).cause ?? '')}`;
    return { ok: false, enviada: !NO_CONECTO.test(detalle), error: { code: 'red', message: `Error de red: ${(e as Error).message}` } };
  } finally {
    clearTimeout(reloj);
  }
}
