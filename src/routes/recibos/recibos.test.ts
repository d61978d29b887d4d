import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { recibos } from '../../db/schema';
import { api, createApplication, createEmisor, createKey, createTenant, expectError, json, waitFor } from '../../../test/helpers';
import { linea } from '../../../test/recibos-prueba';
import { EJEMPLO_RECIBO } from './recibos.routes';

const receptor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' };
const crear = (token: string, body: unknown = { forma_pago: '01', conceptos: [linea('100.00'), linea('50.00')] }, headers: Record<string, string> = {}) =>
  api('POST', '/recibos', { token, body, headers });
const facturar = (token: string, id: string, headers: Record<string, string> = {}) => api('POST', `/recibos/${id}/facturar`, { token, body: { receptor }, headers });
const fila = (id: string) => getDb(env).select().from(recibos).where(eq(recibos.id, id)).get();

async function nuevo(token: string) {
  const res = await crear(token);
  expect(res.status, await res.clone().text()).toBe(201);
  return json(res);
}

async function timbrada(token: string, id: string, estados = ['timbrada']) {
  return waitFor(async () => {
    const f = await json(await api('GET', `/facturas/${id}`, { token }));
    return estados.includes(f.status) ? f : null;
  }, `factura ${id} ${estados.join('|')}`);
}

