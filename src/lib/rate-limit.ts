import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { depsDe } from '../deps';
import { API_BASE } from '../env';
import type { Plan } from '../db/schema';
import type { AppEnv } from './context';
import { DomainError, errorBody, statusOf } from './errors';
import { log } from './log';
import type { Politica } from './rate-limiter';

// Published rate limits (README "Límites de uso"): per API key and per operation class, with the IETF httpapi
// draft's headers (draft-ietf-httpapi-ratelimit-headers-11: `RateLimit-Policy: "escrituras";q=1000;w=60` and
// `RateLimit: "escrituras";r=999;t=1`) on every answer, and a 429 `rate_limit_exceeded` with Retry-After.
//
// Why a Durable Object (src/lib/rate-limiter.ts) and not Cloudflare's Rate Limiting binding: the binding answers
// only {success}, so neither the remaining quota nor the wait the headers publish can be known, its periods are
// 10 or 60 s only, and it counts per Cloudflare location (a key spread over locations gets more than published).
// One object per key counts exactly, and its answer carries what the headers need. The cost is one Durable Object
// call per request, in memory on its side (no storage write); in production the object sits where its key's traffic
// started. If the object cannot be reached the request goes on unlimited and is logged: issuing invoices matters
// more than limiting them.

export type Clase = 'lecturas' | 'escrituras' | 'costosas';
/** Requests without an API key are counted per client IP under this row; the autofactura portal's rows after it. */
export type Tarifa = Plan | 'sin_api_key' | 'autofactura_ip' | 'autofactura_clave' | 'autofactura_fallos';

/** Requests per window, per plan and class. The creates class takes bursts (a 300-invoice run at full speed). */
export const LIMITES: Record<Tarifa, Record<Clase, Politica>> = {
  estandar: { lecturas: { q: 2000, w: 60 }, escrituras: { q: 1000, w: 60 }, costosas: { q: 5, w: 60 } },
  plataforma: { lecturas: { q: 5000, w: 60 }, escrituras: { q: 3000, w: 60 }, costosas: { q: 20, w: 60 } },
  sin_api_key: { lecturas: { q: 600, w: 60 }, escrituras: { q: 300, w: 60 }, costosas: { q: 300, w: 60 } },
  // The public portal (autofactura/): per client IP its pages and its submits; per ticket clave the tries to
  // invoice it; and per IP the wrong claves, far fewer, so guessing claves stops long before it could pay off.
  autofactura_ip: { lecturas: { q: 120, w: 60 }, escrituras: { q: 20, w: 60 }, costosas: { q: 20, w: 60 } },
  autofactura_clave: { lecturas: { q: 60, w: 60 }, escrituras: { q: 10, w: 600 }, costosas: { q: 10, w: 600 } },
  autofactura_fallos: { lecturas: { q: 10, w: 600 }, escrituras: { q: 10, w: 600 }, costosas: { q: 10, w: 600 } },
};

/** Which class a request is: the first row whose method and path (below API_BASE) match. */
const CLASES: ReadonlyArray<{ metodos: readonly string[]; ruta: RegExp; clase: Clase }> = [
  { metodos: ['POST'], ruta: /^\/(lotes|nominas)$/, clase: 'costosas' },
  { metodos: ['POST'], ruta: /^\/exportaciones$/, clase: 'costosas' },
  { metodos: ['GET', 'HEAD'], ruta: /^\/exportaciones\/[^/]+\/archivo$/, clase: 'costosas' },
  // each one renders a PDF and emails it: a key must not turn the service into a mass mailer
  { metodos: ['POST'], ruta: /^\/(facturas|notas-credito|complementos-pago)\/[^/]+\/enviar$/, clase: 'costosas' },
  { metodos: ['GET', 'HEAD', 'OPTIONS'], ruta: /^/, clase: 'lecturas' },
  { metodos: ['POST', 'PUT', 'PATCH', 'DELETE'], ruta: /^/, clase: 'escrituras' },
];

