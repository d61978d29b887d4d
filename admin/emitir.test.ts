import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../src/db/client';
import { facturas } from '../src/db/schema';
import { createApplication, createEmisor, waitFor } from '../test/helpers';
import { Browser, signedIn } from './test-helpers';

const db = () => getDb(env);
const delApp = (appId: string) => db().select().from(facturas).where(eq(facturas.client_application_id, appId)).all();
const fila = (id: string) => db().select().from(facturas).where(eq(facturas.id, id)).get();
const form = (appId: string, tipo: string) => `/admin/aplicaciones/${appId}/emitir/${tipo}`;
const detalle = /^\/admin\/aplicaciones\/[^/]+\/facturas\/([0-9a-f-]+)$/;

/** The message beside a field named after an API path (ids like `conceptos[0].cantidad`). */
const errorDe = (html: string, campo: string) => new RegExp(`id="${campo.replace(/[.[\]]/g, '\\$&')}-error">([^<]*)<`).exec(html)?.[1];

const RECEPTOR = {
  'receptor.rfc': 'EKU9003173C9',
  'receptor.nombre': 'ESCUELA KEMPER URGATE',
  'receptor.domicilio_fiscal': '42501',
  'receptor.regimen_fiscal': '601',
  'receptor.uso_cfdi': 'G03',
};
const CONCEPTO = {
  'conceptos[0].clave_prod_serv': '43232408',
  'conceptos[0].descripcion': 'Desarrollo de software',
  'conceptos[0].cantidad': '2',
  'conceptos[0].clave_unidad': 'E48',
  'conceptos[0].valor_unitario': '500.00',
  'conceptos[0].objeto_imp': '02',
  'conceptos[0].impuestos': 'iva16',
};
const FACTURA = { ...RECEPTOR, forma_pago: '03', metodo_pago: 'PUE', moneda: 'MXN', ...CONCEPTO };

/** The form's hidden fields as drawn (CSRF token and idempotency key). */
async function ocultos(browser: Browser, path: string) {
  const html = await (await browser.get(path)).text();
  return {
    _csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]!,
    _idempotencia: /name="_idempotencia" value="([^"]+)"/.exec(html)![1]!,
  };
}

/** Posts the form and follows to the comprobante, until the queue has stamped it. */
async function emitir(browser: Browser, appId: string, tipo: string, campos: Record<string, string>) {
  const res = await browser.post(form(appId, tipo), { ...(await ocultos(browser, form(appId, tipo))), ...campos });
  if (res.status !== 303) throw new Error(`${res.status}: ${[...(await res.text()).matchAll(/class="error" id="([^"]+)">([^<]*)<|<li>([^<]*)</g)].map((m) => m.slice(1).join(" ")).join(" | ")}`);
  const id = detalle.exec(res.headers.get('Location') ?? '')![1]!;
  return waitFor(async () => {
    const f = await fila(id);
    return f?.status === 'timbrada' && f;
  }, `${tipo} timbrada`);
}

