import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { aplicaciones, facturas } from '../../db/schema';
import { prepararComplementoPago } from '../../cfdi';
import { uuidv7 } from '../../lib/ids';
import { depsDe } from '../../deps';
import { COMPLEMENTO_PAGO } from '../../services/complementos-pago';
import { cargarAplicacion, emisorDe } from '../../services/comprobantes';
import { aceptar, type Preparado } from '../../services/emision';
import { insertarAplicacion, saldos } from '../../services/saldos';
import { api, createEmisor, createKey, expectError, guardarParaOraculo, json } from '../../../test/helpers';
import { esperarFin, facturaPPD, facturaTimbrada, nodos, OTRO_RECEPTOR } from '../../../test/comprobantes';

const RECEPTOR = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601' };
const hoy = () => new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);

const pago = (documentos: Record<string, unknown>[], over: Record<string, unknown> = {}) => ({ fecha_pago: hoy(), forma_pago: '03', documentos, ...over });
const complemento = (pagos: unknown[], over: Record<string, unknown> = {}) => ({ receptor: RECEPTOR, pagos, ...over });
const crear = (token: string, body: unknown) => api('POST', '/complementos-pago', { token, body });

async function timbrado(token: string, body: unknown) {
  const res = await crear(token, body);
  if (res.status !== 202) throw new Error(`${res.status} ${await res.text()}`);
  const p = await esperarFin(token, '/complementos-pago', (await json(res)).id);
  expect(p.status).toBe('timbrada');
  return { p, xml: await (await api('GET', `/facturas/${p.id}/xml`, { token })).text() };
}

const saldo = async (token: string, id: string) => (await json(await api('GET', `/facturas/${id}`, { token }))).saldo;

