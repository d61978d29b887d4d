import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { eventos, facturas, lotes, recibosNomina } from '../../db/schema';
import { api, createEmisor, createKey, expectError, facturaBase, json, waitFor } from '../../../test/helpers';
import { nodos } from '../../../test/comprobantes';
import { EJEMPLO_NOMINA } from '../ejemplos';

// One payroll of three recibos (the documented example's salaried employee and asimilado, plus a second employee)
// stamped once and shared by the happy path and the security cases.

const PERIODO = EJEMPLO_NOMINA.periodo;
const [SUELDO, ASIMILADO] = EJEMPLO_NOMINA.recibos;
const empleado = (receptor: Record<string, unknown>, over: Record<string, unknown> = {}) => ({ ...SUELDO, ...over, receptor: { ...SUELDO.receptor, ...receptor } });
const SEGUNDO = empleado({ rfc: 'CACX7605101P8', nombre: 'XOCHILT CASAS CHAVEZ', curp: 'CACX760510MGTSHC04', num_empleado: '0002', num_seguridad_social: '12345678902' });
const nomina = (recibos: unknown[]) => ({ ...EJEMPLO_NOMINA, recibos });

const crear = (token: string, body: unknown, headers: Record<string, string> = {}) => api('POST', '/nominas', { token, body, headers });

/** Polls GET /nominas/{id} until no recibo of it is pendiente. */
const terminada = (token: string, id: string) =>
  waitFor(async () => {
    const n = await json(await api('GET', `/nominas/${id}`, { token }));
    return n.completado_at ? n : null;
  }, `nómina ${id} completada`);

const recibosDe = (appId: string) => getDb(env).select().from(recibosNomina).where(eq(recibosNomina.client_application_id, appId)).all();

let token: string;
let appId: string;
let aceptada: any;
let location: string | null;
beforeAll(async () => {
  const e = await createEmisor();
  token = e.token;
  appId = e.app.id;
  const res = await crear(token, nomina([SUELDO, ASIMILADO, SEGUNDO]));
  if (res.status !== 202) throw new Error(`${res.status} ${await res.text()}`);
  location = res.headers.get('Location');
  aceptada = await json(res);
  if (aceptada.rechazados) throw new Error(`recibos rechazados: ${JSON.stringify(aceptada.recibos)}`);
});

describe('POST /nominas — happy', () => {
  it('a payroll of three recibos with an asimilado: 202 per recibo, all timbrada through the queue, counts, nomina.completada once with the periodo', async () => {
    expect(location).toBe(`http://hexafac.test/api/hexafac/v1/nominas/${aceptada.id}`);
    expect(aceptada).toMatchObject({ periodo: PERIODO, total: 3, aceptados: 3, rechazados: 0, completado_at: null, no_timbrados: [] });
    expect(aceptada.recibos.map((r: any) => [r.indice, r.status, r.replayed, r.links.self])).toEqual(
      aceptada.recibos.map((r: any, i: number) => [i, 'aceptado', false, `/api/hexafac/v1/recibos-nomina/${r.id}`]),
    );

    const fin = await terminada(token, aceptada.id);
    expect(fin.por_status).toMatchObject({ pendiente: 0, timbrada: 3, rechazada: 0, error: 0 });
    expect(fin.recibos).toEqual(aceptada.recibos);
    const detalles = await Promise.all(aceptada.recibos.map(async (r: any) => json(await api('GET', `/recibos-nomina/${r.id}`, { token }))));
    expect(detalles.map((d) => [d.status, d.tipo, d.receptor.rfc, d.nomina.fecha_pago, d.nomina.fecha_final_pago, d.nomina.neto])).toEqual([
      ['timbrada', 'N', 'XOJI740919U48', '2026-11-15', '2026-11-15', '7126.13'],
      ['timbrada', 'N', 'GALA850315AB3', '2026-11-15', '2026-11-15', '16436.79'],
      ['timbrada', 'N', 'CACX7605101P8', '2026-11-15', '2026-11-15', '7126.13'],
    ]);
    // the payroll's registro patronal reaches the salaried recibos; the asimilado's null takes it out of its own
    const registros = await Promise.all(
      aceptada.recibos.map(async (r: any) => nodos(await (await api('GET', `/recibos-nomina/${r.id}/xml`, { token })).text(), 'Emisor').find((e) => !('Rfc' in e))),
    );
    expect(registros.map((e) => e?.RegistroPatronal)).toEqual(['B5510768108', undefined, 'B5510768108']);

    const completadas = await getDb(env)
      .select()
      .from(eventos)
      .where(and(eq(eventos.client_application_id, appId), eq(eventos.type, 'nomina.completada')))
      .all();
    expect(completadas.map((e) => e.data)).toEqual([
      expect.objectContaining({ id: aceptada.id, periodo: PERIODO, total: 3, aceptados: 3, rechazados: 0, por_status: expect.objectContaining({ timbrada: 3, pendiente: 0 }) }),
    ]);

    const lista = await json(await api('GET', '/nominas?limit=1', { token }));
    expect(lista).toMatchObject({ data: [{ id: aceptada.id, periodo: PERIODO, total: 3, completado_at: fin.completado_at }], next_cursor: null });
  });
});

