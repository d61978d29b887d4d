import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { facturas, recibosNomina } from '../../db/schema';
import { uuidv7 } from '../../lib/ids';
import { api, createEmisor, createKey, expectError, guardarParaOraculo, json, waitFor } from '../../../test/helpers';
import { esperarFin, facturaTimbrada, nodos } from '../../../test/comprobantes';
import { EJEMPLO_RECIBO_NOMINA } from '../ejemplos';

// One stamped recibo (the documented example: ordinaria quincenal with ISR and IMSS) shared by the reads, the
// list and the security cases; the cancellation stamps its replacement.

type Cuerpo = typeof EJEMPLO_RECIBO_NOMINA;
const recibo = (over: Partial<Cuerpo> = {}, receptor: Record<string, unknown> = {}) => ({ ...EJEMPLO_RECIBO_NOMINA, ...over, receptor: { ...EJEMPLO_RECIBO_NOMINA.receptor, ...receptor } });
const crear = (token: string, body: unknown, headers?: Record<string, string>) => api('POST', '/recibos-nomina', { token, body, headers });

async function timbrado(token: string, body: unknown) {
  const res = await crear(token, body);
  if (res.status !== 202) throw new Error(`${res.status} ${await res.text()}`);
  const r = await esperarFin(token, '/recibos-nomina', (await json(res)).id);
  if (r.status !== 'timbrada') throw new Error(`recibo ${r.status}: ${JSON.stringify(r.errores)}`);
  return r;
}

let token: string;
let appId: string;
let quincena: any;
beforeAll(async () => {
  const e = await createEmisor();
  token = e.token;
  appId = e.app.id;
  quincena = await timbrado(token, recibo());
});

