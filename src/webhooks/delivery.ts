import { DurableObject } from 'cloudflare:workers';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import { drizzle, type DrizzleSqliteDODatabase } from 'drizzle-orm/durable-sqlite';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { depsDe } from '../deps';
import type { Env } from '../env';
import { decryptSecretText } from '../lib/crypto';
import { uuidv7 } from '../lib/ids';
import { cursorCondition, toPage } from '../lib/pagination';
import { cargarConfig, type ConfigWebhook, type Dueno } from './dueno';
import { encabezadosFirmados } from './signature';
import { motivoRechazoUrl } from './url-policy';

// One Durable Object per webhook configuration (idFromName(configId)). Its own SQLite storage holds the queue
// and the delivery log: an event is stored before the caller is acknowledged, delivered one at a time in event
// order, and the head of the queue blocks the rest until it succeeds or is given up (`fallida`), so a receiver
// never sees events out of order. Retries wait on the object's alarm, so one failing endpoint never slows another.

export const TIMEOUT_MS = 10_000;
export const MAX_RESPUESTA_BYTES = 1024;
const DIA_MS = 86_400_000;
/** Waits after the 1st, 2nd… failed attempt: 30 s, 2 min, 10 min, 1 h, 6 h, then daily; the last closes 3 days. */
const ESPERAS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000, DIA_MS, DIA_MS];
export const REINTENTOS_MS = [...ESPERAS_MS, 3 * DIA_MS - ESPERAS_MS.reduce((a, b) => a + b, 0)];
/** Finished deliveries stay in the log this long. */
const RETENCION_MS = 30 * DIA_MS;

/** Wait before the next attempt after `fallidos` failed ones (±10 % jitter so endpoints do not retry in lockstep), or null when spent. */
export function deliveryRetryDelay(fallidos: number, azar = Math.random()): number | null {
  const base = REINTENTOS_MS[fallidos - 1];
  return base === undefined ? null : Math.round(base * (0.9 + 0.2 * azar));
}

export const ESTADOS_ENTREGA = ['pendiente', 'entregada', 'fallida', 'descartada'] as const;
export const ORIGENES_ENTREGA = ['evento', 'reenvio', 'prueba'] as const;

export const entregas = sqliteTable('entregas', {
  id: text('id').primaryKey(),
  // Queue position: the event's own (time-ordered) id, or the entrega's id for resends and tests.
  orden: text('orden').notNull(),
  origen: text('origen', { enum: ORIGENES_ENTREGA }).notNull(),
  evento_id: text('evento_id').notNull(),
  type: text('type').notNull(),
  body: text('body').notNull(),
  status: text('status', { enum: ESTADOS_ENTREGA }).notNull(),
  num_intentos: integer('num_intentos').notNull(),
  proximo_intento_at: text('proximo_intento_at'),
  created_at: text('created_at').notNull(),
  finalizada_at: text('finalizada_at'),
});

export const intentos = sqliteTable('intentos', {
  entrega_id: text('entrega_id').notNull(),
  numero: integer('numero').notNull(),
  at: text('at').notNull(),
  status_code: integer('status_code'),
  latencia_ms: integer('latencia_ms').notNull(),
  respuesta: text('respuesta'),
  error: text('error'),
});

const DDL = [
  `CREATE TABLE IF NOT EXISTS entregas (id TEXT PRIMARY KEY, orden TEXT NOT NULL, origen TEXT NOT NULL, evento_id TEXT NOT NULL,
    type TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, num_intentos INTEGER NOT NULL, proximo_intento_at TEXT,
    created_at TEXT NOT NULL, finalizada_at TEXT)`,
  // The dedupe that makes dispatching an event twice harmless; resends and tests may repeat an event id.
  `CREATE UNIQUE INDEX IF NOT EXISTS entregas_evento_uq ON entregas (evento_id) WHERE origen = 'evento'`,
  `CREATE INDEX IF NOT EXISTS entregas_cola_idx ON entregas (status, orden, id)`,
  `CREATE TABLE IF NOT EXISTS intentos (entrega_id TEXT NOT NULL, numero INTEGER NOT NULL, at TEXT NOT NULL, status_code INTEGER,
    latencia_ms INTEGER NOT NULL, respuesta TEXT, error TEXT, PRIMARY KEY (entrega_id, numero))`,
];

export interface IntentoView {
  numero: number;
  at: string;
  status_code: number | null;
  latencia_ms: number;
  respuesta: string | null;
  error: string | null;
}

export interface EntregaView {
  id: string;
  evento_id: string;
  type: string;
  origen: (typeof ORIGENES_ENTREGA)[number];
  status: (typeof ESTADOS_ENTREGA)[number];
  created_at: string;
  proximo_intento_at: string | null;
  finalizada_at: string | null;
  intentos: IntentoView[];
}

