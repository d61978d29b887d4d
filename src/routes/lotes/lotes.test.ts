import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { facturas, lotes } from '../../db/schema';
import { api, createEmisor, createKey, createTenant, expectError, facturaBase, json, waitFor } from '../../../test/helpers';
import { facturaPPD, facturaTimbrada } from '../../../test/comprobantes';
import { EJEMPLO_LOTE } from './lotes.routes';

const crear = (token: string, body: unknown, headers: Record<string, string> = {}) => api('POST', '/lotes', { token, body, headers });
const item = (datos: unknown, tipo = 'factura', over: Record<string, unknown> = {}) => ({ tipo, datos, ...over });

/** Polls GET /lotes/{id} until no comprobante of it is pendiente. */
const terminado = (token: string, id: string) =>
  waitFor(async () => {
    const l = await json(await api('GET', `/lotes/${id}`, { token }));
    return l.completado_at ? l : null;
  }, `lote ${id} completado`);

describe('POST /lotes — happy', () => {
  it('a factura, a nota de crédito and a complemento de pago in one request: 202, each accepted, all timbrada', async () => {
    const { token } = await createEmisor();
    const pue = await facturaTimbrada(token, facturaBase());
    const ppd = await facturaTimbrada(token, facturaPPD());
    const cuerpo = JSON.parse(JSON.stringify(EJEMPLO_LOTE).replaceAll('00000000-0000-4000-8000-000000000001', pue.uuid).replaceAll('00000000-0000-4000-8000-000000000002', ppd.uuid));
    const res = await crear(token, cuerpo);
    expect(res.status, await res.clone().text()).toBe(202);
    const lote = await json(res);
    expect(res.headers.get('Location')).toBe(`http://hexafac.test/api/hexafac/v1/lotes/${lote.id}`);
    expect(lote).toMatchObject({ total: 3, aceptados: 3, rechazados: 0, completado_at: null, links: { self: `/api/hexafac/v1/lotes/${lote.id}` } });
    expect(lote.items.map((i: any) => [i.indice, i.tipo, i.status, i.replayed])).toEqual([
      [0, 'factura', 'aceptado', false],
      [1, 'nota_credito', 'aceptado', false],
      [2, 'complemento_pago', 'aceptado', false],
    ]);

    const fin = await terminado(token, lote.id);
    expect(fin.por_status).toMatchObject({ pendiente: 0, timbrada: 3, rechazada: 0, error: 0 });
    expect(fin.items).toEqual(lote.items);
    for (const i of lote.items) {
      expect(i.links.self).toBe(`/api/hexafac/v1/facturas/${i.id}`);
      const f = await json(await api('GET', `/facturas/${i.id}`, { token }));
      expect(f.status).toBe('timbrada');
      expect(f.tipo).toBe({ factura: 'I', nota_credito: 'E', complemento_pago: 'P' }[i.tipo as string]);
    }
    // the rows know their batch and position
    const filas = await getDb(env).select().from(facturas).where(eq(facturas.lote_id, lote.id)).all();
    expect(filas.map((f) => f.lote_indice).sort()).toEqual([0, 1, 2]);

    const lista = await json(await api('GET', '/lotes?limit=1', { token }));
    expect(lista.data).toEqual([expect.objectContaining({ id: lote.id, total: 3, aceptados: 3, rechazados: 0 })]);
    expect(lista.next_cursor).toBeNull();
  });
});

