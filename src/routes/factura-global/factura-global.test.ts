import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pemToDer, verificarCfdi } from '../../cfdi';
import { getDb } from '../../db/client';
import { eventos, facturas, recibos } from '../../db/schema';
import { depsDe } from '../../deps';
import { emitirFacturaGlobal } from '../../services/factura-global';
import { facturarRecibo } from '../../services/recibos';
import { api, createApplication, createEmisor, createKey, createTenant, expectError, guardarParaOraculo, insertarPendiente, json, waitFor } from '../../../test/helpers';
import { esperarFin, nodos } from '../../../test/comprobantes';
import { cargarCsdPersonaFisica, insertarRecibo, IVA0, linea } from '../../../test/recibos-prueba';

const db = () => getDb(env);
const crear = (token: string, body: unknown, headers: Record<string, string> = {}) => api('POST', '/recibos/factura-global', { token, body, headers });
const recibosDe = (appId: string) => db().select().from(recibos).where(eq(recibos.client_application_id, appId)).all();
const NOVIEMBRE = { periodicidad: '04', meses: '11', año: 2026 };

/** Waits for the CFDI to be stamped and returns its detail and XML. */
async function timbrada(token: string, id: string) {
  const f = await esperarFin(token, '/facturas', id);
  expect(f.status, JSON.stringify(f.errores)).toBe('timbrada');
  const xml = await (await api('GET', `/facturas/${id}/xml`, { token })).text();
  const v = await verificarCfdi(xml, { pacCertificates: [pemToDer(env.SANDBOX_PAC_CERT_PEM)] });
  expect(v.valido, JSON.stringify(v)).toBe(true);
  return { f, xml };
}