describe('issuing by hand in the panel', () => {
  it('a factura typed in: accepted once however often the form is sent, and stamped by the queue', async () => {
    const { app } = await createEmisor();
    const { browser } = await signedIn();
    const campos = { ...(await ocultos(browser, form(app.id, 'factura'))), ...FACTURA };
    const res = await browser.post(form(app.id, 'factura'), campos);
    expect(res.status).toBe(303);
    const otra = await browser.post(form(app.id, 'factura'), campos);
    expect(otra.headers.get('Location')).toBe(res.headers.get('Location'));
    const id = detalle.exec(res.headers.get('Location')!)![1]!;
    await waitFor(async () => (await fila(id))?.status === 'timbrada', 'timbrada');
    expect(await delApp(app.id)).toHaveLength(1);
    expect(await fila(id)).toMatchObject({ tipo: 'I', receptor_rfc: 'EKU9003173C9', subtotal: '1000.00', total: '1160.00' });
    expect(await (await browser.get(res.headers.get('Location')!)).text()).toContain('data-status="timbrada"');
  });

  it('a nota de crédito related to a stamped factura, and a complemento paying a PPD factura of a saved cliente', async () => {
    const { app } = await createEmisor();
    const { browser, csrf } = await signedIn();
    const { 'receptor.uso_cfdi': _, ...cliente } = RECEPTOR;
    await browser.post(`/admin/aplicaciones/${app.id}/clientes/nuevo`, {
      _csrf: csrf,
      ...Object.fromEntries(Object.entries(cliente).map(([k, v]) => [k.slice('receptor.'.length), v])),
      uso_cfdi: 'G03',
    });
    const clienteId = /name="cliente_id"[^]*?<option value="([0-9a-f-]{36})"/.exec(await (await browser.get(form(app.id, 'factura'))).text())![1]!;

    const { 'receptor.rfc': _r, 'receptor.nombre': _n, 'receptor.domicilio_fiscal': _d, 'receptor.regimen_fiscal': _g, 'receptor.uso_cfdi': _u, ...sinReceptor } = FACTURA;
    const ppd = await emitir(browser, app.id, 'factura', { ...sinReceptor, cliente_id: clienteId, forma_pago: '99', metodo_pago: 'PPD' });
    expect(ppd).toMatchObject({ cliente_id: clienteId, metodo_pago: 'PPD', total: '1160.00' });

    const nota = await emitir(browser, app.id, 'nota-credito', {
      ...FACTURA,
      'cfdi_relacionados[0].uuids[0]': ppd.uuid!,
      'conceptos[0].cantidad': '1',
      'conceptos[0].clave_prod_serv': '84111506',
      'conceptos[0].clave_unidad': 'ACT',
      'conceptos[0].descripcion': 'Descuento',
      'conceptos[0].valor_unitario': '100.00',
      metodo_pago: 'PUE',
      'receptor.uso_cfdi': 'G02',
    });
    expect(nota).toMatchObject({ tipo: 'E', total: '116.00' });

    const pago = await emitir(browser, app.id, 'complemento-pago', {
      cliente_id: clienteId,
      'pagos[0].fecha_pago': '2026-11-20',
      'pagos[0].forma_pago': '03',
      'pagos[0].moneda': 'MXN',
      'pagos[0].documentos[0].uuid': ppd.uuid!,
      'pagos[0].documentos[0].imp_pagado': '500.00',
    });
    expect(pago).toMatchObject({ tipo: 'P', cliente_id: clienteId });
    expect(await delApp(app.id)).toHaveLength(3);
  });

  it('a bad RFC (the service) or a bad cantidad (the schema): the message beside its field, what was typed kept, nothing created', async () => {
    const { app } = await createEmisor();
    const { browser } = await signedIn();
    const enviar = async (campos: Record<string, string>) => {
      const res = await browser.post(form(app.id, 'factura'), { ...(await ocultos(browser, form(app.id, 'factura'))), ...FACTURA, ...campos });
      expect(res.status).toBe(422);
      return res.text();
    };
    const rfc = await enviar({ 'receptor.rfc': 'EKU9003173C8' });
    expect(errorDe(rfc, 'receptor.rfc')).toMatch(/RFC/);
    expect(errorDe(rfc, 'receptor.nombre')).toBeUndefined();
    expect(rfc).toContain('value="EKU9003173C8"');
    expect(rfc).toMatch(/<option value="E48" selected/);

    const cantidad = await enviar({ 'conceptos[0].cantidad': 'dos' });
    expect(errorDe(cantidad, 'conceptos[0].cantidad')).toMatch(/decimal/);
    expect(cantidad).toContain('value="dos"');
    expect(await delApp(app.id)).toEqual([]);

    // a refusal no field carries goes on top
    const sinCsd = await createApplication();
    const res = await browser.post(form(sinCsd.id, 'factura'), { ...(await ocultos(browser, form(sinCsd.id, 'factura'))), ...FACTURA });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/role="alert">No se pudo completar\.<ul><li>Falta el CSD del emisor\.<\/li>/);
    expect(await delApp(sinCsd.id)).toEqual([]);
  });

  it('no session goes to sign-in; a POST without CSRF is refused; another application’s cliente does not exist', async () => {
    const { app } = await createEmisor();
    const anon = new Browser();
    const res = await anon.get(form(app.id, 'factura'));
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toMatch(/^\/admin\/login\?volver=/);
    expect((await anon.post(form(app.id, 'factura'), FACTURA)).status).toBe(401);

    const { browser, csrf } = await signedIn();
    expect((await browser.post(form(app.id, 'factura'), FACTURA)).status).toBe(403);

    const otra = await createApplication();
    await browser.post(`/admin/aplicaciones/${otra.id}/clientes/nuevo`, { _csrf: csrf, rfc: 'EKU9003173C9', nombre: 'KEMPER', domicilio_fiscal: '42501', regimen_fiscal: '601' });
    const ajeno = /name="cliente_id"[^]*?<option value="([0-9a-f-]{36})"/.exec(await (await browser.get(form(otra.id, 'factura'))).text())![1]!;
    const { 'receptor.rfc': _r, 'receptor.nombre': _n, 'receptor.domicilio_fiscal': _d, 'receptor.regimen_fiscal': _g, 'receptor.uso_cfdi': _u, ...sinReceptor } = FACTURA;
    const robo = await browser.post(form(app.id, 'factura'), { ...(await ocultos(browser, form(app.id, 'factura'))), ...sinReceptor, cliente_id: ajeno });
    // as through the API: a cliente of another application does not exist for this one
    expect(robo.status).toBe(422);
    expect(errorDe(await robo.text(), 'cliente_id')).toMatch(/no existe/);
    expect(await delApp(app.id)).toEqual([]);
  });
});