/** What an endpoint is asked to deliver: `body` is the exact JSON sent, `evento_id` the webhook-id. */
export interface Mensaje {
  evento_id: string;
  type: string;
  body: string;
  origen?: 'evento' | 'prueba';
}

/**
 * Which configuration this object serves, and whose it is; stored with the first message, read back by alarms.
 * Objects from before platforms hold `{applicationId, mode, configId}`: an application's, as they still read.
 */
export type Destino = Dueno & { configId: string };

export type ResultadoReenvio = { entrega: EntregaView } | { error: 'no_existe' | 'pendiente' };

export function endpointStub(namespace: DurableObjectNamespace, configId: string): DurableObjectStub<WebhookEndpoint> {
  const ns = namespace as unknown as DurableObjectNamespace<WebhookEndpoint>;
  return ns.get(ns.idFromName(configId));
}

async function primerKiB(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const partes: Uint8Array[] = [];
  let total = 0;
  while (total < MAX_RESPUESTA_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    partes.push(value);
    total += value.length;
  }
  await reader.cancel().catch(() => {});
  const bytes = new Uint8Array(Math.min(total, MAX_RESPUESTA_BYTES));
  let o = 0;
  for (const p of partes) {
    const trozo = p.subarray(0, bytes.length - o);
    bytes.set(trozo, o);
    o += trozo.length;
  }
  return new TextDecoder().decode(bytes);
}