describe('recibos — happy', () => {
  it('POST /recibos answers 201 with the view, its Location and an Idempotency-Key replay', async () => {
    const { token } = await createEmisor();
    await api('PUT', '/recibos/configuracion', { token, body: { autofactura_slug: 'tortas-happy' } });
    const res = await crear(token, EJEMPLO_RECIBO, { 'Idempotency-Key': 'ticket-1' });
    expect(res.status, await res.clone().text()).toBe(201);
    const r = await json(res);
    expect(res.headers.get('Location')).toBe(`http://hexafac.test/api/hexafac/v1/recibos/${r.id}`);
    expect(r).toMatchObject({
      folio: '1',
      external_id: 'ticket-0001',
      forma_pago: '01',
      moneda: 'MXN',
      subtotal: '90.00',
      total_impuestos_trasladados: '14.40',
      total: '104.40',
      status: 'vigente',
      factura_id: null,
      factura_global_id: null,
      url_autofactura: `http://hexafac.test/autofactura/tortas-happy?clave=${encodeURIComponent(r.clave_autofactura)}`,
      links: { self: `/api/hexafac/v1/recibos/${r.id}`, qr_png: `/api/hexafac/v1/recibos/${r.id}/qr.png`, qr_svg: `/api/hexafac/v1/recibos/${r.id}/qr.svg` },
    });
    const otra = await crear(token, EJEMPLO_RECIBO, { 'Idempotency-Key': 'ticket-1' });
    expect(otra.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(otra)).id).toBe(r.id);
    expect(await json(await api('GET', `/recibos/${r.id}`, { token }))).toEqual(r);
  });

  it('GET /recibos pages newest first and filters by status, desde and hasta', async () => {
    const { token } = await createEmisor();
    const a = await nuevo(token);
    const b = await nuevo(token);
    await api('POST', `/recibos/${a.id}/cancelar`, { token });
    const p1 = await json(await api('GET', '/recibos?limit=1', { token }));
    expect(p1.data.map((r: any) => r.id)).toEqual([b.id]);
    const p2 = await json(await api('GET', `/recibos?limit=1&cursor=${p1.next_cursor}`, { token }));
    expect(p2.data.map((r: any) => r.id)).toEqual([a.id]);
    expect((await json(await api('GET', '/recibos?status=cancelado', { token }))).data.map((r: any) => r.id)).toEqual([a.id]);
    const dia = b.fecha.slice(0, 10);
    expect((await json(await api('GET', `/recibos?desde=${dia}&hasta=${dia}`, { token }))).data).toHaveLength(2);
    expect((await json(await api('GET', '/recibos?hasta=2020-01-01', { token }))).data).toEqual([]);
  });

  it('the QR of the portal URL as PNG and SVG', async () => {
    const { token } = await createEmisor();
    await api('PUT', '/recibos/configuracion', { token, body: { autofactura_slug: 'tortas-qr' } });
    const r = await nuevo(token);
    const png = await api('GET', `/recibos/${r.id}/qr.png`, { token });
    expect(png.status).toBe(200);
    expect(png.headers.get('Content-Type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = await api('GET', `/recibos/${r.id}/qr.svg`, { token });
    expect(svg.headers.get('Content-Type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*><rect[^>]*\/><path d="M/);
  });

  it('DELETE and POST …/cancelar cancel a vigente recibo', async () => {
    const { token } = await createEmisor();
    for (const [metodo, sufijo] of [['DELETE', ''], ['POST', '/cancelar']] as const) {
      const r = await nuevo(token);
      const res = await api(metodo, `/recibos/${r.id}${sufijo}`, { token });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ id: r.id, status: 'cancelado' });
      expect((await fila(r.id))!.status).toBe('cancelado');
    }
  });

  it('POST /recibos/{id}/facturar answers 202 and stamps the recibo CFDI; a replay gives the same comprobante', async () => {
    const { token } = await createEmisor();
    const r = await nuevo(token);
    const res = await facturar(token, r.id, { 'Idempotency-Key': 'fact-1' });
    expect(res.status, await res.clone().text()).toBe(202);
    const a = await json(res);
    expect(a).toMatchObject({ status: 'pendiente', links: { self: `/api/hexafac/v1/facturas/${a.id}` } });
    expect(res.headers.get('Location')).toBe(`http://hexafac.test/api/hexafac/v1/facturas/${a.id}`);
    const otra = await facturar(token, r.id, { 'Idempotency-Key': 'fact-1' });
    expect(otra.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(otra)).id).toBe(a.id);
    const f = await timbrada(token, a.id);
    expect(f).toMatchObject({ total: '174.00', receptor: expect.objectContaining({ rfc: 'EKU9003173C9' }) });
    expect(await json(await api('GET', `/recibos/${r.id}`, { token }))).toMatchObject({ status: 'facturado', factura_id: a.id });
  });

  it('X-HexaFac-Simular applies in test mode: a rejected CFDI gives the recibo back', async () => {
    const { token } = await createEmisor();
    const r = await nuevo(token);
    const a = await json(await facturar(token, r.id, { 'X-HexaFac-Simular': 'rechazo=CFDI40102' }));
    await timbrada(token, a.id, ['rechazada']);
    expect(await json(await api('GET', `/recibos/${r.id}`, { token }))).toMatchObject({ status: 'vigente', factura_id: null });
  });

  it('a cancelled individual CFDI releases its recibo (cancelled through POST /facturas/{id}/cancelar)', async () => {
    const { token } = await createEmisor();
    const r = await nuevo(token);
    const a = await json(await facturar(token, r.id));
    await timbrada(token, a.id);
    const c = await api('POST', `/facturas/${a.id}/cancelar`, { token, body: { motivo: '02' } });
    expect(c.status, await c.clone().text()).toBe(202);
    await timbrada(token, a.id, ['cancelada']);
    expect(await fila(r.id)).toMatchObject({ status: 'vigente', factura_id: null });
    // and it can be invoiced again
    expect((await facturar(token, r.id)).status).toBe(202);
  });

  it('GET and PUT /recibos/configuracion: defaults, partial changes', async () => {
    const { token } = await createTenant();
    expect(await json(await api('GET', '/recibos/configuracion', { token }))).toEqual({
      autofactura_slug: null,
      dias_autofactura: 30,
      tras_global: 'rechazar',
      periodicidad_global: null,
      serie_global: 'G',
    });
    const res = await api('PUT', '/recibos/configuracion', { token, body: { autofactura_slug: 'mi-tienda', dias_autofactura: 10 } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ autofactura_slug: 'mi-tienda', dias_autofactura: 10, tras_global: 'rechazar' });
    await api('PUT', '/recibos/configuracion', { token, body: { periodicidad_global: '04' } });
    expect(await json(await api('GET', '/recibos/configuracion', { token }))).toMatchObject({ autofactura_slug: 'mi-tienda', dias_autofactura: 10, periodicidad_global: '04' });
  });
});

