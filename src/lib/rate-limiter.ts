import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';

// The counter behind src/lib/rate-limit.ts: one Durable Object per API key (or per client IP without a key),
// one token bucket per operation class inside it. A bucket holds up to `q` tokens and refills `q` every `w`
// seconds, continuously: a key may spend its whole budget in a burst, then goes at the sustained rate.
//
// State lives in memory only. An object is evicted after about a minute without requests, by which time every
// bucket (w ≤ 60 s) has refilled anyway; a deploy or a restart forgets the counts at most once. Writing storage
// on every request would cost more than what it protects. The policy comes from the caller (the published table
// of rate-limit.ts), and so does the time, so tests drive refills without waiting, as with src/pac/circuito.ts.

export interface Politica {
  /** Requests per window (the bucket's size). */
  q: number;
  /** The window in seconds: the time an empty bucket takes to refill. */
  w: number;
}

export interface Consumo {
  permitido: boolean;
  /** Whole requests left right now. */
  restantes: number;
  /** Seconds until the bucket is full again. */
  reinicio: number;
  /** Seconds until `costo` tokens are there again (0 when allowed). */
  reintentarEn: number;
}

interface Cubeta {
  fichas: number;
  en: number;
}

export class RateLimiter extends DurableObject<Env> {
  private readonly cubetas = new Map<string, Cubeta>();

  consumir(clase: string, { q, w }: Politica, ahora: number, costo = 1): Consumo {
    const porMs = q / (w * 1000);
    const previa = this.cubetas.get(clase);
    // callers' clocks differ a little (several isolates): time never runs backwards for a bucket
    const fichas = previa ? Math.min(q, previa.fichas + Math.max(0, ahora - previa.en) * porMs) : q;
    const permitido = fichas >= costo;
    const quedan = permitido ? fichas - costo : fichas;
    this.cubetas.set(clase, { fichas: quedan, en: previa ? Math.max(ahora, previa.en) : ahora });
    return {
      permitido,
      restantes: Math.floor(quedan),
      reinicio: Math.ceil((q - quedan) / porMs / 1000),
      reintentarEn: permitido ? 0 : Math.max(1, Math.ceil((costo - quedan) / porMs / 1000)),
    };
  }
}
