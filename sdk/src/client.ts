import { randomUUID } from './crypto.js';
import { errorFromResponse, HexaFacError } from './errors.js';

export interface HexaFacOptions {
  /** The API's root, e.g. `http://127.0.0.1:8787/api/hexafac/v1`; an origin alone gets `/api/hexafac/v1` added. */
  baseUrl: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Retries after the first attempt on 429, 5xx and network errors (default 2). */
  maxRetries?: number;
  /** Time limit of each attempt in ms (default 30 000). */
  timeoutMs?: number;
  /** How to wait before a retry (default a timer): Retry-After's delay, else the backoff's. */
  sleep?: (ms: number) => Promise<void>;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** Sent as is instead of JSON `body` (a file's exact bytes). */
  raw?: { contentType: string; bytes: Uint8Array };
  /** A POST that changes nothing (a check): retried like a GET. */
  safeToRepeat?: boolean;
  /** For creates: sent on every attempt, so a retried create never makes two. */
  idempotencyKey?: string;
  /** Test keys only: the sandbox's failure triggers (X-HexaFac-Simular), e.g. `timeout-tras-timbrar`. */
  simular?: string;
}

const API_PATH = '/api/hexafac/v1';
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;

function normalizeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = API_PATH;
  return url.toString().replace(/\/+$/, '');
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function retryAfterMs(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (!v) return undefined;
  const ms = /^\d+$/.test(v.trim()) ? Number(v) * 1000 : Date.parse(v) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** Exponential backoff with full jitter: a random wait in [d/2, d), d = base · 2^attempt, capped. */
function backoffMs(attempt: number): number {
  const d = Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
  return d / 2 + Math.random() * (d / 2);
}

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** fetch's own message ("fetch failed") plus every cause under it (AggregateError's too): `ECONNREFUSED 127.0.0.1:1`. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const walk = (e: unknown) => {
    if (e === undefined || e === null || seen.has(e)) return;
    seen.add(e);
    const message = e instanceof Error ? e.message : String(e);
    if (message && !parts.includes(message)) parts.push(message);
    if (e instanceof AggregateError) e.errors.forEach(walk);
    if (e instanceof Error) walk(e.cause);
  };
  walk(error);
  return parts.join(': ');
}

export class Transport {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly apiKey: string,
    options: HexaFacOptions,
  ) {
    if (!apiKey) throw new TypeError('HexaFac: falta la API key.');
    if (!options?.baseUrl) throw new TypeError('HexaFac: falta options.baseUrl.');
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    const f = options.fetch ?? globalThis.fetch;
    if (!f) throw new TypeError('HexaFac: no hay fetch global; pasa options.fetch.');
    this.fetchImpl = f.bind(globalThis);
    this.maxRetries = options.maxRetries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sleep = options.sleep ?? sleep;
  }

  url(path: string, query?: Query): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** One call with retries; resolves with the successful Response, or throws HexaFacError. */
  async send(opts: RequestOptions, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}`, Accept: accept };
    if (opts.raw) headers['Content-Type'] = opts.raw.contentType;
    else if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    if (opts.simular) headers['X-HexaFac-Simular'] = opts.simular;
    // A POST without an Idempotency-Key might have been carried out before the connection failed: only a 429
    // (refused before any work) is retried then.
    const safeToRepeat = opts.method !== 'POST' || !!opts.idempotencyKey || !!opts.safeToRepeat;
    // BodyInit's type wants an ArrayBuffer-backed view; every Uint8Array a caller has (Buffer too) is sent as is
    const body = opts.raw ? (opts.raw.bytes as Uint8Array<ArrayBuffer>) : opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const url = this.url(opts.path, opts.query);

    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.maxRetries;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.timeoutMs);
      let res: Response;
      try {
        res = await this.fetchImpl(url, { method: opts.method, headers, body, signal: controller.signal });
      } catch (cause) {
        clearTimeout(timer);
        const timedOut = controller.signal.aborted;
        if (!last && safeToRepeat) {
          await this.sleep(backoffMs(attempt));
          continue;
        }
        throw new HexaFacError({
          status: 0,
          code: timedOut ? 'timeout' : 'connection_error',
          message: timedOut ? `Sin respuesta en ${this.timeoutMs} ms: ${opts.method} ${url}` : `No se pudo conectar con ${url}: ${describeCause(cause)}`,
          cause,
        });
      }
      clearTimeout(timer);
      if (res.ok) return res;
      const retryable = res.status === 429 || (res.status >= 500 && safeToRepeat);
      if (!last && retryable) {
        const wait = retryAfterMs(res) ?? backoffMs(attempt);
        await res.body?.cancel().catch(() => undefined);
        await this.sleep(wait);
        continue;
      }
      throw await errorFromResponse(res);
    }
  }

  async json<T>(opts: RequestOptions): Promise<T> {
    const res = await this.send(opts);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** A create: the caller's Idempotency-Key, or a fresh UUID kept for every retry. */
  async create<T>(path: string, body: unknown, options: { idempotencyKey?: string; simular?: string } = {}): Promise<T> {
    const { idempotencyKey, simular } = options;
    return this.json<T>({ method: 'POST', path, body, idempotencyKey: idempotencyKey ?? (await randomUUID()), ...(simular ? { simular } : {}) });
  }
}
