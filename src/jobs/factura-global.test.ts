import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../db/client';
import { clientApplications, facturas, recibos } from '../db/schema';
import { depsDe } from '../deps';
import { createEmisor } from '../../test/helpers';
import { insertarRecibo } from '../../test/recibos-prueba';
import { emitirGlobalesAutomaticas } from './factura-global';

const db = () => getDb(env);
// 2026-11-03 00:00:30 in Ciudad de México (UTC−6, CP 42501 Hidalgo): the 2nd has just closed
const TRAS_CIERRE = new Date('2026-11-03T06:00:30Z');

async function conPeriodicidad(periodicidad: '01' | '04') {
  const t = await createEmisor();
  await db().update(clientApplications).set({ recibos_config: { periodicidad_global: periodicidad } }).where(eq(clientApplications.id, t.app.id));
  return t;
}

describe('the automatic factura global (cron)', () => {
  it('issues the day that closed at the local midnight of the emisor once, even with two runs at once', async () => {
    const { app } = await conPeriodicidad('01');
    const ayer = [await insertarRecibo(app.id, { fecha: '2026-11-02T08:00:00' }), await insertarRecibo(app.id, { fecha: '2026-11-02T23:59:00' })];
    const hoy = await insertarRecibo(app.id, { fecha: '2026-11-03T00:00:10' });
    const deps = depsDe(env, undefined, { clock: () => TRAS_CIERRE });
    const [a, b] = await Promise.all([emitirGlobalesAutomaticas(deps), emitirGlobalesAutomaticas(deps)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    const globales = await db().select().from(facturas).where(eq(facturas.client_application_id, app.id)).all();
    expect(globales).toHaveLength(1);
    expect(globales[0]).toMatchObject({ origen: 'global', receptor_rfc: 'XAXX010101000', status: 'pendiente' });
    const filas = await db().select().from(recibos).where(eq(recibos.client_application_id, app.id)).all();
    for (const r of ayer) expect(filas.find((f) => f.id === r.id)).toMatchObject({ status: 'facturado_global', factura_global_id: globales[0]!.id });
    expect(filas.find((f) => f.id === hoy.id)?.status).toBe('vigente');
    // a later run of the same day finds nothing left
    expect(await emitirGlobalesAutomaticas(deps)).toBe(0);
  });

  it('a monthly periodicity issues nothing in the middle of the month, and an application without it nothing ever', async () => {
    const { app } = await conPeriodicidad('04');
    await insertarRecibo(app.id, { fecha: '2026-11-02T08:00:00' });
    const sin = await createEmisor();
    await insertarRecibo(sin.app.id, { fecha: '2026-11-02T08:00:00' });
    await emitirGlobalesAutomaticas(depsDe(env, undefined, { clock: () => TRAS_CIERRE }));
    for (const id of [app.id, sin.app.id]) expect(await db().select().from(facturas).where(eq(facturas.client_application_id, id)).all()).toEqual([]);
    // on the 1st of December (local) November is due
    expect(await emitirGlobalesAutomaticas(depsDe(env, undefined, { clock: () => new Date('2026-12-01T07:00:00Z') }))).toBeGreaterThanOrEqual(1);
    expect(await db().select().from(facturas).where(eq(facturas.client_application_id, app.id)).all()).toHaveLength(1);
  });
});