describe('POST /complementos-pago — happy', () => {
  it('two payments over several invoices, partial and full, ImpuestosDR prorated, balances from the history', async () => {
    const { token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('1000.00'));
    // B: IVA 16% and ISR retained 10%: total 2000 + 320 − 200 = 2120.
    const bBody = facturaPPD('2000.00');
    (bBody.conceptos[0] as any).impuestos = {
      traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }],
      retenciones: [{ impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.100000' }],
    };
    const b = await facturaTimbrada(token, bBody);
    expect(b.total).toBe('2120.00');

    const { p, xml } = await timbrado(
      token,
      complemento([
        pago([{ uuid: a.uuid, imp_pagado: '580.00' }, { id: b.id }]),
        pago([{ uuid: a.uuid.toLowerCase(), imp_pagado: '290.00', imp_saldo_ant: '580.00', num_parcialidad: 2 }], { forma_pago: '02' }),
      ]),
    );
    await guardarParaOraculo('api-complemento-pago', xml);
    expect(p.tipo).toBe('P');
    expect(p.serie).toBe('CP');
    expect(p.historial.map((e: any) => e.type)).toEqual(['complemento_pago.creada', 'complemento_pago.timbrada']);

    const doctos = nodos(xml, 'DoctoRelacionado');
    expect(doctos.map((d) => [d.IdDocumento, d.NumParcialidad, d.ImpSaldoAnt, d.ImpPagado, d.ImpSaldoInsoluto])).toEqual([
      [a.uuid, '1', '1160.00', '580.00', '580.00'],
      [b.uuid, '1', '2120.00', '2120.00', '0.00'],
      [a.uuid, '2', '580.00', '290.00', '290.00'],
    ]);
    expect(doctos[0]).toMatchObject({ Serie: 'F', Folio: a.folio, MonedaDR: 'MXN', EquivalenciaDR: '1', ObjetoImpDR: '02' });
    // Half of A's base 1000; all of B's: traslado on 2000 and the ISR retention.
    const trasladosDR = nodos(xml, 'TrasladoDR');
    expect(trasladosDR.map((t) => [t.BaseDR, t.ImporteDR])).toEqual([
      ['500.00', '80.00'],
      ['2000.00', '320.00'],
      ['250.00', '40.00'],
    ]);
    expect(nodos(xml, 'RetencionDR')).toEqual([{ BaseDR: '2000.00', ImpuestoDR: '001', TipoFactorDR: 'Tasa', TasaOCuotaDR: '0.100000', ImporteDR: '200.00' }]);
    expect(nodos(xml, 'Pago').map((x) => x.Monto)).toEqual(['2700.00', '290.00']);
    expect(nodos(xml, 'Totales')[0]).toMatchObject({ MontoTotalPagos: '2990.00', TotalTrasladosBaseIVA16: '2750.00', TotalTrasladosImpuestoIVA16: '440.00', TotalRetencionesISR: '200.00' });

    // The invoice shows its balance and the payments; the complemento what it paid.
    expect(await saldo(token, a.id)).toEqual({
      total: '1160.00',
      pagado: '870.00',
      acreditado: '0.00',
      saldo_insoluto: '290.00',
      pagos: [
        { complemento_id: p.id, uuid: p.uuid, num_parcialidad: 1, imp_saldo_ant: '1160.00', imp_pagado: '580.00', imp_saldo_insoluto: '580.00', status: 'timbrada' },
        { complemento_id: p.id, uuid: p.uuid, num_parcialidad: 2, imp_saldo_ant: '580.00', imp_pagado: '290.00', imp_saldo_insoluto: '290.00', status: 'timbrada' },
      ],
      notas_credito: [],
    });
    expect(p.aplicaciones.map((x: any) => [x.uuid, x.num_parcialidad, x.importe])).toEqual([
      [a.uuid, 1, '580.00'],
      [b.uuid, 1, '2120.00'],
      [a.uuid, 2, '290.00'],
    ]);

    // The next complemento continues the history: parcialidad 3 pays off A (imp_pagado omitted = the whole saldo).
    const { xml: xml2 } = await timbrado(token, complemento([pago([{ uuid: a.uuid }])]));
    expect(nodos(xml2, 'DoctoRelacionado')[0]).toMatchObject({ NumParcialidad: '3', ImpSaldoAnt: '290.00', ImpPagado: '290.00', ImpSaldoInsoluto: '0.00' });
    await guardarParaOraculo('api-complemento-pago-liquida', xml2);
    expect((await saldo(token, a.id)).saldo_insoluto).toBe('0.00');
  });

  it('a USD payment over MXN invoices: TipoCambioP, EquivalenciaDR, Monto in USD, Totales in MXN', async () => {
    const { token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('1000.00'));
    const b = await facturaTimbrada(token, facturaPPD('500.00'));
    const { xml } = await timbrado(
      token,
      complemento([
        pago([{ uuid: a.uuid, equivalencia: '17.50' }, { uuid: b.uuid, imp_pagado: '290.00', equivalencia: '17.50' }], { moneda: 'USD', tipo_cambio: '17.50' }),
      ]),
    );
    await guardarParaOraculo('api-complemento-pago-usd', xml);
    const [p] = nodos(xml, 'Pago');
    // (1160 + 290) / 17.5 = 82.857… → 82.86 USD (rounded up so it covers what was paid).
    expect(p).toMatchObject({ MonedaP: 'USD', TipoCambioP: '17.5', Monto: '82.86' });
    expect(nodos(xml, 'DoctoRelacionado').map((d) => [d.MonedaDR, d.EquivalenciaDR, d.ImpPagado, d.ImpSaldoInsoluto])).toEqual([
      ['MXN', '17.5', '1160.00', '0.00'],
      ['MXN', '17.5', '290.00', '290.00'],
    ]);
    // BaseP in USD: (1000 + 250) / 17.5 = 71.428571; Totales back in MXN.
    expect(nodos(xml, 'TrasladoP')[0]).toMatchObject({ BaseP: '71.428571', ImporteP: '11.428571' });
    expect(nodos(xml, 'Totales')[0]).toMatchObject({ MontoTotalPagos: '1450.05', TotalTrasladosBaseIVA16: '1250.00', TotalTrasladosImpuestoIVA16: '200.00' });
    expect((await saldo(token, b.id)).saldo_insoluto).toBe('290.00');
  });

  it('cliente_id in place of receptor; Idempotency-Key replays without paying twice', async () => {
    const { token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('100.00'));
    const cliente = await json(await api('POST', '/clientes', { token, body: { ...RECEPTOR, uso_cfdi: 'G03' } }));
    const body = { cliente_id: cliente.id, pagos: [pago([{ uuid: a.uuid, imp_pagado: '50.00' }])] };
    const headers = { 'Idempotency-Key': 'pago-1' };
    const r1 = await api('POST', '/complementos-pago', { token, body, headers });
    const r2 = await api('POST', '/complementos-pago', { token, body, headers });
    expect(r2.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(r2)).id).toBe((await json(r1)).id);
    expect((await saldo(token, a.id)).pagos).toHaveLength(1);
  });
  it('one payment over 120 invoices: every lookup fits D1\'s bound-parameter limit', async () => {
    const { token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('10.00'));
    const original = (await getDb(env).select().from(facturas).where(eq(facturas.id, a.id)).get())!;
    // 119 more stamped PPD invoices: copies of the stamped row with their own id, folio and UUID.
    const copias = Array.from({ length: 119 }, (_, i) => ({ ...original, id: uuidv7(), folio: `C${i}`, uuid: crypto.randomUUID().toUpperCase() }));
    const db = getDb(env);
    const [primera, ...resto] = copias.map((c) => db.insert(facturas).values(c));
    await db.batch([primera!, ...resto]);
    const documentos = [{ id: a.id }, ...copias.map((c, i) => (i % 2 ? { id: c.id } : { uuid: c.uuid }))];

    const { p, xml } = await timbrado(token, complemento([pago(documentos)]));
    expect(nodos(xml, 'DoctoRelacionado')).toHaveLength(120);
    expect(nodos(xml, 'Pago')[0]!.Monto).toBe('1392.00');
    expect(p.aplicaciones).toHaveLength(120);
    expect((await saldo(token, copias[118]!.id)).saldo_insoluto).toBe('0.00');
  });
});