export class WebhookEndpoint extends DurableObject<Env> {
  private readonly db: DrizzleSqliteDODatabase;
  /** The running delivery loop, so an alarm and an RPC never deliver concurrently. */
  private enCurso: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    for (const ddl of DDL) ctx.storage.sql.exec(ddl);
    this.db = drizzle(ctx.storage);
  }

  /** Stores the message (once per event id) and wakes the queue; resolves only after it is durable. */
  async encolar(destino: Destino, mensaje: Mensaje): Promise<EntregaView> {
    await this.ctx.storage.put('destino', destino);
    const id = uuidv7();
    const origen = mensaje.origen ?? 'evento';
    this.db
      .insert(entregas)
      .values({
        id,
        orden: origen === 'evento' ? mensaje.evento_id : id,
        origen,
        evento_id: mensaje.evento_id,
        type: mensaje.type,
        body: mensaje.body,
        status: 'pendiente',
        num_intentos: 0,
        proximo_intento_at: new Date().toISOString(),
        created_at: new Date().toISOString(),
      })
      .onConflictDoNothing()
      .run();
    const fila =
      origen === 'evento'
        ? this.db.select().from(entregas).where(and(eq(entregas.evento_id, mensaje.evento_id), eq(entregas.origen, 'evento'))).get()!
        : this.db.select().from(entregas).where(eq(entregas.id, id)).get()!;
    await this.despertar();
    return this.vista(fila);
  }

  /** Queues the same body and webhook-id again, behind whatever is waiting. */
  async reenviar(entregaId: string): Promise<ResultadoReenvio> {
    const original = this.db.select().from(entregas).where(eq(entregas.id, entregaId)).get();
    if (!original) return { error: 'no_existe' };
    if (original.status === 'pendiente') return { error: 'pendiente' };
    const id = uuidv7();
    const ahora = new Date().toISOString();
    this.db
      .insert(entregas)
      .values({
        ...original,
        id,
        orden: id,
        origen: 'reenvio',
        status: 'pendiente',
        num_intentos: 0,
        proximo_intento_at: ahora,
        created_at: ahora,
        finalizada_at: null,
      })
      .run();
    await this.despertar();
    return { entrega: this.vista(this.db.select().from(entregas).where(eq(entregas.id, id)).get()!) };
  }

  /** The delivery log, newest first, with every attempt. */
  listar(opciones: { limit: number; cursor?: string }): { data: EntregaView[]; next_cursor: string | null } {
    const filas = this.db
      .select()
      .from(entregas)
      .where(cursorCondition(entregas.id, opciones.cursor))
      .orderBy(desc(entregas.id))
      .limit(opciones.limit + 1)
      .all();
    return toPage(filas, opciones.limit, (f) => this.vista(f));
  }

  /** The configuration was deleted: nothing waiting will be sent. */
  async descartar(): Promise<void> {
    this.db
      .update(entregas)
      .set({ status: 'descartada', proximo_intento_at: null, finalizada_at: new Date().toISOString() })
      .where(eq(entregas.status, 'pendiente'))
      .run();
    await this.ctx.storage.deleteAlarm();
  }

  /** The configuration was re-enabled: deliver what waited meanwhile. */
  async reanudar(): Promise<void> {
    await this.despertar();
  }

  /** An alarm means the head's wait is over (or new work arrived): attempt it now. */
  override async alarm(): Promise<void> {
    if (this.enCurso) return this.enCurso;
    return this.correr(true);
  }

  private async despertar(): Promise<void> {
    // A running loop picks new work up itself; otherwise keep an already-set alarm (the head is waiting out a backoff).
    if (this.enCurso) return;
    if (!this.cabeza()) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  private cabeza() {
    return this.db.select().from(entregas).where(eq(entregas.status, 'pendiente')).orderBy(asc(entregas.orden), asc(entregas.id)).limit(1).get();
  }

  private correr(forzar: boolean): Promise<void> {
    this.enCurso = this.entregarCola(forzar).finally(() => {
      this.enCurso = null;
    });
    return this.enCurso;
  }

  private async entregarCola(forzar: boolean): Promise<void> {
    const destino = await this.ctx.storage.get<Destino>('destino');
    for (let primera = true; ; primera = false) {
      const fila = this.cabeza();
      if (!fila || !destino) break;
      const espera = fila.proximo_intento_at ? Date.parse(fila.proximo_intento_at) : Date.now();
      if (!(forzar && primera) && espera > Date.now()) {
        await this.ctx.storage.setAlarm(espera);
        break;
      }
      // Re-read the configuration before every attempt: a disabled one pauses, a deleted one drops its queue.
      const config = await cargarConfig(depsDe(this.env), destino, destino.configId);
      if (!config || config.deleted_at) {
        await this.descartar();
        break;
      }
      if (!config.active) break;
      // A failed head stays first with a later proximo_intento_at: the next turn sets the alarm for it.
      await this.intentar(config, fila);
    }
    this.podar();
  }

  /** One attempt at the head, recorded in the log; a failure schedules the next one or gives up (`fallida`). */
  private async intentar(config: ConfigWebhook, fila: typeof entregas.$inferSelect): Promise<void> {
    const inicio = Date.now();
    let status: number | null = null;
    let respuesta: string | null = null;
    let error: string | null = motivoRechazoUrl(config.url, config.mode, depsDe(this.env).allowLocalWebhooks);
    if (!error) {
      try {
        const res = await fetch(config.url, {
          method: 'POST',
          headers: await encabezadosFirmados(await this.secretos(config), fila.evento_id, fila.body),
          body: fila.body,
          // A redirect could lead inside; it counts as a failure like any non-2xx.
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = res.status;
        respuesta = await primerKiB(res);
        if (status < 200 || status > 299) error = `El endpoint respondió HTTP ${status}.`;
      } catch (e) {
        const err = e as Error;
        error =
          err.name === 'TimeoutError' || err.name === 'AbortError'
            ? `Sin respuesta en ${TIMEOUT_MS / 1000} s.`
            : `No se pudo conectar: ${err.message}`.slice(0, 500);
      }
    }
    const numero = fila.num_intentos + 1;
    const ahora = new Date();
    const siguiente = error ? deliveryRetryDelay(numero) : null;
    const status_entrega = !error ? 'entregada' : siguiente === null ? 'fallida' : 'pendiente';
    this.ctx.storage.transactionSync(() => {
      this.db
        .insert(intentos)
        .values({ entrega_id: fila.id, numero, at: ahora.toISOString(), status_code: status, latencia_ms: Date.now() - inicio, respuesta, error })
        .run();
      this.db
        .update(entregas)
        .set({
          num_intentos: numero,
          status: status_entrega,
          proximo_intento_at: siguiente === null ? null : new Date(ahora.getTime() + siguiente).toISOString(),
          finalizada_at: status_entrega === 'pendiente' ? null : ahora.toISOString(),
        })
        .where(eq(entregas.id, fila.id))
        .run();
    });
  }

  /** The current secret, plus the previous one while its 24 h of grace after a rotation last. */
  private async secretos(config: ConfigWebhook): Promise<string[]> {
    const actual = await decryptSecretText(depsDe(this.env).masterKey, config.secret_cifrado);
    const vigente = config.secret_anterior_cifrado && config.secret_anterior_expira && config.secret_anterior_expira > new Date().toISOString();
    return vigente ? [actual, await decryptSecretText(depsDe(this.env).masterKey, config.secret_anterior_cifrado!)] : [actual];
  }

  private podar(): void {
    const limite = new Date(Date.now() - RETENCION_MS).toISOString();
    this.ctx.storage.transactionSync(() => {
      this.db.run(sql`DELETE FROM intentos WHERE entrega_id IN (SELECT id FROM entregas WHERE finalizada_at < ${limite})`);
      this.db.delete(entregas).where(lt(entregas.finalizada_at, limite)).run();
    });
  }

  private vista(f: typeof entregas.$inferSelect): EntregaView {
    const log = this.db.select().from(intentos).where(eq(intentos.entrega_id, f.id)).orderBy(asc(intentos.numero)).all();
    return {
      id: f.id,
      evento_id: f.evento_id,
      type: f.type,
      origen: f.origen,
      status: f.status,
      created_at: f.created_at,
      proximo_intento_at: f.proximo_intento_at,
      finalizada_at: f.finalizada_at,
      intentos: log.map(({ entrega_id: _, ...i }) => i),
    };
  }
}