describe('POST /recibos/factura-global — happy', () => {
  it('a monthly global: one CFDI per forma de pago, one Concepto per recibo, the recibos facturado_global, the webhook event', async () => {
    const { app, token } = await createEmisor();
    const efectivo = [
      await insertarRecibo(app.id, { fecha: '2026-11-02T10:00:00', forma_pago: '01' }),
      // two lines taxed differently (IVA 16 % with a discount, IVA 0 %): one Concepto per tasa, both with its folio
      await insertarRecibo(app.id, { fecha: '2026-11-30T23:59:59', forma_pago: '01', conceptos: [linea('200.00', undefined, { descuento: '20.00' }), linea('50.00', IVA0)] }),
    ];
    const tarjeta = await insertarRecibo(app.id, { fecha: '2026-11-15T12:00:00', forma_pago: '04', conceptos: [linea('99.99'), linea('0.01')] });
    // outside the period, or already invoiced: untouched
    const diciembre = await insertarRecibo(app.id, { fecha: '2026-12-01T00:00:00', forma_pago: '01' });
    const facturado = await insertarRecibo(app.id, { fecha: '2026-11-10T00:00:00', forma_pago: '01' });
    await db().update(recibos).set({ status: 'facturado' }).where(eq(recibos.id, facturado.id));

    const res = await crear(token, NOVIEMBRE, { 'Idempotency-Key': 'global-nov' });
    expect(res.status, await res.clone().text()).toBe(202);
    const body = await json(res);
    expect(body.periodo).toEqual({ ...NOVIEMBRE, desde: '2026-11-01', hasta: '2026-12-01' });
    expect(body.recibos).toBe(3);
    expect(body.excluidos).toEqual([]);
    expect(body.facturas.map((f: any) => [f.forma_pago, f.recibos, f.status])).toEqual([
      ['01', 2, 'pendiente'],
      ['04', 1, 'pendiente'],
    ]);
    // 100 + 16 ; 180 + 28.80 + 50 + 0
    expect(body.facturas[0].total).toBe('374.80');
    expect(body.facturas[1].total).toBe('116.00');
    expect(body.facturas[0].links.self).toBe(`/api/hexafac/v1/facturas/${body.facturas[0].id}`);

    const repetida = await crear(token, NOVIEMBRE, { 'Idempotency-Key': 'global-nov' });
    expect(repetida.status).toBe(202);
    expect(repetida.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await json(repetida)).toEqual(body);

    const { f, xml } = await timbrada(token, body.facturas[0].id);
    expect(f.receptor).toMatchObject({ rfc: 'XAXX010101000', nombre: 'PUBLICO EN GENERAL' });
    expect(f.serie).toBe('G');
    expect(xml).toContain('<cfdi:InformacionGlobal Periodicidad="04" Meses="11" Año="2026"/>');
    expect(nodos(xml, 'Receptor')[0]).toMatchObject({ Rfc: 'XAXX010101000', DomicilioFiscalReceptor: '42501', RegimenFiscalReceptor: '616', UsoCFDI: 'S01' });
    expect(nodos(xml, 'Comprobante')[0]).toMatchObject({ FormaPago: '01', MetodoPago: 'PUE', LugarExpedicion: '42501', Descuento: '20.00' });
    expect(nodos(xml, 'Concepto').map((c) => [c.NoIdentificacion, c.ValorUnitario, c.Descuento ?? null, c.ObjetoImp, c.ClaveProdServ, c.ClaveUnidad, c.Cantidad, c.Descripcion])).toEqual([
      [efectivo[0]!.folio, '100.00', null, '02', '01010101', 'ACT', '1', 'Venta'],
      [efectivo[1]!.folio, '200.00', '20.00', '02', '01010101', 'ACT', '1', 'Venta'],
      [efectivo[1]!.folio, '50.00', null, '02', '01010101', 'ACT', '1', 'Venta'],
    ]);
    await guardarParaOraculo('global-mensual', xml);
    await timbrada(token, body.facturas[1].id);

    const filas = await recibosDe(app.id);
    const por = (id: string) => filas.find((r) => r.id === id)!;
    for (const r of efectivo) expect(por(r.id)).toMatchObject({ status: 'facturado_global', factura_global_id: body.facturas[0].id });
    expect(por(tarjeta.id)).toMatchObject({ status: 'facturado_global', factura_global_id: body.facturas[1].id });
    expect(por(diciembre.id)).toMatchObject({ status: 'vigente', factura_global_id: null });
    expect(por(facturado.id)).toMatchObject({ status: 'facturado', factura_global_id: null });

    const [evento] = await waitFor(async () => {
      const e = await db().select().from(eventos).where(and(eq(eventos.factura_id, body.facturas[0].id), eq(eventos.type, 'factura_global.timbrada')));
      return e.length && e[0]!.despachado_at ? e : null;
    }, 'factura_global.timbrada despachado');
    expect(evento!.data).toMatchObject({ comprobante: { id: body.facturas[0].id, status: 'timbrada', uuid: f.uuid }, recibos: 2, periodo: { periodicidad: '04', meses: '11', año: 2026 } });

    // everything of the period is now in a global
    await expectError(await crear(token, NOVIEMBRE), 422, 'sin_recibos_por_facturar');
  });

  it('a bimonthly global of a persona física in régimen 621 (CFDI40132), with a weekly and a daily period', async () => {
    const app = await createApplication({ rfc: 'CACX7605101P8', razon_social: 'XOCHILT CASAS CHAVEZ', regimen_fiscal: '621' });
    await cargarCsdPersonaFisica(app.id);
    const token = await createKey(app.id);
    await insertarRecibo(app.id, { fecha: '2026-09-05T09:00:00', forma_pago: '03' });
    await insertarRecibo(app.id, { fecha: '2026-10-31T21:00:00', forma_pago: '03' });
    const res = await crear(token, { periodicidad: '05', meses: '17', año: 2026 });
    expect(res.status, await res.clone().text()).toBe(202);
    const body = await json(res);
    expect(body.periodo).toMatchObject({ desde: '2026-09-01', hasta: '2026-11-01' });
    expect(body.facturas).toHaveLength(1);
    const { xml } = await timbrada(token, body.facturas[0].id);
    expect(xml).toContain('<cfdi:InformacionGlobal Periodicidad="05" Meses="17" Año="2026"/>');
    expect(nodos(xml, 'Emisor')[0]).toMatchObject({ Rfc: 'CACX7605101P8', RegimenFiscal: '621' });
    await guardarParaOraculo('global-bimestral', xml);

    // Sunday 2026-11-01 and Monday 2026-11-02: the week of the 2nd is Monday 2 to Sunday 8
    await insertarRecibo(app.id, { fecha: '2026-11-01T10:00:00' });
    const lunes = await insertarRecibo(app.id, { fecha: '2026-11-02T10:00:00' });
    const semana = await json(await crear(token, { periodicidad: '02', meses: '11', año: 2026, fecha: '2026-11-05' }));
    expect(semana.periodo).toMatchObject({ desde: '2026-11-02', hasta: '2026-11-09' });
    expect(semana.recibos).toBe(1);
    expect((await recibosDe(app.id)).find((r) => r.id === lunes.id)?.factura_global_id).toBe(semana.facturas[0].id);
    const dia = await json(await crear(token, { periodicidad: '01', meses: '11', año: 2026, fecha: '2026-11-01' }));
    expect(dia.periodo).toMatchObject({ desde: '2026-11-01', hasta: '2026-11-02' });
    expect(dia.recibos).toBe(1);
  });

  it('a recibo with retenciones stays out of the global, listed in excluidos', async () => {
    const { app, token } = await createEmisor();
    const conRetencion = await insertarRecibo(app.id, {
      fecha: '2026-11-03T10:00:00',
      conceptos: [linea('1000.00', { traslados: IVA0.traslados, retenciones: [{ impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.100000' }] })],
    });
    await insertarRecibo(app.id, { fecha: '2026-11-03T11:00:00' });
    const body = await json(await crear(token, NOVIEMBRE));
    expect(body.recibos).toBe(1);
    expect(body.excluidos).toEqual([{ id: conRetencion.id, folio: conRetencion.folio, motivo: expect.stringContaining('retenciones') }]);
    expect((await recibosDe(app.id)).find((r) => r.id === conRetencion.id)?.status).toBe('vigente');
  });

  it('a period of 5,000 recibos is one CFDI (the ids travel as one bound JSON array, the request goes to R2)', async () => {
    const { app, token } = await createEmisor();
    const base = await insertarRecibo(app.id, { fecha: '2026-10-01T08:00:00' });
    // 4,999 copies in one statement (D1 binds at most 100 parameters, a row insert takes 23)
    await env.DB.prepare(
      `INSERT INTO hexafac_recibos (id, client_application_id, mode, status, folio, clave, fecha, forma_pago, moneda, datos, subtotal, total_impuestos_trasladados, total, vigente_hasta)
       SELECT substr(r.id, 1, 24) || printf('%012d', n.value), client_application_id, mode, status, 'M-' || n.value, clave || '-' || n.value, fecha, forma_pago, moneda, datos, subtotal,
              total_impuestos_trasladados, total, vigente_hasta
       FROM hexafac_recibos r, json_each(?) n WHERE r.id = ?`,
    )
      .bind(JSON.stringify(Array.from({ length: 4999 }, (_, n) => n + 1)), base.id)
      .run();
    const res = await crear(token, { periodicidad: '04', meses: '10', año: 2026 });
    expect(res.status, await res.clone().text()).toBe(202);
    const body = await json(res);
    expect(body.recibos).toBe(5000);
    expect(body.facturas).toHaveLength(1);
    expect(body.facturas[0].total).toBe('580000.00');
    const reservados = await db().select({ id: recibos.id }).from(recibos).where(eq(recibos.factura_global_id, body.facturas[0].id)).all();
    expect(reservados).toHaveLength(5000);
  });
});

describe('POST /recibos/factura-global — concurrency', () => {
  it('two globals of one period at once: every recibo in exactly one CFDI, none lost', async () => {
    const { app, token } = await createEmisor();
    for (let n = 0; n < 30; n++) await insertarRecibo(app.id, { fecha: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00`, forma_pago: n % 3 ? '01' : '04' });
    const [a, b] = await Promise.all([crear(token, NOVIEMBRE), crear(token, NOVIEMBRE)]);
    const ganadoras = [a, b].filter((r) => r.status === 202);
    const cuerpos = await Promise.all(ganadoras.map((r) => json(r)));
    for (const r of [a, b].filter((r) => r.status !== 202)) expect(r.status).toBe(422);
    const ids = cuerpos.flatMap((c) => c.facturas.map((f: any) => f.id));
    const filas = await recibosDe(app.id);
    expect(filas.every((r) => r.status === 'facturado_global' && ids.includes(r.factura_global_id))).toBe(true);
    expect(cuerpos.reduce((n, c) => n + c.recibos, 0)).toBe(30);
  });
});

describe('the portal and the global at the same moment', () => {
  it('every recibo ends in exactly one CFDI: its own (facturado) or the global (facturado_global), none lost', async () => {
    const { app } = await createEmisor();
    const deps = depsDe(env);
    const t = { applicationId: app.id, mode: 'test' as const };
    const todos = [];
    for (let n = 0; n < 12; n++) todos.push(await insertarRecibo(app.id, { fecha: `2026-11-${String(1 + n).padStart(2, '0')}T10:00:00` }));
    const receptor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' };
    const [global, ...portal] = await Promise.allSettled([
      emitirFacturaGlobal(deps, t, { periodicidad: '04', meses: '11', año: 2026 }),
      ...todos.filter((_, n) => n % 2 === 0).map((r) => facturarRecibo(deps, t, r.id, { receptor })),
    ]);
    for (const p of portal) if (p.status === 'rejected') expect((p.reason as { code?: string }).code).toBe('recibo_no_facturable');
    const idsGlobal = global.status === 'fulfilled' ? global.value.value.facturas.map((f) => f.id) : [];
    const idsPortal = portal.flatMap((p) => (p.status === 'fulfilled' ? [p.value.value.id] : []));
    const filas = await recibosDe(app.id);
    for (const r of filas) {
      const enGlobal = r.status === 'facturado_global' && idsGlobal.includes(r.factura_global_id!);
      const propio = r.status === 'facturado' && idsPortal.includes(r.factura_id!);
      expect(enGlobal !== propio, JSON.stringify(r)).toBe(true);
      expect(r.factura_global_id !== null && r.factura_id !== null).toBe(false);
    }
    // each CFDI holds exactly the recibos that point at it
    expect(filas.filter((r) => r.status === 'facturado')).toHaveLength(idsPortal.length);
    if (global.status === 'fulfilled') expect(global.value.value.recibos).toBe(filas.filter((r) => r.status === 'facturado_global').length);
  });
});

describe('a recibo invoiced after its factura global (tras_global nota_credito, the guía Apéndice 2, III)', () => {
  const receptor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' };
  const facturar = (token: string, id: string, body: unknown = { receptor }, headers: Record<string, string> = {}) =>
    api('POST', `/recibos/${id}/facturar`, { token, body, headers });
  const egresosDe = (appId: string) => db().select().from(facturas).where(and(eq(facturas.client_application_id, appId), eq(facturas.tipo, 'E'))).all();

  /** An emisor with tras_global nota_credito, two November recibos and their stamped global. */
  async function enGlobal() {
    const { app, token } = await createEmisor();
    expect((await api('PUT', '/recibos/configuracion', { token, body: { tras_global: 'nota_credito' } })).status).toBe(200);
    const recibo = await insertarRecibo(app.id, { fecha: '2026-11-20T10:00:00', forma_pago: '04', conceptos: [linea('200.00', undefined, { descuento: '20.00' }), linea('50.00', IVA0)] });
    const otro = await insertarRecibo(app.id, { fecha: '2026-11-21T10:00:00', forma_pago: '04' });
    const body = await json(await crear(token, NOVIEMBRE));
    const global = (await timbrada(token, body.facturas[0].id)).f;
    return { app, token, recibo, otro, global };
  }

  it('the nota de crédito to the global, then the factura; a retry with the same Idempotency-Key issues neither again', async () => {
    const { app, token, recibo, otro, global } = await enGlobal();
    const res = await facturar(token, recibo.id, { receptor }, { 'Idempotency-Key': 'tras-global-1' });
    expect(res.status, await res.clone().text()).toBe(202);
    const a = await json(res);
    const fila = (await recibosDe(app.id)).find((r) => r.id === recibo.id)!;
    expect(fila).toMatchObject({ status: 'facturado', factura_id: a.id, factura_global_id: global.id, nota_credito_id: expect.any(String) });
    expect(await json(await api('GET', `/recibos/${recibo.id}`, { token }))).toMatchObject({ status: 'facturado', nota_credito_id: fila.nota_credito_id });

    const repetida = await facturar(token, recibo.id, { receptor }, { 'Idempotency-Key': 'tras-global-1' });
    expect(repetida.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(repetida)).id).toBe(a.id);
    const notas = await egresosDe(app.id);
    expect(notas.map((n) => n.id)).toEqual([fila.nota_credito_id]);

    // the nota: as the guía's example III, exactly what the global carried of that recibo
    const nota = await esperarFin(token, '/notas-credito', fila.nota_credito_id!);
    expect(nota.status, JSON.stringify(nota.errores)).toBe('timbrada');
    const xml = await (await api('GET', `/facturas/${nota.id}/xml`, { token })).text();
    const v = await verificarCfdi(xml, { pacCertificates: [pemToDer(env.SANDBOX_PAC_CERT_PEM)] });
    expect(v.valido, JSON.stringify(v)).toBe(true);
    expect(nodos(xml, 'Comprobante')[0]).toMatchObject({ TipoDeComprobante: 'E', FormaPago: '04', MetodoPago: 'PUE', Moneda: 'MXN', Total: recibo.total, Descuento: '20.00' });
    expect(xml).not.toContain('InformacionGlobal');
    expect(nodos(xml, 'CfdiRelacionados')[0]).toEqual({ TipoRelacion: '01' });
    expect(nodos(xml, 'CfdiRelacionado')[0]).toEqual({ UUID: global.uuid });
    expect(nodos(xml, 'Receptor')[0]).toMatchObject({ Rfc: 'XAXX010101000', Nombre: 'PUBLICO EN GENERAL', DomicilioFiscalReceptor: '42501', RegimenFiscalReceptor: '616', UsoCFDI: 'G02' });
    expect(nodos(xml, 'Concepto').map((c) => [c.ClaveProdServ, c.NoIdentificacion, c.Cantidad, c.ClaveUnidad, c.ValorUnitario, c.Descuento ?? null])).toEqual([
      ['84111506', recibo.folio, '1', 'ACT', '200.00', '20.00'],
      ['84111506', recibo.folio, '1', 'ACT', '50.00', null],
    ]);
    await guardarParaOraculo('nota-credito-tras-global', xml);

    // the factura is the customer's own; the other recibo stays in the global
    const f = (await timbrada(token, a.id)).f;
    expect(f).toMatchObject({ total: recibo.total, receptor: expect.objectContaining({ rfc: 'EKU9003173C9' }) });
    expect((await recibosDe(app.id)).find((r) => r.id === otro.id)).toMatchObject({ status: 'facturado_global', nota_credito_id: null });
    // without the key, it is now simply facturado
    const otraVez = await expectError(await facturar(token, recibo.id), 409, 'recibo_no_facturable');
    expect(otraVez.details[0].code).toBe('recibo_facturado');
    expect(await egresosDe(app.id)).toHaveLength(1);
  });

  it('a cancelled factura gives the recibo back with its nota; a cancelled nota is erased, and the next try issues another', async () => {
    const { app, token, recibo } = await enGlobal();
    const a = await json(await facturar(token, recibo.id));
    await timbrada(token, a.id);
    const nota = (await recibosDe(app.id)).find((r) => r.id === recibo.id)!.nota_credito_id!;
    expect((await esperarFin(token, '/notas-credito', nota)).status).toBe('timbrada');
    const cancelar = async (id: string) => {
      const res = await api('POST', `/facturas/${id}/cancelar`, { token, body: { motivo: '02' } });
      expect(res.status, await res.clone().text()).toBe(202);
      await waitFor(async () => ((await json(await api('GET', `/facturas/${id}`, { token }))).status === 'cancelada' ? true : null), `${id} cancelada`);
    };
    await cancelar(a.id);
    expect((await recibosDe(app.id)).find((r) => r.id === recibo.id)).toMatchObject({ status: 'facturado_global', factura_id: null, nota_credito_id: nota });
    await cancelar(nota);
    expect((await recibosDe(app.id)).find((r) => r.id === recibo.id)).toMatchObject({ status: 'facturado_global', nota_credito_id: null });
    const otra = await facturar(token, recibo.id);
    expect(otra.status, await otra.clone().text()).toBe(202);
    const fila = (await recibosDe(app.id)).find((r) => r.id === recibo.id)!;
    expect(fila).toMatchObject({ status: 'facturado', factura_id: (await json(otra)).id });
    expect(fila.nota_credito_id).not.toBe(nota);
    expect((await egresosDe(app.id)).map((n) => n.id).sort()).toEqual([nota, fila.nota_credito_id].sort());
  });

  it('two requests at once issue one nota and one factura', async () => {
    const { app, token, recibo } = await enGlobal();
    const [a, b] = await Promise.all([facturar(token, recibo.id), facturar(token, recibo.id)]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    expect(await egresosDe(app.id)).toHaveLength(1);
    const fila = (await recibosDe(app.id)).find((r) => r.id === recibo.id)!;
    expect(fila.status).toBe('facturado');
    expect(fila.nota_credito_id).toBe((await egresosDe(app.id))[0]!.id);
  });

  it('a receptor the SAT refuses issues no nota; with tras_global rechazar, or the global not stamped yet, a 409 and nothing changes', async () => {
    const { app, token, recibo } = await enGlobal();
    const e = await expectError(await facturar(token, recibo.id, { receptor: { ...receptor, regimen_fiscal: '605' } }), 422, 'validation_error');
    expect(e.details.length).toBeGreaterThan(0);
    expect(await egresosDe(app.id)).toHaveLength(0);
    expect((await recibosDe(app.id)).find((r) => r.id === recibo.id)).toMatchObject({ status: 'facturado_global', nota_credito_id: null, factura_id: null });

    await api('PUT', '/recibos/configuracion', { token, body: { tras_global: 'rechazar' } });
    const rechazo = await expectError(await facturar(token, recibo.id), 409, 'recibo_no_facturable');
    expect(rechazo.details[0].code).toBe('recibo_en_factura_global');

    // a recibo whose global is still pendiente: nothing to relate the nota to yet
    await api('PUT', '/recibos/configuracion', { token, body: { tras_global: 'nota_credito' } });
    const pendiente = await insertarPendiente(app.id);
    const enProceso = await insertarRecibo(app.id, { fecha: '2026-11-25T10:00:00' });
    await db().update(recibos).set({ status: 'facturado_global', factura_global_id: pendiente }).where(eq(recibos.id, enProceso.id));
    const res = await facturar(token, enProceso.id);
    const proceso = await expectError(res, 409, 'recibo_no_facturable');
    expect(proceso.details[0].code).toBe('factura_global_en_proceso');
    expect(res.headers.get('Retry-After')).toBe('60');
    expect(await egresosDe(app.id)).toHaveLength(0);
  });

  it('another tenant cannot take a recibo out of a global: 404, no nota', async () => {
    const { app, recibo } = await enGlobal();
    const otro = await createEmisor();
    await expectError(await facturar(otro.token, recibo.id), 404);
    expect(await egresosDe(app.id)).toHaveLength(0);
    expect(await egresosDe(otro.app.id)).toHaveLength(0);
  });
});

describe('POST /recibos/factura-global — errors', () => {
  it('nothing to invoice is a 422 sin_recibos_por_facturar; a bimonthly global of régimen 601 is CFDI40132', async () => {
    const { app, token } = await createEmisor();
    await expectError(await crear(token, NOVIEMBRE), 422, 'sin_recibos_por_facturar');
    await insertarRecibo(app.id, { fecha: '2026-11-03T10:00:00' });
    const e = await expectError(await crear(token, { periodicidad: '05', meses: '18', año: 2026 }), 422, 'validation_error');
    expect(e.details).toEqual([expect.objectContaining({ path: 'periodicidad', code: 'CFDI40132' })]);
    expect((await recibosDe(app.id))[0]!.status).toBe('vigente');
  });

  it('meses that do not fit the periodicidad, a missing or foreign fecha, unknown fields: 422, nothing changes', async () => {
    const { app, token } = await createEmisor();
    await insertarRecibo(app.id, { fecha: '2026-11-03T10:00:00' });
    const casos: [unknown, string, string][] = [
      [{ periodicidad: '04', meses: '13', año: 2026 }, 'meses', 'CFDI40134'],
      [{ periodicidad: '05', meses: '11', año: 2026 }, 'meses', 'CFDI40135'],
      [{ periodicidad: '01', meses: '11', año: 2026 }, 'fecha', 'HFX_CAMPO_REQUERIDO'],
      [{ periodicidad: '03', meses: '11', año: 2026, fecha: '2026-10-20' }, 'fecha', 'HFX_PERIODO'],
      [{ periodicidad: '06', meses: '11', año: 2026 }, 'periodicidad', 'HFX_FORMATO'],
      [{ ...NOVIEMBRE, receptor: {} }, 'receptor', 'HFX_CAMPO_DESCONOCIDO'],
    ];
    for (const [body, path, code] of casos) {
      const e = await expectError(await crear(token, body), 422);
      expect(e.details, JSON.stringify(body)).toContainEqual(expect.objectContaining({ path, code }));
    }
    expect((await recibosDe(app.id))[0]!.status).toBe('vigente');
  });

  it('an emisor without CSD: 422 csd_no_configurado, the recibos stay vigente', async () => {
    const { app, token } = await createTenant();
    await insertarRecibo(app.id, { fecha: '2026-11-03T10:00:00' });
    await expectError(await crear(token, NOVIEMBRE), 422, 'csd_no_configurado');
    expect((await recibosDe(app.id))[0]!.status).toBe('vigente');
  });
});

describe('POST /recibos/factura-global — security', () => {
  it('no key 401, a key without recibos:write 403', async () => {
    await expectError(await api('POST', '/recibos/factura-global', { body: NOVIEMBRE }), 401);
    const { token } = await createEmisor({ scopes: ['recibos:read', 'facturas:write'] });
    await expectError(await crear(token, NOVIEMBRE), 403);
  });

  it('another tenant, or the other mode, never reaches the recibos', async () => {
    const { app } = await createEmisor();
    await insertarRecibo(app.id, { fecha: '2026-11-03T10:00:00' });
    const otro = await createEmisor();
    await expectError(await crear(otro.token, NOVIEMBRE), 422, 'sin_recibos_por_facturar');
    const live = await createKey(app.id, { mode: 'live' });
    await expectError(await crear(live, NOVIEMBRE), 422, 'sin_recibos_por_facturar');
    expect((await recibosDe(app.id))[0]!.status).toBe('vigente');
  });
});