describe('recibos — errors', () => {
  it('422 for conceptos that break a SAT rule, with the path', async () => {
    const { token } = await createEmisor();
    const e = await expectError(await crear(token, { forma_pago: '01', conceptos: [linea('10.00', undefined, { objeto_imp: '01' })] }), 422, 'validation_error');
    expect(e.details.some((d) => d.path.startsWith('conceptos[0]'))).toBe(true);
    const forma = await expectError(await crear(token, { forma_pago: '01', conceptos: [{ descripcion: 'x' }] }), 422);
    expect(forma.details.some((d) => d.path.startsWith('conceptos[0].'))).toBe(true);
  });

  it('422 for moneda USD and forma_pago 99', async () => {
    const { token } = await createEmisor();
    const e = await expectError(await crear(token, { forma_pago: '99', moneda: 'USD', conceptos: [linea('10.00')] }), 422, 'validation_error');
    expect(e.details.map((d) => [d.path, d.code]).sort()).toEqual([
      ['forma_pago', 'HFX_RECIBO_FORMA_PAGO'],
      ['moneda', 'HFX_RECIBO_MONEDA'],
    ]);
    expect((await json(await api('GET', '/recibos', { token }))).data).toEqual([]);
  });

  it('409 for a duplicate external_id', async () => {
    const { token } = await createEmisor();
    expect((await crear(token, EJEMPLO_RECIBO)).status).toBe(201);
    const e = await expectError(await crear(token, EJEMPLO_RECIBO), 409, 'recibo_duplicado');
    expect(e.details[0]!.path).toBe('external_id');
  });

  it('409 when cancelling or invoicing again a facturado recibo', async () => {
    const { token } = await createEmisor();
    const r = await nuevo(token);
    const a = await json(await facturar(token, r.id));
    await expectError(await api('POST', `/recibos/${r.id}/cancelar`, { token }), 409, 'recibo_no_cancelable');
    await expectError(await api('DELETE', `/recibos/${r.id}`, { token }), 409, 'recibo_no_cancelable');
    const e = await expectError(await facturar(token, r.id), 409, 'recibo_no_facturable');
    expect(e.details[0]!.code).toBe('recibo_facturado');
    await timbrada(token, a.id);
  });

  it('409 for a slug another application has, 422 for a malformed one', async () => {
    const uno = await createTenant();
    const otro = await createTenant();
    expect((await api('PUT', '/recibos/configuracion', { token: uno.token, body: { autofactura_slug: 'la-tiendita' } })).status).toBe(200);
    const e = await expectError(await api('PUT', '/recibos/configuracion', { token: otro.token, body: { autofactura_slug: 'la-tiendita' } }), 409, 'slug_en_uso');
    expect(e.details[0]!.path).toBe('autofactura_slug');
    await expectError(await api('PUT', '/recibos/configuracion', { token: otro.token, body: { autofactura_slug: '-No Vale' } }), 422);
    await expectError(await api('PUT', '/recibos/configuracion', { token: otro.token, body: { dias_autofactura: 0 } }), 422);
  });

  it('periodicidad_global 05 (bimestral) only for an emisor in régimen 621 (CFDI40132): 422 at the field, nothing changes', async () => {
    const { token } = await createTenant();
    await api('PUT', '/recibos/configuracion', { token, body: { periodicidad_global: '04' } });
    const res = await api('PUT', '/recibos/configuracion', { token, body: { periodicidad_global: '05', dias_autofactura: 15 } });
    const e = await expectError(res, 422, 'validation_error');
    expect(e.details).toEqual([expect.objectContaining({ path: 'periodicidad_global', code: 'CFDI40132', message: expect.stringContaining('621') })]);
    expect(await json(await api('GET', '/recibos/configuracion', { token }))).toMatchObject({ periodicidad_global: '04', dias_autofactura: 30 });
    // the persona física in Incorporación Fiscal may
    const rif = await createKey((await createApplication({ rfc: 'CACX7605101P8', razon_social: 'XOCHILT CASAS CHAVEZ', regimen_fiscal: '621' })).id);
    const ok = await api('PUT', '/recibos/configuracion', { token: rif, body: { periodicidad_global: '05' } });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await json(ok)).toMatchObject({ periodicidad_global: '05' });
  });

  it('409 sin_slug_autofactura for the QR while the application has no slug; url_autofactura is null', async () => {
    const { token } = await createEmisor();
    const r = await nuevo(token);
    expect(r.url_autofactura).toBeNull();
    await expectError(await api('GET', `/recibos/${r.id}/qr.png`, { token }), 409, 'sin_slug_autofactura');
    await expectError(await api('GET', `/recibos/${r.id}/qr.svg`, { token }), 409, 'sin_slug_autofactura');
  });

  it('422 for a receptor that breaks a SAT rule on facturar, and the recibo stays vigente', async () => {
    const { token } = await createEmisor();
    const r = await nuevo(token);
    const res = await api('POST', `/recibos/${r.id}/facturar`, { token, body: { receptor: { ...receptor, rfc: 'NO-ES-RFC' } } });
    const e = await expectError(res, 422);
    expect(e.details.some((d) => d.path === 'receptor.rfc')).toBe(true);
    expect((await fila(r.id))!.status).toBe('vigente');
  });
});

