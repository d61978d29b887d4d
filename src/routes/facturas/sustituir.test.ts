// POST /facturas/{id}/sustituir: the replacement, then the original's cancellation with motivo 01, then
// factura.sustituida — on the real queue consumer and the sandbox PAC.
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { eventos } from '../../db/schema';
import { facturaTimbrada, esperarFin, nodos } from '../../../test/comprobantes';
import { api, createEmisor, createKey, expectError, facturaBase, insertarFactura, json, waitFor } from '../../../test/helpers';

const sustituir = (token: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
  api('POST', `/facturas/${id}/sustituir`, { token, body, headers });

const corregida = () => {
  const base = facturaBase();
  return { ...base, conceptos: [{ ...base.conceptos[0]!, descripcion: 'Servicio corregido' }] };
};

const ver = async (token: string, id: string) => json(await api('GET', `/facturas/${id}`, { token }));

describe('POST /facturas/{id}/sustituir — happy', () => {
  it('stamps the replacement (CfdiRelacionados 04), cancels the original with motivo 01 and its UUID, then factura.sustituida', async () => {
    const { token } = await createEmisor();
    const original = await facturaTimbrada(token, facturaBase());
    const res = await sustituir(token, original.id, corregida());
    expect(res.status).toBe(202);
    const { id } = await json(res);
    expect(res.headers.get('Location')).toBe(`http://hexafac.test/api/hexafac/v1/facturas/${id}`);

    const nueva = await esperarFin(token, '/facturas', id);
    expect(nueva).toMatchObject({ status: 'timbrada', sustituye_a: original.id });
    const xml = await (await api('GET', `/facturas/${id}/xml`, { token })).text();
    expect(nodos(xml, 'CfdiRelacionados')).toEqual([{ TipoRelacion: '04' }]);
    expect(nodos(xml, 'CfdiRelacionado')).toEqual([{ UUID: original.uuid }]);

    // a fresh original is cancelled at once by the sandbox (within 24 h of its stamp)
    const cancelada = await waitFor(async () => {
      const f = await ver(token, original.id);
      return f.status === 'cancelada' ? f : null;
    }, 'original cancelada');
    expect(cancelada.cancelacion).toMatchObject({ motivo: '01', folio_sustitucion: nueva.uuid });
    expect(cancelada.historial.map((e: any) => e.type)).toEqual([
      'factura.creada',
      'factura.timbrada',
      'factura.cancelacion_pendiente',
      'factura.cancelada',
      'factura.sustituida',
    ]);
    const [evento] = await getDb(env).select().from(eventos).where(and(eq(eventos.factura_id, original.id), eq(eventos.type, 'factura.sustituida')));
    expect(evento!.data).toMatchObject({ sustituida: { id: original.id, status: 'cancelada' }, sustituta: { id, uuid: nueva.uuid } });
    expect(evento!.despachado_at).not.toBeNull();
  });

  it('Idempotency-Key: the same request answers the same replacement; one replacement only', async () => {
    const { token } = await createEmisor();
    const original = await facturaTimbrada(token, facturaBase());
    const headers = { 'Idempotency-Key': 'sustituir-1' };
    const a = await json(await sustituir(token, original.id, corregida(), headers));
    const r = await sustituir(token, original.id, corregida(), headers);
    expect(r.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(r)).id).toBe(a.id);
  });
});

describe('POST /facturas/{id}/sustituir — errors', () => {
  it('a rejected replacement leaves the original untouched, and a new substitution may then start', async () => {
    const { token } = await createEmisor();
    const original = await facturaTimbrada(token, facturaBase());
    const { id } = await json(await sustituir(token, original.id, corregida(), { 'X-HexaFac-Simular': 'rechazo=CFDI40108' }));
    expect(await esperarFin(token, '/facturas', id)).toMatchObject({ status: 'rechazada', errores: [{ code: 'CFDI40108' }] });
    const intacta = await ver(token, original.id);
    expect(intacta).toMatchObject({ status: 'timbrada', cancelacion: null });
    expect(intacta.historial.map((e: any) => e.type)).toEqual(['factura.creada', 'factura.timbrada']);
    expect((await sustituir(token, original.id, corregida())).status).toBe(202);
  });

  it('409 while another substitution is live, for an original not timbrada, 422 for another receptor or a 04 of its own', async () => {
    const { app, token } = await createEmisor();
    const original = await facturaTimbrada(token, facturaBase());
    expect((await sustituir(token, original.id, corregida())).status).toBe(202);
    await expectError(await sustituir(token, original.id, corregida()), 409, 'sustitucion_en_curso');

    const otra = await facturaTimbrada(token, facturaBase());
    const otroReceptor = { ...corregida(), receptor: { ...facturaBase().receptor, rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991' } };
    const e = await expectError(await sustituir(token, otra.id, otroReceptor), 422);
    expect(e.details.map((d) => d.path)).toContain('receptor.rfc');
    const con04 = { ...corregida(), cfdi_relacionados: [{ tipo_relacion: '04', uuids: [otra.uuid] }] };
    await expectError(await sustituir(token, otra.id, con04), 422);

    const pendiente = await insertarFactura(app.id);
    await expectError(await sustituir(token, pendiente, corregida()), 409, 'no_sustituible');
    await expectError(await sustituir(token, otra.id, { conceptos: 'no' }), 422);
    // none of the refusals touched the second invoice
    expect((await ver(token, otra.id)).historial.map((x: any) => x.type)).toEqual(['factura.creada', 'factura.timbrada']);
  });
});

describe('POST /facturas/{id}/sustituir — security', () => {
  it('401 without a key, 403 without facturas:write, 404 for another application or mode', async () => {
    const a = await createEmisor();
    const original = await facturaTimbrada(a.token, facturaBase());
    await expectError(await sustituir('hfx_test_nope', original.id, corregida()), 401);
    const lectura = await createKey(a.app.id, { scopes: ['facturas:read'] });
    await expectError(await sustituir(lectura, original.id, corregida()), 403);
    const b = await createEmisor();
    await expectError(await sustituir(b.token, original.id, corregida()), 404);
    const live = await createKey(a.app.id, { mode: 'live' });
    await expectError(await sustituir(live, original.id, corregida()), 404);
    expect((await ver(a.token, original.id)).status).toBe('timbrada');
  });
});
