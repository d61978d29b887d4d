import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { eventos, facturas } from '../../src/db/schema';
import worker from '../../worker';
import { aplicarCambio, cambiarEstado } from '../../src/services/estado';
import { createEmisor, insertarPendiente, pacCon, pacsCon, sandboxPac, waitFor } from '../helpers';
import { procesarFactura } from '../../src/jobs/procesar-factura';
import { barrer, MARGEN_PENDIENTE_MS } from '../../src/jobs/barrido';
import { depsDe } from '../../src/deps';
import { backoffSeconds } from '../../src/lib/retry';
import { MINUTE, SECOND } from '../../src/lib/time';

const db = () => getDb(env);

// The cron safety net (src/jobs/barrido.ts) together with the real queue consumer and stamping job.
describe('cron safety net', () => {
  it('re-enqueues a pendiente once its next try is a minute overdue, never before, and the real consumer stamps it', async () => {
    const { app } = await createEmisor();
    const fila = async (id: string) => (await db().select().from(facturas).where(eq(facturas.id, id)).get())!;
    /** A pendiente with no queue message, last touched `ms` ago after `intentos` transient failures. */
    const quieta = async (intentos: number, ms: number) => {
      const id = await insertarPendiente(app.id);
      await db().update(facturas).set({ intentos, updated_at: new Date(Date.now() - ms).toISOString() }).where(eq(facturas.id, id));
      return id;
    };
    const vencimiento = (intentos: number) => backoffSeconds(intentos) * SECOND + MARGEN_PENDIENTE_MS;
    // Its message was lost at acceptance (or in a crash): found within a couple of minutes, not 30.
    const perdida = await quieta(0, vencimiento(0) + 30 * SECOND);
    // The PAC failed four times: the retry due 80 s later had a minute more, and did not come.
    const reintentoPerdido = await quieta(4, vencimiento(4) + 30 * SECOND);
    // Just accepted, and a failing PAC's retry still on its backoff (also at the 15-minute cap): left alone.
    const reciente = await quieta(0, 0);
    const enEspera = await quieta(4, vencimiento(4) - 30 * SECOND);
    const enEsperaMaxima = await quieta(12, 15 * MINUTE);

    await worker.scheduled(createScheduledController({ cron: '*/10 * * * *' }), env, createExecutionContext());
    for (const id of [perdida, reintentoPerdido]) {
      const f = await waitFor(async () => {
        const row = await fila(id);
        return row.status === 'timbrada' ? row : null;
      }, 'the forgotten invoice to be stamped');
      expect(f.uuid).toBeTruthy();
    }
    // Sent in the same batch as those two, so by now they would be stamped too.
    for (const id of [reciente, enEspera, enEsperaMaxima]) expect((await fila(id)).status).toBe('pendiente');
  });

  it('dispatches events a crash left undispatched, once, and only those older than a minute', async () => {
    const { app } = await createEmisor();
    const id = await insertarPendiente(app.id);
    const viejo = new Date(Date.now() - 5 * 60_000).toISOString();
    const base = { client_application_id: app.id, mode: 'test' as const, factura_id: id, data: {}, status_anterior: 'pendiente', status_nuevo: 'error' };
    await db().insert(eventos).values([
      { ...base, id: '01900000-0000-7000-8000-00000000e001', type: 'factura.error', created_at: viejo },
      { ...base, id: '01900000-0000-7000-8000-00000000e002', type: 'factura.error', created_at: new Date().toISOString() },
    ]);
    const antes = await barrer(depsDe(env));
    expect(antes.eventos).toBeGreaterThanOrEqual(1);
    const filas = await db().select().from(eventos).where(eq(eventos.factura_id, id));
    expect(filas.find((e) => e.id.endsWith('e001'))!.despachado_at).toBeTruthy();
    expect(filas.find((e) => e.id.endsWith('e002'))!.despachado_at).toBeNull();
  });

  it('re-sends a cancellation whose queue message was lost, and the real consumer finishes it', async () => {
    const { app } = await createEmisor();
    const fila = async (id: string) => (await db().select().from(facturas).where(eq(facturas.id, id)).get())!;
    const enCancelacion = async (revisarAt: string) => {
      const id = await insertarPendiente(app.id);
      await procesarFactura(depsDe(env), id, 1);
      const f = await fila(id);
      expect(f.status).toBe('timbrada');
      // As the API leaves it, minus the queue message.
      expect(await aplicarCambio(env.DB, cambiarEstado(env.DB, f, 'cancelacion_pendiente', { cancelacion_motivo: '02', cancelacion_revisar_at: revisarAt }, new Date()))).not.toBeNull();
      return id;
    };
    // Due 11 minutes ago: past its message's whole retry chain (about 5 minutes), doubled.
    const perdida = await enCancelacion(new Date(Date.now() - 11 * MINUTE).toISOString());
    const enCamino = new Date(Date.now() + 3600_000).toISOString();
    const esperando = await enCancelacion(enCamino);
    // Due 4 minutes ago: its message may still be in its transient retries, which do not move the due time.
    const enReintentos = new Date(Date.now() - 4 * MINUTE).toISOString();
    const reintentando = await enCancelacion(enReintentos);

    const r = await barrer(depsDe(env));
    expect(r.cancelaciones).toBeGreaterThanOrEqual(1);
    const f = await waitFor(async () => {
      const row = await fila(perdida);
      return row.status === 'cancelada' ? row : null;
    }, 'the cancellation to finish');
    expect(f.acuse_key).toBeTruthy();
    // One whose status check is still due later, or whose message may still be retrying, is left untouched.
    for (const [id, revisar] of [[esperando, enCamino], [reintentando, enReintentos]] as const) {
      const otra = await fila(id);
      expect([otra.status, otra.cancelacion_revisar_at]).toEqual(['cancelacion_pendiente', revisar]);
    }
  });
});

