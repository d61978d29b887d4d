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
  /** Whole requests left right now (the draft's `r`). */
  restantes: number;
  /**
   * Seconds until one more request is available (the draft's `t`: until then no more than `restantes` can be
   * used), and so the Retry-After of a refusal: a bucket refills continuously, not all at once.
   */
  espera: number;
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
    const en = previa ? Math.max(ahora, previa.en) : ahora;
    const fichas = previa ? Math.min(q, previa.fichas + (en - previa.en) * porMs) : q;
    const permitido = fichas >= costo;
    const quedan = permitido ? fichas - costo : fichas;
    this.cubetas.set(clase, { fichas: quedan, en });
    const restantes = Math.floor(quedan);
    return { permitido, restantes, espera: Math.max(1, Math.ceil((restantes + 1 - quedan) / porMs / 1000)) };
  }
}
