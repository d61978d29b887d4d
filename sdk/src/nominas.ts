import type { Query, Transport } from './client.js';
import { HexaFacError } from './errors.js';
import { List } from './pagination.js';
import type { CreateOptions, WaitOptions } from './resources.js';
import type { Nomina, NominaNueva, NominaResumen, PaginationParams } from './types.js';

const seg = encodeURIComponent;
const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** A whole payroll of one period in one request; each recibo is stamped on its own, as `recibosNomina.create` does. */
export class Nominas {
  constructor(private readonly t: Transport) {}

  /**
   * Up to 1,000 recibos of one `periodo` (and the patrón's `emisor` data they share): 202 with each recibo's id or the
   * errors `POST /recibos-nomina` would give it (paths `recibos[i].…`); a bad recibo never sinks the others.
   * `options.idempotencyKey` (default: a new UUID kept for every retry) replays the whole answer and never issues a
   * recibo twice. `nomina.completada` arrives when none is pendiente.
   */
  create(body: NominaNueva, options: CreateOptions = {}): Promise<Nomina> {
    return this.t.create('/nominas', body, options);
  }

  retrieve(id: string): Promise<Nomina> {
    return this.t.json({ method: 'GET', path: `/nominas/${seg(id)}` });
  }

  /** Newest first, without their recibos. */
  list(params: PaginationParams = {}): List<NominaResumen> {
    return new List(this.t, '/nominas', params as Query);
  }

  /**
   * Polls until no recibo of the payroll is pendiente (`completado_at` set) and returns it: its counts per status, and
   * in `no_timbrados` the ones the PAC refused or could not stamp. Throws HexaFacError `timeout` when time runs out.
   */
  async waitUntilCompleted(id: string, { timeoutMs = 600_000, intervalMs = 2_000 }: WaitOptions = {}): Promise<Nomina & { completado_at: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = await this.retrieve(id);
      if (n.completado_at !== null) return { ...n, completado_at: n.completado_at };
      if (Date.now() + intervalMs > deadline) {
        throw new HexaFacError({ status: 0, code: 'timeout', message: `La nómina ${id} tiene ${n.por_status.pendiente} recibos pendientes después de ${timeoutMs} ms.` });
      }
      await sleep(intervalMs);
    }
  }
}
