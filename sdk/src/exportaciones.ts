import type { Transport } from './client.js';
import type { CreateOptions, WaitOptions } from './resources.js';
import type { BodyOf, ResponseOf } from './types.js';

/** {formato: 'zip' | 'csv', desde, hasta (AAAA-MM-DD, at most a year apart), tipo?, status?}. */
export type ExportacionNueva = BodyOf<'/exportaciones', 'post'>;
/** An export: pendiente → procesando → lista (links.descarga) | error. */
export type Exportacion = ResponseOf<'/exportaciones/{id}', 'get'>;

const seg = encodeURIComponent;
const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export class Exportaciones {
  constructor(private readonly t: Transport) {}

  /** Starts an export of a period's comprobantes: 202, `pendiente`; `exportacion.lista` arrives when its file is ready. */
  create(body: ExportacionNueva, options: Omit<CreateOptions, 'simular'> = {}): Promise<Exportacion> {
    return this.t.create('/exportaciones', body, options);
  }

  retrieve(id: string): Promise<Exportacion> {
    return this.t.json({ method: 'GET', path: `/exportaciones/${seg(id)}` });
  }

  /** Polls until the export is `lista` (or throws when it ends in `error` or the time runs out). */
  async waitUntilReady(id: string, { timeoutMs = 600_000, intervalMs = 2_000 }: WaitOptions = {}): Promise<Exportacion> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.retrieve(id);
      if (e.status === 'lista') return e;
      if (e.status === 'error') throw new Error(`HexaFac: la exportación ${id} terminó en error: ${e.error ?? ''}`);
      if (Date.now() > end) throw new Error(`HexaFac: la exportación ${id} sigue ${e.status}.`);
      await sleep(intervalMs);
    }
  }

  /** The finished ZIP or CSV, as a stream (a 50,000-comprobante ZIP is large: write it to disk as it arrives). */
  async download(id: string): Promise<ReadableStream<Uint8Array>> {
    const res = await this.t.send({ method: 'GET', path: `/exportaciones/${seg(id)}/archivo` }, 'application/zip, text/csv');
    return res.body!;
  }
}
