import { getDb, type Db } from './db/client';
import type { Env } from './env';
import { log, type Logger } from './lib/log';
import type { JobMessage } from './lib/queue';
import { pacsDe, type Pacs } from './pac';

// Everything services, jobs and the webhook fan-out use from the outside world, built in this one place
// from the Worker's bindings and handed down (unkey-style): nothing below reads `env` itself.

export interface Deps {
  /** Drizzle over the D1 binding, and the binding itself for multi-statement batches. */
  db: Db;
  d1: D1Database;
  queue: Queue<JobMessage>;
  bucket: R2Bucket;
  webhookEndpoints: DurableObjectNamespace;
  /** The per-key request counters of the published rate limits. */
  rateLimiter: Env['RATE_LIMITER'];
  /** The PACs of a mode and application, their breakers, and the SAT's status service. */
  pacs: Pacs;
  clock: () => Date;
  log: Logger;
  /** AES-GCM key (base64) for secrets at rest. */
  masterKey: string;
  allowLocalWebhooks: boolean;
  /** Email: the sender's address and one raw MIME message to one envelope recipient (src/lib/correo.ts says why raw). */
  correo: { remitente: string; enviar: (para: string, raw: string) => Promise<unknown> };
  /** Work that may finish after the answer (ctx.waitUntil in a request or a queue batch). */
  defer: (work: Promise<unknown>) => void;
}

type Contexto = Pick<ExecutionContext, 'waitUntil'>;

const porEnv = new WeakMap<Env, Omit<Deps, 'defer'>>();

/** The dependencies of one invocation; what depends only on `env` is built once per isolate. */
export function depsDe(env: Env, ctx?: Contexto, over: Partial<Deps> = {}): Deps {
  let base = porEnv.get(env);
  if (!base) {
    base = {
      db: getDb(env),
      d1: env.DB,
      queue: env.FACTURAS_QUEUE,
      bucket: env.CFDI_BUCKET,
      webhookEndpoints: env.WEBHOOK_ENDPOINT,
      rateLimiter: env.RATE_LIMITER,
      pacs: pacsDe(env, () => new Date()),
      clock: () => new Date(),
      log,
      masterKey: env.MASTER_KEY,
      allowLocalWebhooks: env.ALLOW_LOCAL_WEBHOOKS === 'true',
      correo: correoDe(env),
    };
    porEnv.set(env, base);
  }
  const defer = ctx ? (work: Promise<unknown>) => ctx.waitUntil(work) : (work: Promise<unknown>) => void work.catch(() => {});
  // a test's own clock reaches the PACs' and breakers' decisions too
  const pacs = over.clock && !over.pacs ? { pacs: pacsDe(env, over.clock) } : {};
  return { ...base, defer, ...pacs, ...over };
}

function correoDe(env: Env): Deps['correo'] {
  const remitente = env.CORREO_REMITENTE || 'facturas@hexafac.mx';
  return {
    remitente,
    // imported when a message is sent: Node scripts (npm start's local stack, keys) load this module, and Node has no cloudflare:email
    enviar: async (para, raw) => {
      const { EmailMessage } = await import('cloudflare:email');
      return env.CORREO.send(new EmailMessage(remitente, para, raw));
    },
  };
}