describe('POST /recibos-nomina — happy', () => {
  it('stamps the example through the queue and the sandbox PAC: detail with the employee, period, totals and neto; XML; PDF', async () => {
    expect(quincena).toMatchObject({
      tipo: 'N',
      serie: 'N',
      moneda: 'MXN',
      metodo_pago: 'PUE',
      subtotal: '8000.00',
      total: '7126.13',
      receptor: { rfc: 'XOJI740919U48', nombre: 'INGRID XODAR JIMENEZ' },
      nomina: {
        curp: 'XOJI740919MDFDMN05',
        num_empleado: '0001',
        tipo_nomina: 'O',
        fecha_pago: '2026-11-15',
        fecha_inicial_pago: '2026-11-01',
        fecha_final_pago: '2026-11-15',
        total_percepciones: '8000.00',
        total_deducciones: '873.87',
        total_otros_pagos: '0.00',
        neto: '7126.13',
      },
      links: { self: expect.stringContaining(`/recibos-nomina/${quincena.id}`) },
    });
    // the creation's history entry is written by emision.ts with the feminine participle for every kind
    expect(quincena.historial.map((e: any) => e.type)).toEqual([expect.stringMatching(/^recibo_nomina\.cread[ao]$/), 'recibo_nomina.timbrado']);
    expect((await json(await api('GET', `/recibos-nomina/${quincena.uuid}`, { token }))).id).toBe(quincena.id);

    const res = await api('GET', `/recibos-nomina/${quincena.id}/xml`, { token });
    expect(res.headers.get('Content-Type')).toContain('application/xml');
    const xml = await res.text();
    await guardarParaOraculo('api-recibo-nomina-ordinaria', xml);
    expect(nodos(xml, 'Comprobante')[0]).toMatchObject({ TipoDeComprobante: 'N', SubTotal: '8000.00', Descuento: '873.87', Total: '7126.13', Exportacion: '01' });
    expect(nodos(xml, 'Nomina')[0]).toMatchObject({ TipoNomina: 'O', TotalPercepciones: '8000.00', TotalDeducciones: '873.87', NumDiasPagados: '15' });
    expect(nodos(xml, 'Deducciones')[0]).toMatchObject({ TotalImpuestosRetenidos: '683.50', TotalOtrasDeducciones: '190.37' });

    const pdf = await api('GET', `/recibos-nomina/${quincena.id}/pdf`, { token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });

  it('Idempotency-Key replays the same recibo; validar answers the computed comprobante without storing one', async () => {
    const headers = { 'Idempotency-Key': 'nomina-1' };
    const body = recibo({}, { num_empleado: '0099' });
    const r1 = await crear(token, body, headers);
    const r2 = await crear(token, body, headers);
    expect(r1.status).toBe(202);
    expect(r2.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(r2)).id).toBe((await json(r1)).id);
    expect(await getDb(env).select().from(recibosNomina).where(eq(recibosNomina.num_empleado, '0099'))).toHaveLength(1);

    const antes = (await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, appId))).length;
    const v = await json(await api('POST', '/recibos-nomina/validar', { token, body: recibo() }));
    expect(v).toMatchObject({ valido: true, errores: [], comprobante: { tipo_de_comprobante: 'N', total: '7126.13', descuento: '873.87', serie: 'N' } });
    expect(v.comprobante.complementos[0]).toContain('nomina12:Nomina');
    expect(v.comprobante.cadena_original).toMatch(/^\|\|4\.0\|N\|/);
    expect((await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, appId))).length).toBe(antes);
  });

  it('lists by RFC, CURP, period and status with cursor pages', async () => {
    const { token: t } = await createEmisor();
    const a = await timbrado(t, recibo());
    const otroPeriodo = { fecha_pago: '2026-11-30', fecha_inicial_pago: '2026-11-16', fecha_final_pago: '2026-11-30' };
    const b = await timbrado(t, recibo(otroPeriodo, { rfc: 'CACX7605101P8', nombre: 'XOCHILT CASAS CHAVEZ', curp: 'CACX760510MGTSHC04', num_empleado: '0002' }));
    const ids = async (q: string) => (await json(await api('GET', `/recibos-nomina${q}`, { token: t }))).data.map((r: any) => r.id);
    expect(await ids('')).toEqual([b.id, a.id]);
    expect(await ids('?rfc=cacx7605101p8')).toEqual([b.id]);
    expect(await ids('?curp=XOJI740919MDFDMN05')).toEqual([a.id]);
    expect(await ids('?fecha_inicial_pago=2026-11-16')).toEqual([b.id]);
    expect(await ids('?periodo_desde=2026-11-01&periodo_hasta=2026-11-15')).toEqual([a.id]);
    expect(await ids('?periodo_hasta=2026-11-14')).toEqual([]);
    expect(await ids('?status=cancelada')).toEqual([]);
    const p1 = await json(await api('GET', '/recibos-nomina?limit=1', { token: t }));
    expect(p1.data[0]).toMatchObject({ id: b.id, nomina: { curp: 'CACX760510MGTSHC04', neto: '7126.13' } });
    const p2 = await json(await api('GET', `/recibos-nomina?limit=1&cursor=${p1.next_cursor}`, { token: t }));
    expect(p2).toMatchObject({ data: [{ id: a.id }], next_cursor: null });
    // a factura of the same tenant is not a recibo
    await facturaTimbrada(t);
    expect(await ids('')).toEqual([b.id, a.id]);
  });

  it('cancels with motivo 01 naming the recibo that replaces it', async () => {
    const { token: t } = await createEmisor();
    const erroneo = await timbrado(t, recibo({}, { departamento: 'Contabilidad' }));
    const correcto = await timbrado(t, recibo());
    await expectError(await api('POST', `/recibos-nomina/${erroneo.id}/cancelar`, { token: t, body: { motivo: '01' } }), 422, 'validation_error');
    const res = await api('POST', `/recibos-nomina/${erroneo.id}/cancelar`, { token: t, body: { motivo: '01', folio_sustitucion: correcto.uuid } });
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ status: 'cancelacion_pendiente', cancelacion: { motivo: '01', folio_sustitucion: correcto.uuid } });
    const fin = await waitFor(async () => {
      const r = await json(await api('GET', `/recibos-nomina/${erroneo.id}`, { token: t }));
      return r.status !== 'cancelacion_pendiente' && r;
    }, 'the cancellation');
    expect(fin.status).toBe('cancelada');
    expect(fin.historial.map((e: any) => e.type)).toContain('recibo_nomina.cancelado');
  });
});