describe('POST /lotes — errors', () => {
  it('bad items get the details their own route gives, under items[i].datos; the others are stamped', async () => {
    const { token } = await createEmisor();
    const malRfc = facturaBase({ receptor: { ...facturaBase().receptor, rfc: 'NO-ES-RFC' } });
    const sinConceptos = { ...facturaBase(), conceptos: [] };
    const conCampoDesconocido = { ...facturaBase(), campo_raro: 1 };
    const res = await crear(token, { items: [item(facturaBase()), item(malRfc), item(sinConceptos), item(facturaBase()), item(conCampoDesconocido)] });
    expect(res.status).toBe(202);
    const lote = await json(res);
    expect(lote).toMatchObject({ total: 5, aceptados: 2, rechazados: 3 });
    expect(lote.items.map((i: any) => i.status)).toEqual(['aceptado', 'rechazado', 'rechazado', 'aceptado', 'rechazado']);

    for (const [indice, datos] of [[1, malRfc], [2, sinConceptos], [4, conCampoDesconocido]] as const) {
      const sola = await expectError(await api('POST', '/facturas', { token, body: datos }), 422, 'validation_error');
      const deLote = lote.items[indice].error;
      expect(deLote.code).toBe('validation_error');
      expect(deLote.details).toEqual(sola.details.map((d) => ({ ...d, path: `items[${indice}].datos.${d.path}` })));
    }
    const fin = await terminado(token, lote.id);
    expect(fin.por_status).toMatchObject({ pendiente: 0, timbrada: 2 });
  });

  it('an item asking for a borrador is refused on its own: a batch issues, drafts are made alone', async () => {
    const { app, token } = await createEmisor();
    const lote = await json(await crear(token, { items: [item({ ...facturaBase(), borrador: true }), item(facturaBase())] }));
    expect(lote.items.map((i: any) => i.status)).toEqual(['rechazado', 'aceptado']);
    expect(lote.items[0].error.details).toEqual([expect.objectContaining({ path: 'items[0].datos.borrador', code: 'HFX_BORRADOR_EN_LOTE' })]);
    const filas = await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, app.id)).all();
    expect(filas.map((f) => f.status)).not.toContain('borrador');
  });

  it('more than 500 items, or none: 422 on items and nothing stored', async () => {
    const { app, token } = await createEmisor();
    const e = await expectError(await crear(token, { items: Array.from({ length: 501 }, () => item(facturaBase())) }), 422, 'validation_error');
    expect(e.details.map((d) => d.path)).toEqual(['items']);
    const vacio = await expectError(await crear(token, { items: [] }), 422, 'validation_error');
    expect(vacio.details.map((d) => d.path)).toEqual(['items']);
    expect(await getDb(env).select().from(lotes).where(eq(lotes.client_application_id, app.id)).all()).toEqual([]);
    expect(await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, app.id)).all()).toEqual([]);
  });

  it('an item of an unknown tipo is refused with the batch, before anything is stored', async () => {
    const { token } = await createEmisor();
    const e = await expectError(await crear(token, { items: [item(facturaBase()), item(facturaBase(), 'nomina')] }), 422, 'validation_error');
    expect(e.details.map((d) => d.path)).toEqual(['items[1].tipo']);
  });

  it('an item key reused with other datos is that item refused with 409 idempotency_key_reused; the batch goes on', async () => {
    const { token } = await createEmisor();
    expect((await api('POST', '/facturas', { token, body: facturaBase(), headers: { 'Idempotency-Key': 'k-1' } })).status).toBe(202);
    const lote = await json(await crear(token, { items: [item(facturaBase({ condiciones_de_pago: 'otra' }), 'factura', { idempotency_key: 'k-1' }), item(facturaBase())] }));
    expect(lote.items[0]).toMatchObject({
      status: 'rechazado',
      error: { code: 'idempotency_key_reused', details: [{ path: 'items[0]', code: 'idempotency_key_reused' }] },
    });
    expect(lote.items[1].status).toBe('aceptado');
  });

  it('a body over 8 MiB is a 413 naming that limit', async () => {
    const { token } = await createEmisor();
    const e = await expectError(await api('POST', '/lotes', { token, body: JSON.stringify({ items: [], relleno: 'x'.repeat(8 * 1024 * 1024) }) }), 413, 'payload_too_large');
    expect(e.message).toContain('8 MiB');
  });
});

describe('/lotes — security', () => {
  it('no key 401, a read key cannot create (403), a write-only key cannot read (403)', async () => {
    const { app, token } = await createEmisor();
    await expectError(await api('POST', '/lotes', { body: { items: [item(facturaBase())] } }), 401);
    const lectura = await createKey(app.id, { scopes: ['facturas:read'] });
    await expectError(await crear(lectura, { items: [item(facturaBase())] }), 403, 'insufficient_scope');
    const lote = await json(await crear(token, { items: [item(facturaBase())] }));
    const escritura = await createKey(app.id, { scopes: ['facturas:write'] });
    await expectError(await api('GET', `/lotes/${lote.id}`, { token: escritura }), 403, 'insufficient_scope');
    await expectError(await api('GET', '/lotes', { token: escritura }), 403, 'insufficient_scope');
  });

  it('a lote of another tenant, or of the other mode, is a 404 and is not listed', async () => {
    const { app, token } = await createEmisor();
    const lote = await json(await crear(token, { items: [item(facturaBase())] }));
    const otro = await createTenant();
    await expectError(await api('GET', `/lotes/${lote.id}`, { token: otro.token }), 404, 'not_found');
    expect((await json(await api('GET', '/lotes', { token: otro.token }))).data).toEqual([]);
    const live = await createKey(app.id, { mode: 'live' });
    await expectError(await api('GET', `/lotes/${lote.id}`, { token: live }), 404, 'not_found');
  });
});