describe('POST /complementos-pago — errors', () => {
  it('422 with the path of each bad document: unknown, other receptor, not PPD, overpaid, wrong history', async () => {
    const { token } = await createEmisor();
    const ppd = await facturaTimbrada(token, facturaPPD('100.00'));
    const pue = await facturaTimbrada(token, facturaPPD('100.00', { metodo_pago: 'PUE', forma_pago: '03' }));
    const otro = await facturaTimbrada(token, facturaPPD('100.00', { receptor: OTRO_RECEPTOR }));
    const err = await expectError(
      await crear(token, complemento([pago([{ uuid: '5FB2822E-396D-4725-8521-CDC4BDD20CCF' }, { uuid: otro.uuid }]), pago([{ id: pue.id }, { id: ppd.id }])])),
      422,
      'validation_error',
    );
    expect(err.details.map((d) => d.path)).toEqual(['pagos[0].documentos[0].uuid', 'pagos[0].documentos[1].uuid', 'pagos[1].documentos[0].id']);
    expect(err.details[1]!.message).toContain('otro receptor');
    expect(err.details[2]!.message).toContain('PPD');

    const e2 = await expectError(
      await crear(token, complemento([pago([{ uuid: ppd.uuid, imp_pagado: '116.01' }]), pago([{ uuid: ppd.uuid, imp_saldo_ant: '100.00', num_parcialidad: 3 }])])),
      422,
    );
    expect(e2.details.map((d) => d.path)).toEqual(['pagos[0].documentos[0].imp_pagado', 'pagos[1].documentos[0].imp_saldo_ant', 'pagos[1].documentos[0].num_parcialidad']);
    expect(e2.details[0]!.message).toContain('116.00');

    // Paid off, then any further payment is refused.
    await timbrado(token, complemento([pago([{ uuid: ppd.uuid }])]));
    const e3 = await expectError(await crear(token, complemento([pago([{ uuid: ppd.uuid, imp_pagado: '1.00' }])])), 422);
    expect(e3.details).toEqual([{ path: 'pagos[0].documentos[0].imp_pagado', message: expect.stringContaining('saldada'), code: 'HFX_EXCEDE_SALDO' }]);

    // The core's own checks keep their paths: a wrong given ImpSaldoInsoluto, a missing EquivalenciaDR.
    const b = await facturaTimbrada(token, facturaPPD('100.00'));
    const e4 = await expectError(
      await crear(token, complemento([pago([{ uuid: b.uuid, imp_pagado: '16.00', imp_saldo_insoluto: '1.00' }]), pago([{ uuid: b.uuid, imp_pagado: '1.00' }], { moneda: 'USD', tipo_cambio: '17' })])),
      422,
    );
    expect(e4.details.map((d) => [d.path, d.code])).toEqual([
      ['pagos[0].documentos[0].imp_saldo_insoluto', 'CRP20244'],
      ['pagos[1].documentos[0].equivalencia', 'CRP20237'],
    ]);
    expect(await getDb(env).select().from(aplicaciones).where(eq(aplicaciones.documento_id, b.id))).toEqual([]);
  });

  it('422 for a document with both or neither of uuid and id', async () => {
    const { token } = await createEmisor();
    const e = await expectError(await crear(token, complemento([pago([{}])])), 422);
    expect(e.details[0]!.path).toBe('pagos[0].documentos[0].uuid');
  });
});