describe('POST /recibos-nomina — errors', () => {
  it('a NOM rule → 422 with its code and path, and nothing is stored', async () => {
    const { app, token: t } = await createEmisor();
    // NOM33: an ordinaria does not have periodicidad 99; NOM12: uso CN01.
    const e = await expectError(await crear(t, recibo({}, { periodicidad_pago: '99', uso_cfdi: 'G03' })), 422, 'validation_error');
    expect(e.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'receptor.periodicidad_pago', code: 'NOM33' }),
        expect.objectContaining({ path: 'receptor.uso_cfdi', code: 'NOM12' }),
      ]),
    );
    // a malformed field and a rule of another field in one answer
    const e2 = await expectError(await crear(t, { ...recibo({ fecha_inicial_pago: '2026-11-20' }), num_dias_pagados: 'quince' }), 422);
    expect(e2.details.map((d) => d.path)).toEqual(expect.arrayContaining(['num_dias_pagados', 'fecha_inicial_pago']));
    expect(e2.details.find((d) => d.path === 'fecha_inicial_pago')!.code).toBe('NOM35');
    // an employee is not a cliente
    const e3 = await expectError(await crear(t, { ...recibo(), receptor: undefined, cliente_id: uuidv7() }), 422);
    expect(e3.details.map((d) => d.path)).toContain('cliente_id');
    expect(await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, app.id))).toEqual([]);
    expect(await getDb(env).select().from(recibosNomina).where(eq(recibosNomina.client_application_id, app.id))).toEqual([]);
    const v = await json(await api('POST', '/recibos-nomina/validar', { token: t, body: recibo({}, { periodicidad_pago: '99' }) }));
    expect(v).toMatchObject({ valido: false, comprobante: null, errores: [expect.objectContaining({ path: 'receptor.periodicidad_pago', code: 'NOM33' })] });
  });

  it('a pending recibo has no XML yet: 409; a wrong list filter: 422', async () => {
    const { token: t } = await createEmisor();
    const res = await crear(t, recibo());
    const { id } = await json(res);
    const xml = await api('GET', `/recibos-nomina/${id}/xml`, { token: t });
    // the queue may already have stamped it: either the file or the 409 that says why not
    if (xml.status !== 200) await expectError(xml, 409, 'factura_no_timbrada');
    await expectError(await api('GET', '/recibos-nomina?periodo_desde=noviembre', { token: t }), 422);
  });
});

describe('recibos de nómina — security', () => {
  it('401 without a key, 403 without the scope', async () => {
    await expectError(await crear('', recibo()), 401);
    const r = await createEmisor({ scopes: ['facturas:read'] });
    await expectError(await crear(r.token, recibo()), 403, 'insufficient_scope');
    await expectError(await api('POST', `/recibos-nomina/${quincena.id}/cancelar`, { token: r.token, body: { motivo: '02' } }), 403, 'insufficient_scope');
    const w = await createEmisor({ scopes: ['facturas:write'] });
    await expectError(await api('GET', `/recibos-nomina/${quincena.id}`, { token: w.token }), 403, 'insufficient_scope');
    await expectError(await api('GET', '/recibos-nomina', { token: w.token }), 403, 'insufficient_scope');
  });

  it("another tenant's or mode's recibo is a 404 on every route; a factura is not a recibo", async () => {
    const otro = await createEmisor();
    const live = await createKey(appId, { mode: 'live' });
    for (const k of [otro.token, live]) {
      for (const sufijo of ['', '/xml', '/pdf']) await expectError(await api('GET', `/recibos-nomina/${quincena.id}${sufijo}`, { token: k }), 404);
      await expectError(await api('POST', `/recibos-nomina/${quincena.id}/cancelar`, { token: k, body: { motivo: '02' } }), 404);
      expect((await json(await api('GET', '/recibos-nomina', { token: k }))).data).toEqual([]);
    }
    const f = await facturaTimbrada(token);
    for (const sufijo of ['', '/xml', '/pdf']) await expectError(await api('GET', `/recibos-nomina/${f.id}${sufijo}`, { token }), 404);
    await expectError(await api('POST', `/recibos-nomina/${f.id}/cancelar`, { token, body: { motivo: '02' } }), 404);
  });
});
