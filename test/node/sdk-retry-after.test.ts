import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HexaFac, HexaFacError } from '../../sdk/src/index';

// The SDK against a local HTTP server that answers the API's 429 (src/lib/rate-limit.ts) and then succeeds:
// it retries the same request, with the same Idempotency-Key, after what Retry-After says. Its waits go through an
// injected sleep that records them, so the assertions are on the delays asked for, not on the clock.

interface Respuesta {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const limite = (retryAfter?: string): Respuesta => ({
  status: 429,
  headers: { 'RateLimit-Policy': '"escrituras";q=1000;w=60', RateLimit: '"escrituras";r=0;t=2', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) },
  body: {
    error: {
      code: 'rate_limit_exceeded',
      message: 'Límite de uso excedido en escrituras: 1000 solicitudes cada 60 s. Reintenta en 2 s (Retry-After).',
      details: [{ path: 'Authorization', message: 'Se agotó la cuota de escrituras de esta API key.', code: 'rate_limit_exceeded' }],
      request_id: 'req_limite',
    },
  },
});
const aceptada: Respuesta = { status: 202, body: { id: '019ab1c2-0000-7000-8000-000000000001', status: 'pendiente', advertencias: [], links: { self: '/facturas/x' } } };

let server: Server;
let baseUrl: string;
let guion: Respuesta[] = [];
let recibidas: IncomingHttpHeaders[] = [];
let esperas: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      recibidas.push(req.headers);
      const r = guion.shift() ?? { status: 500, body: { error: { code: 'sin_guion', message: '', details: [], request_id: 'r' } } };
      res.writeHead(r.status, { 'Content-Type': 'application/json', ...r.headers });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
beforeEach(() => {
  guion = [];
  recibidas = [];
  esperas = [];
});

const cliente = (maxRetries = 2) =>
  new HexaFac('hfx_test_' + 'a'.repeat(43), { baseUrl, maxRetries, sleep: async (ms) => void esperas.push(ms) });
const crear = (hf: HexaFac) => hf.facturas.create({} as never);

describe('SDK: Retry-After de un 429', () => {
  it('en segundos: reintenta una vez, con la misma Idempotency-Key, tras esperar lo que dice', async () => {
    guion = [limite('2'), aceptada];
    const r = await crear(cliente());
    expect(r.id).toBe('019ab1c2-0000-7000-8000-000000000001');
    expect(recibidas).toHaveLength(2);
    expect(recibidas[0]!['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(recibidas[1]!['idempotency-key']).toBe(recibidas[0]!['idempotency-key']);
    expect(esperas).toEqual([2000]);
  });

  it('como fecha HTTP: espera hasta esa fecha', async () => {
    // HTTP dates have whole seconds: 5 s ahead, cut to the second, is between 4 and 5 s from now
    const fecha = new Date(Date.now() + 5000).toUTCString();
    guion = [limite(fecha), aceptada];
    await crear(cliente());
    expect(recibidas).toHaveLength(2);
    expect(esperas).toHaveLength(1);
    expect(esperas[0]).toBeGreaterThan(3000);
    expect(esperas[0]).toBeLessThanOrEqual(5000);
  });

  it('sin Retry-After: espera el backoff exponencial (con jitter) de cada intento', async () => {
    guion = [limite(), limite(), aceptada];
    await crear(cliente());
    expect(recibidas).toHaveLength(3);
    expect(esperas).toHaveLength(2);
    // attempt n waits in [d/2, d), d = 500 ms · 2^n
    expect(esperas[0]).toBeGreaterThanOrEqual(250);
    expect(esperas[0]).toBeLessThan(500);
    expect(esperas[1]).toBeGreaterThanOrEqual(500);
    expect(esperas[1]).toBeLessThan(1000);
  });

  it('agotados los reintentos, lanza el 429 de la API como HexaFacError', async () => {
    guion = [limite('1'), limite('1')];
    const err = await crear(cliente(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HexaFacError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', requestId: 'req_limite' });
    expect(esperas).toEqual([1000]);
  });
});
