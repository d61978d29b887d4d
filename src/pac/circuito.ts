import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { ESPERA_ABIERTO_MS, FALLOS_PARA_ABRIR } from './failover';

// One circuit breaker per PAC (live: per PAC for the whole deployment; test: per PAC and application, so
// one integrator's simulated outage never fails over another's). Closed: every request goes. After
// FALLOS_PARA_ABRIR failures in a row (timeouts, 5xx, refused connections; not rejections of the CFDI
// nor account states) it opens: nothing is sent for ESPERA_ABIERTO_MS, the next PAC in the list stamps.
// Then half-open: one request alone probes the PAC; its success closes the circuit, its failure opens it again.
//
// Why a Durable Object and not a D1 row: the decision must be one across every isolate (a single probe
// when half-open, not one per isolate), and it is consulted on every stamping. A Durable Object serialises
// those decisions in memory, next to the state; a D1 row would put a read on every stamping and a write on
// every failure into the one database every tenant writes to, at the very moment a PAC is failing.
// Time comes from the caller (the Worker's clock), so tests drive the breaker without waiting.

/** A probe that never reports (its isolate died) frees the half-open slot after this long. */
const SONDA_MAXIMA_MS = 60_000;

export type EstadoCircuito = 'cerrado' | 'abierto' | 'semiabierto';

export interface Permiso {
  permitido: boolean;
  /** Closed with no failure counted: a success needs no report. */
  limpio: boolean;
  estado: EstadoCircuito;
}

export interface Foto {
  estado: EstadoCircuito;
  fallos: number;
  abiertoDesde: number | null;
  ultimoFallo: string | null;
}

interface Estado {
  fallos: number;
  abiertoEn: number | null;
  sondaEn: number | null;
  ultimoFallo: string | null;
}

export class CircuitoPac extends DurableObject<Env> {
  private s: Estado = { fallos: 0, abiertoEn: null, sondaEn: null, ultimoFallo: null };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.s = (await ctx.storage.get<Estado>('estado')) ?? this.s;
    });
  }

  private estado(ahora: number): EstadoCircuito {
    if (this.s.abiertoEn === null) return 'cerrado';
    return ahora - this.s.abiertoEn < ESPERA_ABIERTO_MS ? 'abierto' : 'semiabierto';
  }

  async permitir(ahora: number): Promise<Permiso> {
    const estado = this.estado(ahora);
    if (estado === 'cerrado') return { permitido: true, limpio: this.s.fallos === 0, estado };
    if (estado === 'abierto') return { permitido: false, limpio: false, estado };
    // half-open: one probe at a time
    if (this.s.sondaEn !== null && ahora - this.s.sondaEn < SONDA_MAXIMA_MS) return { permitido: false, limpio: false, estado };
    this.s.sondaEn = ahora;
    await this.guardar();
    return { permitido: true, limpio: false, estado };
  }

  async registrar(ahora: number, exito: boolean, motivo?: string): Promise<void> {
    if (exito) {
      // any answer proves the PAC is serving again
      if (this.s.fallos === 0 && this.s.abiertoEn === null) return;
      this.s = { fallos: 0, abiertoEn: null, sondaEn: null, ultimoFallo: this.s.ultimoFallo };
    } else {
      this.s.fallos++;
      this.s.ultimoFallo = motivo ?? null;
      const estado = this.estado(ahora);
      // a failed probe reopens at once; a closed circuit opens at the threshold; failures of requests already
      // in flight while open do not extend the wait
      if (estado === 'semiabierto' || (estado === 'cerrado' && this.s.fallos >= FALLOS_PARA_ABRIR)) {
        this.s.abiertoEn = ahora;
        this.s.sondaEn = null;
      }
    }
    await this.guardar();
  }

  foto(ahora: number): Foto {
    return { estado: this.estado(ahora), fallos: this.s.fallos, abiertoDesde: this.s.abiertoEn, ultimoFallo: this.s.ultimoFallo };
  }

  private guardar(): Promise<void> {
    return this.ctx.storage.put('estado', this.s);
  }
}
