// POST /{facturas,notas-credito,complementos-pago}/validar: every rule of the creating route, no folio, no row, no PAC.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { facturas, folios } from '../../db/schema';
import { cadenaOriginal } from '../../cfdi';
import { esperarFin, facturaPPD, facturaTimbrada } from '../../../test/comprobantes';
import { api, createEmisor, createKey, createTenant, expectError, facturaBase, json } from '../../../test/helpers';

const validar = (token: string, ruta: string, body: unknown) => api('POST', `${ruta}/validar`, { token, body });
const filas = async (appId: string) => ({
  facturas: await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, appId)).all(),
  folios: await getDb(env).select().from(folios).where(eq(folios.client_application_id, appId)).all(),
});

describe('POST /facturas/validar — happy', () => {
  it('valid: the computed totals and taxes and the cadena original the CFDI would carry; nothing stored, no folio used', async () => {
    const { app, token } = await createEmisor();
    const res = await validar(token, '/facturas', facturaBase());
    expect(res.status).toBe(200);
    const v = await json(res);
    expect(v).toMatchObject({ valido: true, errores: [], comprobante: { sub_total: '1000.00', total: '1160.00', moneda: 'MXN' } });
    expect(v.comprobante.impuestos).toMatchObject({ total_impuestos_trasladados: '160.00', traslados: [{ impuesto: '002', importe: '160.00' }] });
    expect(v.comprobante.conceptos[0].impuestos.traslados[0]).toMatchObject({ base: '1000.00', importe: '160.00' });
    expect(v.comprobante.cadena_original).toMatch(/^\|\|4\.0\|/);
    expect(v.comprobante.cadena_original).toContain('|30001000000500003416|');
    expect(await filas(app.id)).toEqual({ facturas: [], folios: [] });

    // the cadena is the very one the stamped CFDI carries, for the same Fecha and folio
    const body = facturaBase({ fecha: v.comprobante.fecha, folio: 'V1' });
    const prevista = (await json(await validar(token, '/facturas', body))).comprobante.cadena_original;
    const f = await esperarFin(token, '/facturas', (await json(await api('POST', '/facturas', { token, body }))).id);
    expect(f.status).toBe('timbrada');
    expect(cadenaOriginal(await (await api('GET', `/facturas/${f.id}/xml`, { token })).text())).toBe(prevista);
  });

  it('a key with only facturas:read may validate; notas de crédito and complementos de pago too', async () => {
    const { app, token } = await createEmisor();
    const lectura = await createKey(app.id, { scopes: ['facturas:read'] });
    expect((await json(await validar(lectura, '/facturas', facturaBase()))).valido).toBe(true);
    const ppd = await facturaTimbrada(token, facturaPPD('1000.00'));
    const pago = {
      receptor: { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601' },
      pagos: [{ fecha_pago: new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10), forma_pago: '03', moneda: 'MXN', documentos: [{ uuid: ppd.uuid, imp_pagado: '100.00' }] }],
    };
    const vp = await json(await validar(lectura, '/complementos-pago', pago));
    expect(vp).toMatchObject({ valido: true, comprobante: { tipo_de_comprobante: 'P', total: '0' } });
    expect(vp.comprobante.complementos[0]).toContain('pago20:Pagos');
    const nota = { ...facturaBase(), cfdi_relacionados: [{ tipo_relacion: '01', uuids: [ppd.uuid] }] };
    expect(await json(await validar(lectura, '/notas-credito', { ...nota, conceptos: [{ ...nota.conceptos[0], valor_unitario: '10.00' }] }))).toMatchObject({ valido: true });
  });
});

describe('POST /facturas/validar — errors', () => {
  it('the SAT rules and the request’s own mistakes are 200 valido:false with path and code; no CSD is an error too', async () => {
    const { token } = await createEmisor();
    const mala = await json(await validar(token, '/facturas', facturaBase({ exportacion: '09', moneda: 'XYZ' })));
    expect(mala.valido).toBe(false);
    expect(mala.comprobante).toBeNull();
    expect(mala.errores.every((e: any) => e.path && e.message && e.code)).toBe(true);
    const doble = await json(await validar(token, '/facturas', { ...facturaBase(), cliente_id: '019a0000-0000-7000-8000-000000000000' }));
    expect(doble).toMatchObject({ valido: false, errores: [{ path: 'cliente_id', code: 'HFX_RECEPTOR_DOBLE' }] });

    const sinCsd = await createTenant();
    const v = await json(await validar(sinCsd.token, '/facturas', facturaBase()));
    expect(v).toMatchObject({ valido: false, errores: [{ code: 'csd_no_configurado' }], comprobante: { total: '1160.00', cadena_original: null } });
    await expectError(await api('POST', '/facturas/validar', { token, body: '{no json' }), 400);
  });
});

describe('one answer names every problem', () => {
  it('a field of the wrong shape does not hide the SAT rules of the others: creating (422) and validar (200)', async () => {
    const { app, token } = await createEmisor();
    const base = facturaBase({ exportacion: '09' });
    const body = { ...base, conceptos: [{ ...base.conceptos[0]!, cantidad: 'dos' }], confirmacion: 'ABC12' };
    const e = await expectError(await api('POST', '/facturas', { token, body }), 422);
    const rutas = e.details.map((d) => `${d.path} ${d.code}`);
    expect(rutas.some((r) => /^conceptos\[0\]\.cantidad \S+$/.test(r))).toBe(true);
    expect(rutas).toContain('confirmacion HFX_CAMPO_DESCONOCIDO');
    expect(rutas.some((r) => r.startsWith('exportacion CFDI40'))).toBe(true);
    const v = await json(await validar(token, '/facturas', body));
    expect(v.valido).toBe(false);
    expect(v.errores.map((d: any) => `${d.path} ${d.code}`).sort()).toEqual([...rutas].sort());
    expect(await filas(app.id)).toEqual({ facturas: [], folios: [] });
  });
});

describe('POST /facturas/validar — security', () => {
  it('401 without a key, 403 without facturas:read', async () => {
    const { app } = await createEmisor();
    await expectError(await validar('hfx_test_nope', '/facturas', facturaBase()), 401);
    await expectError(await validar(await createKey(app.id, { scopes: ['webhooks:write'] }), '/facturas', facturaBase()), 403);
  });
});