describe('the sweep and a failing PAC', () => {
  it('a row the job just retried is not re-sent before its backoff is due', async () => {
    const { app } = await createEmisor();
    const id = await insertarPendiente(app.id);
    await db().update(facturas).set({ updated_at: new Date(Date.now() - 5 * MINUTE).toISOString() }).where(eq(facturas.id, id));
    const caido = pacCon(sandboxPac(), {
      timbrar: async () => ({ ok: false, tipo: 'no_timbrado', causa: 'servicio', errores: [{ code: 'http_503', message: 'PAC no disponible' }] }),
    });
    // the job leaves its own delayed message (a fresh one, not the queue's bounded retry)
    expect((await procesarFactura(depsDe(env, undefined, { pacs: pacsCon([caido]) }), id, 1)).action).toBe('ack');
    const enviados: unknown[] = [];
    const queue = { sendBatch: async (m: { body: unknown }[]) => void enviados.push(...m.map((x) => x.body)) };
    await barrer(depsDe(env, undefined, { queue: queue as unknown as Queue }));
    expect(enviados).not.toContainEqual({ kind: 'timbrar', id });
  });
});

describe('what only lives for a while', () => {
  it('expired Idempotency-Keys and admin sessions are purged; live ones stay', async () => {
    const { app } = await createEmisor();
    const { adminSessions, adminUsers, idempotencyKeys } = await import('../../src/db/schema');
    const hace = (ms: number) => new Date(Date.now() - ms).toISOString();
    const llave = (key: string, expires_at: string) =>
      db().insert(idempotencyKeys).values({ client_application_id: app.id, mode: 'test', key, request_hash: 'h', response_status: 200, response_body: '{}', expires_at });
    await llave('vencida', hace(SECOND));
    await llave('viva', hace(-MINUTE));
    const adminId = `adm-${app.id}`;
    await db().insert(adminUsers).values({ id: adminId, email: `${adminId}@hexafac.test`, name: 'A', password_hash: 'x', password_salt: 'x', password_iterations: 1 });
    await db().insert(adminSessions).values([
      { id: `s1-${app.id}`, admin_id: adminId, expires_at: hace(SECOND) },
      { id: `s2-${app.id}`, admin_id: adminId, expires_at: hace(-MINUTE) },
    ]);

    const r = await barrer(depsDe(env));
    expect(r.purgados).toBeGreaterThanOrEqual(2);
    const llaves = await db().select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.client_application_id, app.id));
    expect(llaves.map((l) => l.key)).toEqual(['viva']);
    const sesiones = await db().select({ id: adminSessions.id }).from(adminSessions).where(eq(adminSessions.admin_id, adminId));
    expect(sesiones.map((s) => s.id)).toEqual([`s2-${app.id}`]);
  });
});
