import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { eventos, facturas } from '../../src/db/schema';
import worker from '../../worker';
import { aplicarCambio, cambiarEstado } from '../../src/services/estado';
import { createEmisor, insertarPendiente, waitFor } from '../helpers';
import { procesarFactura } from '../../src/jobs/procesar-factura';
import { barrer, PENDIENTE_OLVIDADA_MS } from '../../src/jobs/barrido';
import { depsDe } from '../../src/deps';

const db = () => getDb(env);

// The cron safety net (src/jobs/barrido.ts) together with the real queue consumer and stamping job.
describe('cron safety net', () => {
  it('re-enqueues a pendiente whose queue message was lost, and the real consumer stamps it', async () => {
    const { app } = await createEmisor();
    const olvidada = await insertarPendiente(app.id);
    const reciente = await insertarPendiente(app.id);
    const hace = new Date(Date.now() - PENDIENTE_OLVIDADA_MS - 60_000).toISOString();
    await db().update(facturas).set({ updated_at: hace }).where(eq(facturas.id, olvidada));

    await worker.scheduled(createScheduledController({ cron: '*/10 * * * *' }), env, createExecutionContext());
    const f = await waitFor(async () => {
      const row = await db().select().from(facturas).where(eq(facturas.id, olvidada)).get();
      return row?.status === 'timbrada' ? row : null;
    }, 'the forgotten invoice to be stamped');
    expect(f.uuid).toBeTruthy();
    // A recent pendiente still has its own message on the way: left alone.
    expect((await db().select().from(facturas).where(eq(facturas.id, reciente)).get())!.status).toBe('pendiente');
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
    const perdida = await enCancelacion(new Date(Date.now() - PENDIENTE_OLVIDADA_MS - 60_000).toISOString());
    const enCamino = new Date(Date.now() + 3600_000).toISOString();
    const esperando = await enCancelacion(enCamino);

    const r = await barrer(depsDe(env));
    expect(r.cancelaciones).toBeGreaterThanOrEqual(1);
    const f = await waitFor(async () => {
      const row = await fila(perdida);
      return row.status === 'cancelada' ? row : null;
    }, 'the cancellation to finish');
    expect(f.acuse_key).toBeTruthy();
    // One whose status check is still due later keeps waiting for it, untouched.
    const otra = await fila(esperando);
    expect([otra.status, otra.cancelacion_revisar_at]).toEqual(['cancelacion_pendiente', enCamino]);
  });
});
