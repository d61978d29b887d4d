import { describe, expect, it } from 'vitest';
import { api, createEmisor, createKey, expectError, guardarParaOraculo, json } from '../../../test/helpers';
import { esperarFin, facturaPPD, facturaTimbrada, nodos, OTRO_RECEPTOR } from '../../../test/comprobantes';

const RECEPTOR = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G02' };

/** A nota de crédito of `valor` + IVA 16% related (01) to `uuids`. */
const nota = (uuids: string[], valor: string, over: Record<string, unknown> = {}) => ({
  receptor: RECEPTOR,
  forma_pago: '03',
  metodo_pago: 'PUE',
  conceptos: [
    {
      clave_prod_serv: '84111506',
      cantidad: '1',
      clave_unidad: 'ACT',
      descripcion: 'Bonificación por pronto pago',
      valor_unitario: valor,
      objeto_imp: '02',
      impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] },
    },
  ],
  cfdi_relacionados: [{ tipo_relacion: '01', uuids }],
  ...over,
});
const crear = (token: string, body: unknown) => api('POST', '/notas-credito', { token, body });

describe('POST /notas-credito — happy', () => {
  it('relates several invoices (01), spreads its total over their balances in order, and is stamped', async () => {
    const { token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('100.00'));
    const b = await facturaTimbrada(token, facturaPPD('1000.00', { metodo_pago: 'PUE', forma_pago: '03' }));
    // 150 + IVA = 174.00: A's whole 116.00, then 58.00 of B.
    const res = await crear(token, nota([a.uuid, b.uuid.toLowerCase()], '150.00'));
    expect(res.status).toBe(202);
    expect(res.headers.get('Location')).toMatch(/\/notas-credito\/[0-9a-f-]{36}$/);
    const nc = await esperarFin(token, '/notas-credito', (await json(res)).id);
    expect(nc).toMatchObject({ status: 'timbrada', tipo: 'E', serie: 'NC', total: '174.00' });
    expect(nc.historial.map((e: any) => e.type)).toEqual(['nota_credito.creada', 'nota_credito.timbrada']);
    expect(nc.aplicaciones.map((x: any) => [x.uuid, x.imp_saldo_ant, x.importe, x.imp_saldo_insoluto])).toEqual([
      [a.uuid, '116.00', '116.00', '0.00'],
      [b.uuid, '1160.00', '58.00', '1102.00'],
    ]);

    const xml = await (await api('GET', `/facturas/${nc.id}/xml`, { token })).text();
    await guardarParaOraculo('api-nota-credito', xml);
    expect(nodos(xml, 'Comprobante')[0]).toMatchObject({ TipoDeComprobante: 'E', Total: '174.00' });
    expect(nodos(xml, 'CfdiRelacionados')).toEqual([{ TipoRelacion: '01' }]);
    expect(nodos(xml, 'CfdiRelacionado').map((r) => r.UUID)).toEqual([a.uuid, b.uuid]);

    // The PPD invoice shows it; what is left of B takes a second nota, and nothing more.
    const fa = await json(await api('GET', `/facturas/${a.id}`, { token }));
    expect(fa.saldo).toMatchObject({ total: '116.00', pagado: '0.00', acreditado: '116.00', saldo_insoluto: '0.00', pagos: [] });
    expect(fa.saldo.notas_credito).toEqual([
      { nota_credito_id: nc.id, uuid: nc.uuid, imp_saldo_ant: '116.00', importe: '116.00', imp_saldo_insoluto: '0.00', status: 'timbrada' },
    ]);
    expect((await json(await api('GET', `/facturas/${b.id}`, { token }))).saldo).toBeUndefined();
    expect((await crear(token, nota([b.uuid], '950.00'))).status).toBe(202);
    const e = await expectError(await crear(token, nota([a.uuid, b.uuid], '0.01')), 422, 'excede_saldo');
    expect(e.message).toContain('(0.00)');
  });

  it('a paid PPD invoice has only its balance left for credit notes', async () => {
    const { token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('1000.00'));
    const p = await api('POST', '/complementos-pago', {
      token,
      body: { receptor: { ...RECEPTOR, uso_cfdi: 'CP01' }, pagos: [{ fecha_pago: new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10), forma_pago: '03', documentos: [{ uuid: a.uuid, imp_pagado: '1000.00' }] }] },
    });
    expect(p.status).toBe(202);
    const e = await expectError(await crear(token, nota([a.uuid], '200.00')), 422, 'excede_saldo');
    expect(e.details).toEqual([
      { path: 'total', message: 'Total 232.00; saldo disponible 160.00.', code: 'HFX_EXCEDE_SALDO' },
      { path: 'cfdi_relacionados[0].uuids[0]', message: `Saldo insoluto de ${a.uuid}: 160.00.`, code: 'HFX_EXCEDE_SALDO' },
    ]);
    expect((await crear(token, nota([a.uuid], '100.00'))).status).toBe(202);
  });
});

