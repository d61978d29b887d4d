import { getDb, type Db } from './db/client';
import type { Env } from './env';
import { log, type Logger } from './lib/log';
import type { Mode } from './lib/mode';
import type { JobMessage } from './lib/queue';
import { pacPara } from './pac';
import type { PacAdapter } from './pac/types';

// Everything services, jobs and the webhook fan-out use from the outside world, built in this one place
// from the Worker's bindings and handed down (unkey-style): nothing below reads `env` itself.

export interface Deps {
  /** Drizzle over the D1 binding, and the binding itself for multi-statement batches. */
  db: Db;
  d1: D1Database;
  queue: Queue<JobMessage>;
  bucket: R2Bucket;
  webhookEndpoints: DurableObjectNamespace;
  /** The PAC of a mode (null: none configured for live). */
  pac: (mode: Mode) => PacAdapter | null;
  clock: () => Date;
  log: Logger;
  /** AES-GCM key (base64) for secrets at rest. */
  masterKey: string;
  allowLocalWebhooks: boolean;
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
      pac: (mode) => pacPara(env, mode),
      clock: () => new Date(),
      log,
      masterKey: env.MASTER_KEY,
      allowLocalWebhooks: env.ALLOW_LOCAL_WEBHOOKS === 'true',
    };
    porEnv.set(env, base);
  }
  const defer = ctx ? (work: Promise<unknown>) => ctx.waitUntil(work) : (work: Promise<unknown>) => void work.catch(() => {});
  return { ...base, defer, ...over };
}
