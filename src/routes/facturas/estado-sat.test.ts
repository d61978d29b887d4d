// GET /facturas/{id}/estado-sat: the SAT's status service (the sandbox in test mode, the SAT's ConsultaCFDIService
// in live mode, whose network is the test receiver here).
import { describe, expect, it } from 'vitest';
import { facturaTimbrada } from '../../../test/comprobantes';
import { api, createEmisor, createKey, expectError, facturaBase, insertarFactura, json, waitFor } from '../../../test/helpers';

const estado = (token: string, id: string) => api('GET', `/facturas/${id}/estado-sat`, { token });

describe('GET /facturas/{id}/estado-sat', () => {
  it('happy: vigente and cancelable after stamping, cancelado after the cancellation', async () => {
    const { token } = await createEmisor();
    const f = await facturaTimbrada(token, facturaBase());
    const res = await estado(token, f.uuid);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ uuid: f.uuid, estado: 'vigente', es_cancelable: 'Cancelable sin aceptación', validacion_efos: '200' });

    expect((await api('POST', `/facturas/${f.id}/cancelar`, { token, body: { motivo: '02' } })).status).toBe(202);
    await waitFor(async () => (await json(await api('GET', `/facturas/${f.id}`, { token }))).status === 'cancelada', 'cancelada');
    expect(await json(await estado(token, f.id))).toMatchObject({ estado: 'cancelado', estatus_cancelacion: 'Cancelado sin aceptación' });
  });

  it('error: 409 without a stamp; 503 when the SAT service does not answer (live), nothing changed', async () => {
    const { app, token } = await createEmisor();
    await expectError(await estado(token, await insertarFactura(app.id)), 409, 'sin_timbre');
    const live = await createKey(app.id, { mode: 'live' });
    const id = await insertarFactura(app.id, { mode: 'live', status: 'timbrada', uuid: crypto.randomUUID().toUpperCase() });
    // the test receiver answers the SAT's URL with a plain "ok": not the service's SOAP
    await expectError(await estado(live, id), 503, 'sat_no_disponible');
  });

  it('security: 401 without a key, 403 without facturas:read, 404 for another application', async () => {
    const a = await createEmisor();
    const f = await facturaTimbrada(a.token, facturaBase());
    await expectError(await estado('hfx_test_nope', f.id), 401);
    await expectError(await estado(await createKey(a.app.id, { scopes: ['facturas:write'] }), f.id), 403);
    await expectError(await estado((await createEmisor()).token, f.id), 404);
  });
});