describe('POST /nominas — errors', () => {
  it('a bad recibo is refused at recibos[i].… as its own route would, one of another period at its field; the others are stamped', async () => {
    const { app, token: t } = await createEmisor();
    const malo = empleado({ periodicidad_pago: '99', curp: 'NO-ES-CURP' });
    const otroPeriodo = empleado({ num_empleado: '0003' }, { fecha_pago: '2026-11-30' });
    const res = await crear(t, nomina([SUELDO, malo, otroPeriodo]));
    expect(res.status).toBe(202);
    const n = await json(res);
    expect(n).toMatchObject({ total: 3, aceptados: 1, rechazados: 2 });
    expect(n.recibos.map((r: any) => r.status)).toEqual(['aceptado', 'rechazado', 'rechazado']);

    // alone, the recibo is the payroll's period and employer's fields with its own
    const solo = await expectError(await api('POST', '/recibos-nomina', { token: t, body: { ...malo, ...PERIODO, emisor: EJEMPLO_NOMINA.emisor } }), 422, 'validation_error');
    expect(solo.details.map((d) => d.path)).toEqual(expect.arrayContaining(['receptor.curp', 'receptor.periodicidad_pago']));
    expect(n.recibos[1].error).toMatchObject({ code: 'validation_error', details: solo.details.map((d) => ({ ...d, path: `recibos[1].${d.path}` })) });
    expect(n.recibos[2].error.details).toEqual([expect.objectContaining({ path: 'recibos[2].fecha_pago', code: 'HFX_NOMINA_OTRO_PERIODO' })]);

    const fin = await terminada(t, n.id);
    expect(fin.por_status).toMatchObject({ pendiente: 0, timbrada: 1 });
    expect((await recibosDe(app.id)).map((r) => r.num_empleado)).toEqual(['0001']);
  });

  it('no recibos, more than 1,000 or a body over 8 MiB: refused whole, nothing stored', async () => {
    const { app, token: t } = await createEmisor();
    const vacia = await expectError(await crear(t, nomina([])), 422, 'validation_error');
    expect(vacia.details.map((d) => d.path)).toEqual(['recibos']);
    const enorme = await expectError(await crear(t, nomina(Array.from({ length: 1001 }, () => SUELDO))), 422, 'validation_error');
    expect(enorme.details.map((d) => d.path)).toEqual(['recibos']);
    const sinPeriodo = await expectError(await crear(t, { recibos: [SUELDO] }), 422, 'validation_error');
    expect(sinPeriodo.details.map((d) => d.path)).toEqual(['periodo']);
    const e = await expectError(await api('POST', '/nominas', { token: t, body: JSON.stringify({ ...nomina([]), relleno: 'x'.repeat(8 * 1024 * 1024) }) }), 413, 'payload_too_large');
    expect(e.message).toContain('8 MiB');
    expect(await getDb(env).select().from(lotes).where(eq(lotes.client_application_id, app.id)).all()).toEqual([]);
    expect(await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, app.id)).all()).toEqual([]);
  });

  it('Idempotency-Key replays the whole answer and issues no recibo twice; with another body it is a 409', async () => {
    const { app, token: t } = await createEmisor();
    const headers = { 'Idempotency-Key': 'nomina-quincena-1' };
    const cuerpo = nomina([SUELDO, ASIMILADO]);
    const r1 = await crear(t, cuerpo, headers);
    const primera = await json(r1);
    const r2 = await crear(t, cuerpo, headers);
    expect(r2.status).toBe(202);
    expect(r2.headers.get('Idempotent-Replayed')).toBe('true');
    expect(r2.headers.get('Location')).toBe(r1.headers.get('Location'));
    const mismo = ({ id, periodo, total, aceptados, rechazados, recibos }: any) => ({ id, periodo, total, aceptados, rechazados, recibos });
    expect(mismo(await json(r2))).toEqual(mismo(primera));
    await expectError(await crear(t, nomina([SUELDO]), headers), 409, 'idempotency_key_reused');
    expect(await getDb(env).select().from(lotes).where(eq(lotes.client_application_id, app.id)).all()).toHaveLength(1);
    expect((await recibosDe(app.id)).map((r) => r.num_empleado).sort()).toEqual(['0001', 'A001']);
  });
});

describe('/nominas — security', () => {
  it('no key 401, a read key cannot create (403), a write-only key cannot read (403)', async () => {
    await expectError(await crear('', nomina([SUELDO])), 401);
    const lectura = await createKey(appId, { scopes: ['facturas:read'] });
    await expectError(await crear(lectura, nomina([SUELDO])), 403, 'insufficient_scope');
    const escritura = await createKey(appId, { scopes: ['facturas:write'] });
    await expectError(await api('GET', `/nominas/${aceptada.id}`, { token: escritura }), 403, 'insufficient_scope');
    await expectError(await api('GET', '/nominas', { token: escritura }), 403, 'insufficient_scope');
  });

  it("another tenant's or mode's nómina is a 404 and not listed; a lote is not a nómina, nor a nómina a lote", async () => {
    const otro = await createEmisor();
    const live = await createKey(appId, { mode: 'live' });
    for (const k of [otro.token, live]) {
      await expectError(await api('GET', `/nominas/${aceptada.id}`, { token: k }), 404, 'not_found');
      expect((await json(await api('GET', '/nominas', { token: k }))).data).toEqual([]);
    }
    const lote = await json(await api('POST', '/lotes', { token, body: { items: [{ tipo: 'factura', datos: facturaBase() }] } }));
    await expectError(await api('GET', `/nominas/${lote.id}`, { token }), 404, 'not_found');
    await expectError(await api('GET', `/lotes/${aceptada.id}`, { token }), 404, 'not_found');
    expect((await json(await api('GET', '/nominas', { token }))).data.map((n: any) => n.id)).not.toContain(lote.id);
    expect((await json(await api('GET', '/lotes', { token }))).data.map((l: any) => l.id)).toEqual([lote.id]);
  });
});
