// Issue 13, item 1: once the PAC has answered, the stamp is HexaFac's to keep. A failure after it (R2 refusing
// the XML) leaves a timbrada invoice with its XML in the row, visible and retried on its own; the body that
// once got stamped and then lost (an 18-digit cantidad) is a 422 before anything is stored.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { facturas } from '../../src/db/schema';
import { depsDe } from '../../src/deps';
import { barrer } from '../../src/jobs/barrido';
import { procesarFactura } from '../../src/jobs/procesar-factura';
import { api, createEmisor, expectError, facturaBase, insertarPendiente, json } from '../helpers';

const db = () => getDb(env);
const fila = async (id: string) => (await db().select().from(facturas).where(eq(facturas.id, id)).get())!;

/** R2 as it is on a bad minute: every put of a stamped XML fails; everything else works. */
function r2SinXml(): R2Bucket {
  return new Proxy(env.CFDI_BUCKET, {
    get(target, prop) {
      if (prop === 'put') {
        return (key: string, ...rest: unknown[]) =>
          key.endsWith('.xml') ? Promise.reject(new Error('R2: internal error')) : (target.put as any)(key, ...rest);
      }
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('a stamp is stored before anything else', () => {
  it('R2 refusing the XML leaves the invoice timbrada, its XML in the row and downloadable, and a redelivery archives it', async () => {
    const { app, token } = await createEmisor();
    const id = await insertarPendiente(app.id);

    const r = await procesarFactura(depsDe(env, undefined, { bucket: r2SinXml() }), id, 1);
    expect(r.action).toBe('retry');
    const timbrada = await fila(id);
    expect(timbrada.status).toBe('timbrada');
    expect(timbrada.uuid).toMatch(/^[0-9A-F-]{36}$/);
    expect(timbrada.xml_timbrado).toContain(timbrada.uuid);
    expect(await env.CFDI_BUCKET.head(timbrada.xml_key!)).toBeNull();

    // Visible on the invoice, and the XML (and the PDF drawn from it) can be had already.
    const vista = await json(await api('GET', `/facturas/${id}`, { token }));
    expect(vista.status).toBe('timbrada');
    expect(vista.errores.map((e: any) => e.code)).toEqual(['xml_sin_archivar']);
    const xml = await api('GET', `/facturas/${id}/xml`, { token });
    expect(xml.status).toBe(200);
    expect(await xml.text()).toBe(timbrada.xml_timbrado);
    expect((await api('GET', `/facturas/${id}/pdf`, { token })).status).toBe(200);

    // While R2 still fails the redelivery keeps retrying and changes nothing; once it works, the copy moves.
    expect((await procesarFactura(depsDe(env, undefined, { bucket: r2SinXml() }), id, 2)).action).toBe('retry');
    expect(await procesarFactura(depsDe(env), id, 3)).toEqual({ action: 'ack' });
    const archivada = await fila(id);
    expect(archivada).toMatchObject({ status: 'timbrada', uuid: timbrada.uuid, xml_timbrado: null, errores: null });
    expect(await (await env.CFDI_BUCKET.get(archivada.xml_key!))!.text()).toBe(timbrada.xml_timbrado);
    expect((await json(await api('GET', `/facturas/${id}`, { token }))).errores).toEqual([]);
  });

  it('the dead-letter consumer never turns a stamped invoice into error', async () => {
    const { app } = await createEmisor();
    const id = await insertarPendiente(app.id);
    await procesarFactura(depsDe(env, undefined, { bucket: r2SinXml() }), id, 1);
    const { agotarReintentos } = await import('../../src/jobs/procesar-factura');
    await agotarReintentos(depsDe(env), id);
    expect((await fila(id)).status).toBe('timbrada');
  });

  it('the sweep re-sends a timbrada invoice whose XML is still only in the row, once its own retries are past', async () => {
    const { app } = await createEmisor();
    const id = await insertarPendiente(app.id);
    await procesarFactura(depsDe(env, undefined, { bucket: r2SinXml() }), id, 1);
    const enviados: unknown[] = [];
    const queue = { send: async (b: unknown) => void enviados.push(b), sendBatch: async (m: { body: unknown }[]) => void enviados.push(...m.map((x) => x.body)) };
    const barrido = () => barrer(depsDe(env, undefined, { queue: queue as unknown as Queue }));
    await barrido();
    expect(enviados).not.toContainEqual({ kind: 'timbrar', id });
    await db().update(facturas).set({ updated_at: new Date(Date.now() - 11 * 60_000).toISOString() }).where(eq(facturas.id, id));
    await barrido();
    expect(enviados).toContainEqual({ kind: 'timbrar', id });
  });

  it('an amount past t_Importe is a 422 at acceptance, never a stamp the PDF cannot print', async () => {
    const { token } = await createEmisor();
    const body = facturaBase();
    Object.assign(body.conceptos[0]!, { cantidad: '999999999999999999', valor_unitario: '500.00' });
    const res = await api('POST', '/facturas', { token, body });
    const e = await expectError(res, 422, 'validation_error');
    expect(e.details).toContainEqual(expect.objectContaining({ path: 'conceptos[0].cantidad', code: 'CFDI40167' }));
  });
});