describe('complementos de pago — concurrency and release', () => {
  it('concurrent payments on the same invoice cannot overpay it', async () => {
    const { app, token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('1000.00'));
    const intentos = await Promise.all(Array.from({ length: 5 }, () => crear(token, complemento([pago([{ uuid: a.uuid, imp_pagado: '700.00' }])]))));
    const estados = intentos.map((r) => r.status).sort();
    expect(estados.filter((s) => s === 202)).toHaveLength(1);
    for (const r of intentos.filter((x) => x.status !== 202)) {
      const e = await json(r);
      expect([409, 422]).toContain(r.status);
      expect(['saldo_cambio', 'validation_error']).toContain(e.error.code);
    }
    const filas = await getDb(env).select().from(aplicaciones).where(eq(aplicaciones.documento_id, a.id));
    expect(filas.map((f) => [f.num_parcialidad, f.importe])).toEqual([[1, '700.00']]);
    // A retry sees the new balance.
    const e = await expectError(await crear(token, complemento([pago([{ uuid: a.uuid, imp_pagado: '700.00' }])])), 422);
    expect(e.details[0]!.message).toContain('460.00');
    // The refused attempts' batches were rolled back whole: one complemento stored, folio CP1.
    const ps = await getDb(env).select().from(facturas).where(and(eq(facturas.tipo, 'P'), eq(facturas.client_application_id, app.id)));
    expect(ps.map((x) => x.folio)).toEqual(['1']);
  });

  it('a write planned on a balance that changed meanwhile is refused whole: 409 saldo_cambio, no row, no folio', async () => {
    const { app, token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('1000.00'));
    const t = { applicationId: app.id, mode: 'test' as const };
    const db = getDb(env);
    const fila = (await db.select().from(facturas).where(eq(facturas.id, a.id)).get())!;
    const leido = (await saldos(depsDe(env), t, [fila])).get(a.id)!;
    // Another complemento lands between the read and the write.
    await timbrado(token, complemento([pago([{ uuid: a.uuid, imp_pagado: '100.00' }])]));
    const datos = complemento([pago([{ uuid: a.uuid, moneda: 'MXN', objeto_imp: '01', num_parcialidad: 2, imp_saldo_ant: '1160.00', imp_pagado: '1160.00' }])]);
    const prep = prepararComplementoPago(datos, emisorDe(await cargarAplicacion(depsDe(env), t)));
    if (!prep.ok) throw new Error(JSON.stringify(prep.errors));
    // The emission service with the kind's preparation replaced by one planned on the stale balance.
    const planeado = (extra: Preparado & { ok: true }) => aceptar(depsDe(env), t, { ...COMPLEMENTO_PAGO, preparar: async () => extra }, datos);
    const intento = planeado({
      ok: true,
      datos,
      comprobante: prep.comprobante,
      extra: (id) => [insertarAplicacion(env.DB, t, id, { documento: leido, tipo: 'pago', numParcialidad: 2, impSaldoAnt: '1160.00', importe: '1160.00', impSaldoInsoluto: '0.00' })],
    });
    await expect(intento).rejects.toMatchObject({ code: 'saldo_cambio', kind: 'conflict' });
    const ps = await db.select().from(facturas).where(and(eq(facturas.tipo, 'P'), eq(facturas.client_application_id, app.id)));
    expect(ps.map((x) => x.folio)).toEqual(['1']);
    expect((await saldo(token, a.id)).saldo_insoluto).toBe('1060.00');
    // The same write from the current balance goes through.
    const actual = (await saldos(depsDe(env), t, [fila])).get(a.id)!;
    await planeado({
      ok: true,
      datos,
      comprobante: prep.comprobante,
      extra: (id) => [insertarAplicacion(env.DB, t, id, { documento: actual, tipo: 'pago', numParcialidad: 2, impSaldoAnt: '1060.00', importe: '1060.00', impSaldoInsoluto: '0.00' })],
    });
    expect((await saldo(token, a.id)).saldo_insoluto).toBe('0.00');
  });

  it('a complemento that ends in error releases what it reserved', async () => {
    // Live mode has no PAC configured: the job ends the complemento as `error`.
    const { app } = await createEmisor();
    const live = await createKey(app.id, { mode: 'live' });
    const base = facturaPPD('1000.00');
    const id = uuidv7();
    await getDb(env).insert(facturas).values({
      id, client_application_id: app.id, mode: 'live', tipo: 'I', status: 'timbrada', serie: 'F', folio: '1',
      receptor_rfc: RECEPTOR.rfc, receptor_nombre: RECEPTOR.nombre, moneda: 'MXN', metodo_pago: 'PPD',
      subtotal: '1000.00', total: '1160.00', fecha: `${hoy()}T09:00:00`, datos: { ...base, fecha: `${hoy()}T09:00:00` },
      uuid: crypto.randomUUID().toUpperCase(),
    });
    const res = await crear(live, complemento([pago([{ id, imp_pagado: '100.00' }])]));
    expect(res.status).toBe(202);
    const p = await esperarFin(live, '/complementos-pago', (await json(res)).id);
    expect(p.status).toBe('error');
    expect(p.aplicaciones).toEqual([]);
    expect(await saldo(live, id)).toMatchObject({ pagado: '0.00', saldo_insoluto: '1160.00', pagos: [] });
  });
});