describe('recibos — security', () => {
  it('401 without a key, 403 with the wrong scope', async () => {
    const { app, token } = await createEmisor();
    const r = await nuevo(token);
    await expectError(await api('GET', '/recibos'), 401);
    await expectError(await api('POST', '/recibos', { body: EJEMPLO_RECIBO }), 401);
    const lectura = await createKey(app.id, { scopes: ['recibos:read'] });
    await expectError(await crear(lectura), 403);
    await expectError(await api('POST', `/recibos/${r.id}/cancelar`, { token: lectura }), 403);
    await expectError(await facturar(lectura, r.id), 403);
    await expectError(await api('PUT', '/recibos/configuracion', { token: lectura, body: { dias_autofactura: 5 } }), 403);
    expect((await api('GET', `/recibos/${r.id}`, { token: lectura })).status).toBe(200);
    const facturasKey = await createKey(app.id, { scopes: ['facturas:read', 'facturas:write'] });
    await expectError(await api('GET', `/recibos/${r.id}`, { token: facturasKey }), 403);
    await expectError(await api('GET', '/recibos/configuracion', { token: facturasKey }), 403);
  });

  it('another tenant recibo is a 404 on GET, cancel, facturar and the QR, and stays untouched', async () => {
    const { token } = await createEmisor();
    await api('PUT', '/recibos/configuracion', { token, body: { autofactura_slug: 'tienda-ajena' } });
    const r = await nuevo(token);
    const otro = await createEmisor();
    await expectError(await api('GET', `/recibos/${r.id}`, { token: otro.token }), 404);
    await expectError(await api('POST', `/recibos/${r.id}/cancelar`, { token: otro.token }), 404);
    await expectError(await api('DELETE', `/recibos/${r.id}`, { token: otro.token }), 404);
    await expectError(await facturar(otro.token, r.id), 404);
    await expectError(await api('GET', `/recibos/${r.id}/qr.png`, { token: otro.token }), 404);
    await expectError(await api('GET', `/recibos/${r.id}/qr.svg`, { token: otro.token }), 404);
    expect((await json(await api('GET', '/recibos', { token: otro.token }))).data).toEqual([]);
    expect(await fila(r.id)).toMatchObject({ status: 'vigente', factura_id: null });
  });
});
