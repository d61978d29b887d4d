// X-HexaFac-Simular: only test keys, only the documented triggers; a refused header stores nothing.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../db/client';
import { facturas } from '../db/schema';
import { api, createEmisor, createKey, expectError, facturaBase, json } from '../../test/helpers';

const crear = (token: string, simular: string) => api('POST', '/facturas', { token, body: facturaBase(), headers: { 'X-HexaFac-Simular': simular } });
const filas = async (appId: string) => getDb(env).select().from(facturas).where(eq(facturas.client_application_id, appId)).all();

describe('X-HexaFac-Simular', () => {
  it('a test key: the trigger is kept on the comprobante for its job', async () => {
    const { app, token } = await createEmisor();
    const { id } = await json(await crear(token, 'timeout-tras-timbrar'));
    expect((await filas(app.id)).find((f) => f.id === id)!.simulacion).toEqual({ timbrado: 'timeout_tras_timbrar' });
  });

  it('400 for an unknown trigger or a live key, and nothing is stored', async () => {
    const { app, token } = await createEmisor();
    const e = await expectError(await crear(token, 'apagar-sat'), 400, 'simulacion_invalida');
    expect(e.details[0]!.path).toBe('headers.x-hexafac-simular');
    await expectError(await crear(await createKey(app.id, { mode: 'live' }), 'timeout'), 400, 'simulacion_solo_pruebas');
    expect(await filas(app.id)).toEqual([]);
  });
});