/** Paths never limited: liveness probes (load balancers, monitors, the bench's ceiling) must not get a 429. */
export const EXENTAS = new Set(['/health']);

const rutaDe = (c: Context<AppEnv>) => c.req.path.slice(API_BASE.length).replace(/\/$/, '') || '/';

export function claseDe(metodo: string, ruta: string): Clase {
  return CLASES.find((r) => r.metodos.includes(metodo) && r.ruta.test(ruta))?.clase ?? 'escrituras';
}

// The headers each request was given, so they survive a handler that answers with its own Response.
const cabeceras = new WeakMap<Context, Record<string, string>>();

/**
 * Counts the request against `quien`'s budget for its class, sets RateLimit-Policy / RateLimit, and throws the
 * 429 when the budget is spent. Called by the authentication middlewares once the key is known.
 */
export async function limitarTasa(c: Context<AppEnv>, quien: { keyId: string; plan: string }): Promise<void> {
  const clase = claseDe(c.req.method, rutaDe(c));
  const tarifa: Tarifa = Object.hasOwn(LIMITES, quien.plan) ? (quien.plan as Tarifa) : 'estandar';
  const politica = LIMITES[tarifa][clase];
  let consumo;
  try {
    const { rateLimiter, clock } = c.var.deps ?? depsDe(c.env);
    consumo = await rateLimiter.get(rateLimiter.idFromName(quien.keyId)).consumir(clase, politica, clock().getTime());
  } catch (err) {
    log.error('límite de uso no disponible; la solicitud sigue sin límite', { error: (err as Error).message, request_id: c.get('requestId') });
    cabeceras.set(c, {});
    return;
  }
  const puestas = {
    'RateLimit-Policy': `"${clase}";q=${politica.q};w=${politica.w}`,
    RateLimit: `"${clase}";r=${consumo.restantes};t=${consumo.espera}`,
  };
  cabeceras.set(c, puestas);
  for (const [k, v] of Object.entries(puestas)) c.header(k, v);
  if (!consumo.permitido) {
    throw new DomainError(
      'rate_limit_exceeded',
      'rate_limited',
      `Límite de uso excedido en ${clase}: ${politica.q} solicitudes cada ${politica.w} s. Reintenta en ${consumo.espera} s (Retry-After).`,
      [{ path: 'Authorization', message: `Se agotó la cuota de ${clase} ${tarifa === 'sin_api_key' ? 'de esta IP (sin API key)' : 'de esta API key'}.` }],
      { 'Retry-After': String(consumo.espera) },
    );
  }
}

const porIp = (c: Context<AppEnv>) => ({ keyId: `ip:${c.req.header('CF-Connecting-IP') ?? 'local'}`, plan: 'sin_api_key' });

/**
 * API-wide: a request without an API key is counted per client IP before anything runs; one the key middleware
 * did not count (a public route called with a key, a refused key) is counted per IP afterwards, and refused if
 * that IP is over its budget (nothing was written: public routes only read, a refused key does nothing). The
 * headers are put back on the final answer.
 */
export const limitesDeUso = createMiddleware<AppEnv>(async (c, next) => {
  if (EXENTAS.has(rutaDe(c))) return next();
  if (!c.req.header('Authorization')) await limitarTasa(c, porIp(c));
  await next();
  if (!cabeceras.has(c)) {
    try {
      await limitarTasa(c, porIp(c));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // a fresh answer: none of the refused one's headers (its caching ones above all) may ride on the 429
      const body = JSON.stringify(errorBody(c, err));
      c.res = undefined;
      c.res = new Response(body, { status: statusOf(err.kind), headers: { 'Content-Type': 'application/json', ...err.headers } });
    }
  }
  for (const [k, v] of Object.entries(cabeceras.get(c) ?? {})) c.header(k, v);
});
