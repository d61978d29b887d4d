import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { API_BASE } from '../../src/env';
import { MAX_BODY_BYTES, MAX_DRAIN_BYTES } from '../../src/lib/middleware';
import { createTenant, expectError, json } from '../helpers';

// A streamed (chunked) body has no Content-Length to refuse up front; over the limit it is read to its end
// before the 413 (src/lib/middleware.ts says why), and past MAX_DRAIN_BYTES cancelled.

const TROZO = 64 * 1024;

/** A body of `total` bytes in 64 KiB chunks that records how much of it was pulled and whether it was cancelled. */
function cuerpo(total: number, contenido = (desde: number, n: number) => new Uint8Array(n).fill(0x61 + (desde % 26))) {
  const estado = { leidos: 0, cancelado: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(ctl) {
      if (estado.leidos >= total) return ctl.close();
      const n = Math.min(TROZO, total - estado.leidos);
      ctl.enqueue(contenido(estado.leidos, n));
      estado.leidos += n;
    },
    cancel() {
      estado.cancelado = true;
    },
  });
  return { stream, estado };
}

const enviar = (ruta: string, body: ReadableStream, headers: Record<string, string> = {}) =>
  exports.default.fetch(
    new Request(`http://hexafac.test${API_BASE}${ruta}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body }),
  );

describe('body limit on streamed bodies', () => {
  it('413 for a streamed body over 1 MiB, read to its end so the request ends where it should', async () => {
    const total = 2 * MAX_BODY_BYTES;
    const { stream, estado } = cuerpo(total);
    await expectError(await enviar('/facturas', stream), 413, 'payload_too_large');
    expect(estado).toEqual({ leidos: total, cancelado: false });
  });

  it('past MAX_DRAIN_BYTES the stream is cancelled, not read on', async () => {
    const { stream, estado } = cuerpo(MAX_DRAIN_BYTES + 8 * MAX_BODY_BYTES);
    await expectError(await enviar('/facturas', stream), 413, 'payload_too_large');
    expect(estado.cancelado).toBe(true);
    expect(estado.leidos).toBeLessThan(MAX_DRAIN_BYTES + 2 * MAX_BODY_BYTES);
  });

  it('a streamed body under the limit reaches the route whole', async () => {
    const { token } = await createTenant();
    const json0 = new TextEncoder().encode(
      `{"rfc":"XOJI740919U48","nombre":"Ingrid Xodar Jimenez","domicilio_fiscal":"88965","regimen_fiscal":"612"${' '.repeat(MAX_BODY_BYTES - 200)}}`,
    );
    const { stream, estado } = cuerpo(json0.byteLength, (desde, n) => json0.slice(desde, desde + n));
    const res = await enviar('/clientes', stream, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ rfc: 'XOJI740919U48', nombre: 'INGRID XODAR JIMENEZ' });
    expect(estado.leidos).toBe(json0.byteLength);
  });
});