describe('complementos de pago — security', () => {
  it('401 without a key, 403 without the scope', async () => {
    await expectError(await crear('', complemento([pago([{ uuid: crypto.randomUUID() }])])), 401);
    const r = await createEmisor({ scopes: ['facturas:read'] });
    await expectError(await crear(r.token, complemento([pago([{ uuid: crypto.randomUUID() }])])), 403, 'insufficient_scope');
    const w = await createEmisor({ scopes: ['facturas:write'] });
    await expectError(await api('GET', `/complementos-pago/${uuidv7()}`, { token: w.token }), 403, 'insufficient_scope');
  });

  it("another tenant's or mode's invoice is just unknown; their complementos are 404; an invoice is not a complemento", async () => {
    const a = await createEmisor();
    const b = await createEmisor();
    const fa = await facturaTimbrada(a.token, facturaPPD('100.00'));
    const desconocida = await expectError(await crear(b.token, complemento([pago([{ uuid: crypto.randomUUID() }])])), 422);
    const ajena = await expectError(await crear(b.token, complemento([pago([{ uuid: fa.uuid }])])), 422);
    expect(ajena.details).toEqual(desconocida.details);
    const ajenaPorId = await expectError(await crear(b.token, complemento([pago([{ id: fa.id }])])), 422);
    expect(ajenaPorId.details[0]!.message).toBe(desconocida.details[0]!.message);
    const live = await createKey(a.app.id, { mode: 'live' });
    const otroModo = await expectError(await crear(live, complemento([pago([{ uuid: fa.uuid }])])), 422);
    expect(otroModo.details[0]!.message).toBe(desconocida.details[0]!.message);

    const { p } = await timbrado(a.token, complemento([pago([{ uuid: fa.uuid, imp_pagado: '10.00' }])]));
    for (const path of [`/complementos-pago/${p.id}`, `/complementos-pago/${p.uuid}`, `/facturas/${fa.id}`]) {
      await expectError(await api('GET', path, { token: b.token }), 404);
      await expectError(await api('GET', path, { token: live }), 404);
    }
    await expectError(await api('GET', `/complementos-pago/${fa.id}`, { token: a.token }), 404);
  });
});
