import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { API_BASE } from '../env';
import type { AppEnv } from './context';
import { DomainError, payloadTooLarge } from './errors';
import { uuidv7 } from './ids';

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Echo a sane X-Request-Id or mint one; every response and error body carries it. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header('X-Request-Id');
  const id = given && REQUEST_ID_RE.test(given) ? given : `req_${uuidv7()}`;
  c.set('requestId', id);
  c.header('X-Request-Id', id);
  await next();
  c.header('X-Request-Id', id);
});

export const MAX_BODY_BYTES = 1024 * 1024;
/** POST /lotes carries up to 500 comprobantes (a few KB each), POST /nominas up to 1,000 recibos: the routes with their own, larger limit. */
export const MAX_LOTE_BODY_BYTES = 8 * MAX_BODY_BYTES;
const RUTAS_DE_LOTE = new Set([`${API_BASE}/lotes`, `${API_BASE}/nominas`]);
const limiteDe = (c: Context<AppEnv>) => (c.req.method === 'POST' && RUTAS_DE_LOTE.has(c.req.path.replace(/\/$/, '')) ? MAX_LOTE_BODY_BYTES : MAX_BODY_BYTES);
/**
 * How much of a streamed body over the limit is still read (and dropped) before the 413. Answering while the
 * client is still sending leaves the connection mid-request: under `wrangler dev` its proxy then loses the
 * connection to the Worker and answers the next request 503 "worker restarted mid-request", and a client may
 * get a reset instead of the 413. Past this much the sender is abusive and the stream is cancelled.
 */
export const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

/**
 * Bodies over MAX_BODY_BYTES (MAX_LOTE_BODY_BYTES for POST /lotes and /nominas) are a 413: by a declared Content-Length before anything is read, or while reading
 * a streamed (chunked) one, which is then drained (up to MAX_DRAIN_BYTES) so the request ends where it should.
 */
export const limitBody = createMiddleware<AppEnv>(async (c, next) => {
  const body = c.req.raw.body;
  if (!body) return next();
  const max = limiteDe(c);
  const declared = c.req.header('Content-Length');
  if (declared !== undefined && !c.req.header('Transfer-Encoding')) {
    if (Number(declared) > max) throw payloadTooLarge(max);
    return next();
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      while (size <= MAX_DRAIN_BYTES) {
        const rest = await reader.read();
        if (rest.done) throw payloadTooLarge(max);
        size += rest.value.byteLength;
      }
      await reader.cancel();
      throw payloadTooLarge(max);
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  c.req.raw = new Request(c.req.raw, { body: whole });
  await next();
});

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const XML_TYPE = /^(application|text)\/([\w.+-]+\+)?xml\s*(;|$)/i;

/** The routes that also take a CFDI as the XML body itself (paths below API_BASE). */
export const XML_BODY_PATHS = new Set(['/cfdi/verificar']);

const MULTIPART_TYPE = /^multipart\/form-data\s*;/i;

/** The routes that take files: also as multipart/form-data (paths below API_BASE). */
export const MULTIPART_BODY_PATHS = [/^\/plataforma\/aplicaciones\/[^/]+\/csd$/, /^\/plataforma\/aplicaciones\/[^/]+\/marca\/logo$/];

/**
 * Request bodies of the API are JSON (or XML where XML_BODY_PATHS says, multipart where MULTIPART_BODY_PATHS says);
 * anything else is refused before it is read.
 */
export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const type = c.req.header('Content-Type') ?? '';
    const hasBody = c.req.header('Content-Type') !== undefined || (c.req.header('Content-Length') ?? '0') !== '0';
    const path = c.req.path.slice(API_BASE.length).replace(/\/$/, '');
    const xml = XML_BODY_PATHS.has(path);
    const multipart = MULTIPART_BODY_PATHS.some((re) => re.test(path));
    if (hasBody && !JSON_TYPE.test(type) && !(xml && XML_TYPE.test(type)) && !(multipart && MULTIPART_TYPE.test(type))) {
      const aceptados = xml ? 'application/json, application/xml o text/xml' : multipart ? 'application/json o multipart/form-data' : 'application/json';
      throw new DomainError('unsupported_media_type', 'unsupported_media_type', `El cuerpo debe enviarse como ${aceptados}.`);
    }
  }
  await next();
});
