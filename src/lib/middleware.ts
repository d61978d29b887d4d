import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
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

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw payloadTooLarge();
  },
});

/** Request bodies of the API are JSON; anything else is refused before it is read. */
export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const type = c.req.header('Content-Type');
    const hasBody = type !== undefined || (c.req.header('Content-Length') ?? '0') !== '0';
    if (hasBody && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type ?? '')) {
      throw new DomainError('unsupported_media_type', 'unsupported_media_type', 'El cuerpo debe enviarse como application/json.');
    }
  }
  await next();
});