describe('POST /notas-credito — errors', () => {
  it('422 with the path of each bad relation: unknown, other receptor, other currency, not 01, repeated', async () => {
    const { token } = await createEmisor();
    const a = await facturaTimbrada(token, facturaPPD('100.00'));
    const otro = await facturaTimbrada(token, facturaPPD('100.00', { receptor: OTRO_RECEPTOR }));
    const usd = await facturaTimbrada(token, facturaPPD('100.00', { moneda: 'USD', tipo_cambio: '17.50' }));
    const body = nota([a.uuid, '5FB2822E-396D-4725-8521-CDC4BDD20CCF', otro.uuid, usd.uuid], '10.00');
    body.cfdi_relacionados.push({ tipo_relacion: '04', uuids: [a.uuid] });
    const err = await expectError(await crear(token, body), 422, 'validation_error');
    expect(err.details.map((d) => d.path)).toEqual([
      'cfdi_relacionados[1].tipo_relacion',
      'cfdi_relacionados[1].uuids[0]',
      'cfdi_relacionados[0].uuids[1]',
      'cfdi_relacionados[0].uuids[2]',
      'cfdi_relacionados[0].uuids[3]',
    ]);
    expect(err.details[3]!.message).toContain('otro receptor');
    expect(err.details[4]!.message).toContain('USD');
    // Our id is not a folio fiscal: it cannot go in CfdiRelacionado.
    await expectError(await crear(token, nota([a.id], '10.00')), 422, 'validation_error');
    // The core's rules come first: a nota without relations.
    const sin = await expectError(await crear(token, nota([], '10.00')), 422);
    expect(sin.details[0]!.path).toMatch(/^cfdi_relacionados/);
  });
});

describe('notas de crédito — security', () => {
  it('401 without a key, 403 without the scope', async () => {
    await expectError(await crear('', nota([crypto.randomUUID()], '1.00')), 401);
    const r = await createEmisor({ scopes: ['facturas:read'] });
    await expectError(await crear(r.token, nota([crypto.randomUUID()], '1.00')), 403, 'insufficient_scope');
    const w = await createEmisor({ scopes: ['facturas:write'] });
    await expectError(await api('GET', `/notas-credito/${crypto.randomUUID()}`, { token: w.token }), 403, 'insufficient_scope');
  });

  it("another tenant's or mode's invoice is just unknown; their notas are 404; an invoice is not a nota", async () => {
    const a = await createEmisor();
    const b = await createEmisor();
    const fa = await facturaTimbrada(a.token, facturaPPD('100.00'));
    const desconocida = await expectError(await crear(b.token, nota([crypto.randomUUID()], '1.00')), 422);
    const ajena = await expectError(await crear(b.token, nota([fa.uuid], '1.00')), 422);
    expect(ajena.details).toEqual(desconocida.details);
    const live = await createKey(a.app.id, { mode: 'live' });
    const otroModo = await expectError(await crear(live, nota([fa.uuid], '1.00')), 422);
    expect(otroModo.details).toEqual(desconocida.details);

    const nc = await esperarFin(a.token, '/notas-credito', (await json(await crear(a.token, nota([fa.uuid], '1.00')))).id);
    for (const path of [`/notas-credito/${nc.id}`, `/notas-credito/${nc.uuid}`]) {
      await expectError(await api('GET', path, { token: b.token }), 404);
      await expectError(await api('GET', path, { token: live }), 404);
    }
    await expectError(await api('GET', `/notas-credito/${fa.id}`, { token: a.token }), 404);
  });
});

describe('POST /notas-credito — without related invoices', () => {
  it('422 HFX_RELACION_NOTA: the SAT only warns of an egreso without relation, but this route credits invoices', async () => {
    const { token } = await createEmisor();
    const e = await expectError(await crear(token, nota([], '10.00', { cfdi_relacionados: [] })), 422);
    expect(e.details).toContainEqual(expect.objectContaining({ path: 'cfdi_relacionados', code: 'HFX_RELACION_NOTA' }));
  });
});
