import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { clientApplications, eventos, facturas } from '../../src/db/schema';
import { depsDe } from '../../src/deps';
import { barrer } from '../../src/jobs/barrido';
import { procesarFactura } from '../../src/jobs/procesar-factura';
import { MINUTE } from '../../src/lib/time';
import { esperarFin, facturaPPD, facturaTimbrada } from '../comprobantes';
import { signedIn } from '../../admin/test-helpers';
import { api, createEmisor, createKey, createTenant, expectError, facturaBase, guardarParaOraculo, json, pacCon, pacsCon, sandboxPac } from '../helpers';

// Borradores end to end through the API: stored without folio nor PAC, edited by merge patch, previewed as a PDF
// marked BORRADOR, then sent to stamp, when (and only when) they take their folio.

const db = () => getDb(env);
const fila = async (id: string) => (await db().select().from(facturas).where(eq(facturas.id, id)).get())!;

const borrador = (token: string, body: Record<string, unknown> = facturaBase(), headers: Record<string, string> = {}, ruta = '/facturas') =>
  api('POST', ruta, { token, body: { ...body, borrador: true }, headers });

async function crearBorrador(token: string, body?: Record<string, unknown>, ruta = '/facturas') {
  const res = await borrador(token, body, {}, ruta);
  if (res.status !== 201) throw new Error(`borrador: ${res.status} ${await res.text()}`);
  return json(res);
}

/** The text of a PDF's content streams (pdf-lib deflates them), for the words drawn on its pages. */
async function textoDePdf(bytes: Uint8Array): Promise<string> {
  const latin = new TextDecoder('latin1');
  const crudo = latin.decode(bytes);
  const partes: string[] = [];
  for (const m of crudo.matchAll(/\/Filter \/FlateDecode\s*\/Length (\d+)\s*>>\s*stream\r?\n/g)) {
    const inicio = m.index! + m[0].length;
    const datos = bytes.slice(inicio, inicio + Number(m[1]));
    partes.push(latin.decode(await new Response(new Blob([datos]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer()));
  }
  return partes.join('\n');
}
const hex = (s: string) => [...s].map((ch) => ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()).join('');
const dibuja = (texto: string, palabra: string) => texto.includes(`(${palabra})`) || texto.toUpperCase().includes(`<${hex(palabra)}>`);

describe('borradores — happy', () => {
  it('draft → PATCH → preview PDF → timbrar → timbrada; folios only when sent to stamp, in that order', async () => {
    const { token } = await createEmisor();
    const res = await borrador(token);
    expect(res.status).toBe(201);
    const a = await json(res);
    expect(a).toMatchObject({ status: 'borrador', folio: null, serie: 'F', uuid: null, advertencias: [] });
    expect(a.links).toEqual({ self: `/api/hexafac/v1/facturas/${a.id}`, pdf: `/api/hexafac/v1/facturas/${a.id}/pdf`, timbrar: `/api/hexafac/v1/facturas/${a.id}/timbrar` });
    expect(res.headers.get('Location')).toBe(`http://hexafac.test${a.links.self}`);
    const b = await crearBorrador(token);
    expect((await fila(a.id)).folio).toBe('');

    const lista = await json(await api('GET', '/facturas?status=borrador', { token }));
    expect(lista.data.map((f: any) => f.id).sort()).toEqual([a.id, b.id].sort());
    expect(lista.data.every((f: any) => f.folio === null && f.status === 'borrador')).toBe(true);
    expect((await json(await api('GET', '/facturas?status=pendiente', { token }))).data).toEqual([]);

    // a merge patch: one field replaced, one added; the rest of the stored request stays
    const p = await api('PATCH', `/facturas/${a.id}`, { token, body: { condiciones_de_pago: 'Contado', forma_pago: '01' }, headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(p.status).toBe(200);
    expect(await json(p)).toMatchObject({ id: a.id, status: 'borrador', folio: null, total: '1160.00' });
    const conceptos = [{ ...facturaBase().conceptos[0]!, cantidad: '3' }];
    const p2 = await json(await api('PATCH', `/facturas/${a.id}`, { token, body: { conceptos } }));
    expect([p2.subtotal, p2.total]).toEqual(['1500.00', '1740.00']);
    expect((await fila(a.id)).datos).toMatchObject({ condiciones_de_pago: 'Contado', forma_pago: '01', conceptos });

    await expectError(await api('GET', `/facturas/${a.id}/xml`, { token }), 409, 'factura_no_timbrada');
    const pdf = await api('GET', `/facturas/${a.id}/pdf`, { token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    await env.TEST_OUTPUT.fetch('http://output/borradores/vista-previa.pdf', { method: 'PUT', body: bytes });
    expect(dibuja(await textoDePdf(bytes), 'BORRADOR')).toBe(true);
    // the issuer's branding is on it, as on its stamped PDF
    await db().update(clientApplications).set({ pie_pagina: 'Gracias por su compra' }).where(eq(clientApplications.id, (await fila(a.id)).client_application_id));
    const conMarca = new Uint8Array(await (await api('GET', `/facturas/${a.id}/pdf`, { token })).arrayBuffer());
    expect(dibuja(await textoDePdf(conMarca), 'Gracias por su compra')).toBe(true);
    expect(dibuja(await textoDePdf(bytes), 'Gracias por su compra')).toBe(false);
    // never cached as the stamped PDF: nothing of it in R2
    expect((await env.CFDI_BUCKET.list({ prefix: `${(await fila(a.id)).client_application_id}/` })).objects.filter((o) => o.key.endsWith('.pdf'))).toEqual([]);

    // b first, then a, then a normal factura: folios 1, 2, 3
    const tb = await api('POST', `/facturas/${b.id}/timbrar`, { token });
    expect(tb.status).toBe(202);
    expect(await json(tb)).toMatchObject({ id: b.id, status: 'pendiente', links: { self: `/api/hexafac/v1/facturas/${b.id}` } });
    expect(tb.headers.get('Location')).toBe(`http://hexafac.test/api/hexafac/v1/facturas/${b.id}`);
    expect((await api('POST', `/facturas/${a.id}/timbrar`, { token })).status).toBe(202);
    const c = await json(await api('POST', '/facturas', { token, body: facturaBase() }));
    const [fb, fa, fc] = [await esperarFin(token, '/facturas', b.id), await esperarFin(token, '/facturas', a.id), await esperarFin(token, '/facturas', c.id)];
    expect([fb, fa, fc].map((f) => [f.status, f.folio])).toEqual([['timbrada', '1'], ['timbrada', '2'], ['timbrada', '3']]);
    expect(fa.historial.map((e: any) => [e.type, e.status_nuevo])).toEqual([
      ['factura.creada', 'borrador'],
      ['factura.pendiente', 'pendiente'],
      ['factura.timbrada', 'timbrada'],
    ]);
    const pendiente = (await db().select().from(eventos).where(eq(eventos.factura_id, a.id))).find((e) => e.type === 'factura.pendiente')!;
    expect(pendiente.data).toMatchObject({ status: 'pendiente', folio: '2' });

    const xml = await (await api('GET', `/facturas/${a.id}/xml`, { token })).text();
    expect(xml).toContain('Folio="2"');
    expect(xml).toContain('CondicionesDePago="Contado"');
    expect(xml).toContain('SubTotal="1500.00"');
    await guardarParaOraculo('api-borrador-timbrado', xml);
    // once stamped it is no longer a draft
    await expectError(await api('PATCH', `/facturas/${a.id}`, { token, body: { forma_pago: '03' } }), 409, 'comprobante_no_borrador');
  });

  it('a folio the client gave is kept in the draft and applied only at timbrar; the application series names the serie', async () => {
    const { app, token } = await createEmisor();
    await db().update(clientApplications).set({ series: { I: 'WEB' } }).where(eq(clientApplications.id, app.id));
    const a = await crearBorrador(token, facturaBase({ folio: 'A-1' }));
    expect([a.serie, a.folio]).toEqual(['WEB', null]);
    // a second draft with the same folio is fine (a draft holds none yet); the second to timbrar meets it
    const b = await crearBorrador(token, facturaBase({ folio: 'A-1' }));
    expect((await api('POST', `/facturas/${a.id}/timbrar`, { token })).status).toBe(202);
    await expectError(await api('POST', `/facturas/${b.id}/timbrar`, { token }), 409, 'folio_duplicado');
    expect((await fila(b.id)).status).toBe('borrador');
    const fa = await esperarFin(token, '/facturas', a.id);
    expect([fa.status, fa.serie, fa.folio]).toEqual(['timbrada', 'WEB', 'A-1']);
    const normal = await esperarFin(token, '/facturas', (await json(await api('POST', '/facturas', { token, body: facturaBase() }))).id);
    expect([normal.serie, normal.folio]).toEqual(['WEB', '1']);
  });

  it('Idempotency-Key: a draft is created once; timbrar replays its 202; concurrent timbrar stamps once', async () => {
    const { app, token } = await createEmisor();
    const headers = { 'Idempotency-Key': 'borrador-1' };
    const uno = await borrador(token, facturaBase(), headers);
    const otra = await borrador(token, facturaBase(), headers);
    expect([uno.status, otra.status]).toEqual([201, 201]);
    expect(otra.headers.get('Idempotent-Replayed')).toBe('true');
    const d = await json(uno);
    expect((await json(otra)).id).toBe(d.id);
    // the same key for the same body as a real factura is another request
    await expectError(await api('POST', '/facturas', { token, body: facturaBase(), headers }), 409, 'idempotency_key_reused');

    const t = { 'Idempotency-Key': 'timbrar-1' };
    const t1 = await api('POST', `/facturas/${d.id}/timbrar`, { token, headers: t });
    const t2 = await api('POST', `/facturas/${d.id}/timbrar`, { token, headers: t });
    expect([t1.status, t2.status]).toEqual([202, 202]);
    expect(t2.headers.get('Idempotent-Replayed')).toBe('true');

    const e = await crearBorrador(token);
    const [r1, r2] = await Promise.all([api('POST', `/facturas/${e.id}/timbrar`, { token }), api('POST', `/facturas/${e.id}/timbrar`, { token })]);
    expect([r1.status, r2.status].sort()).toEqual([202, 409]);
    await expectError(r1.status === 409 ? r1 : r2, 409, 'comprobante_no_borrador');
    const fe = await esperarFin(token, '/facturas', e.id);
    expect(fe.historial.filter((x: any) => x.type === 'factura.pendiente')).toHaveLength(1);
    const filas = await db().select().from(facturas).where(eq(facturas.client_application_id, app.id));
    expect(filas).toHaveLength(2);
    await esperarFin(token, '/facturas', d.id);
    // two stamped, two folios, the counter at 2: the lost race burned none
    expect(filas.map((f) => f.id).sort()).toEqual([d.id, e.id].sort());
    const folios = (await db().select().from(facturas).where(eq(facturas.client_application_id, app.id))).map((f) => f.folio).sort();
    expect(folios).toEqual(['1', '2']);
  });

  it('DELETE discards a draft (204, then 404) with its history', async () => {
    const { token } = await createEmisor();
    const d = await crearBorrador(token);
    const res = await api('DELETE', `/facturas/${d.id}`, { token });
    expect(res.status).toBe(204);
    await expectError(await api('GET', `/facturas/${d.id}`, { token }), 404, 'not_found');
    await expectError(await api('DELETE', `/facturas/${d.id}`, { token }), 404, 'not_found');
    expect(await db().select().from(eventos).where(eq(eventos.factura_id, d.id))).toEqual([]);
  });

  it('a nota de crédito draft reserves no balance until it is stamped', async () => {
    const { token } = await createEmisor();
    const f = await facturaTimbrada(token, facturaPPD('1000.00'));
    const base = facturaBase();
    const cuerpo = {
      ...base,
      receptor: { ...base.receptor, uso_cfdi: 'G02' },
      cfdi_relacionados: [{ tipo_relacion: '01', uuids: [f.uuid] }],
      conceptos: [{ ...base.conceptos[0]!, clave_prod_serv: '84111506', clave_unidad: 'ACT', cantidad: '1', valor_unitario: '100.00' }],
    };
    const nc = await crearBorrador(token, cuerpo, '/notas-credito');
    expect(nc.links.self).toBe(`/api/hexafac/v1/notas-credito/${nc.id}`);
    expect(nc.links.timbrar).toBe(`/api/hexafac/v1/notas-credito/${nc.id}/timbrar`);
    expect((await json(await api('GET', `/facturas/${f.id}`, { token }))).saldo.saldo_insoluto).toBe('1160.00');
    // an amount over the balance is refused like at creation
    const mucho = { conceptos: [{ ...cuerpo.conceptos[0]!, valor_unitario: '5000.00' }] };
    await expectError(await api('PATCH', `/notas-credito/${nc.id}`, { token, body: mucho }), 422, 'excede_saldo');
    expect((await api('POST', `/notas-credito/${nc.id}/timbrar`, { token })).status).toBe(202);
    const fin = await esperarFin(token, '/notas-credito', nc.id);
    expect([fin.status, fin.serie, fin.folio]).toEqual(['timbrada', 'NC', '1']);
    expect((await json(await api('GET', `/facturas/${f.id}`, { token }))).saldo.saldo_insoluto).toBe('1044.00');
    await guardarParaOraculo('api-borrador-nota-credito', await (await api('GET', `/facturas/${nc.id}/xml`, { token })).text());
  });
});

describe('borradores — drafts never reach a PAC', () => {
  it('a draft with a queue message sent by hand stays borrador, with no PAC call; the sweep never sends one', async () => {
    const { token } = await createEmisor();
    const d = await crearBorrador(token);
    let llamadas = 0;
    const real = sandboxPac();
    const contado = pacCon(real, { timbrar: (xml, o) => (llamadas++, real.timbrar(xml, o)) });
    const deps = depsDe(env, undefined, { pacs: pacsCon([contado]) });
    expect(await procesarFactura(deps, d.id, 1)).toEqual({ action: 'ack' });
    expect((await fila(d.id)).status).toBe('borrador');
    // an old draft looks like a forgotten pendiente by its age alone
    await db().update(facturas).set({ updated_at: new Date(Date.now() - 60 * MINUTE).toISOString() }).where(eq(facturas.id, d.id));
    const enviados: unknown[] = [];
    const queue = { sendBatch: async (m: { body: unknown }[]) => void enviados.push(...m.map((x) => x.body)), send: async (b: unknown) => void enviados.push(b) };
    await barrer(depsDe(env, undefined, { queue: queue as unknown as Queue, pacs: pacsCon([contado]) }));
    expect(enviados).not.toContainEqual({ kind: 'timbrar', id: d.id });
    expect(llamadas).toBe(0);
    // the same counting PAC does stamp a real one: the count can move
    const timbrada = await api('POST', `/facturas/${d.id}/timbrar`, { token });
    expect(timbrada.status).toBe(202);
    expect((await procesarFactura(deps, d.id, 1)).action).toBe('ack');
    expect(llamadas).toBe(1);
  });
});

describe('borradores — errors', () => {
  it('a draft that breaks the SAT rules is refused like a real one, and nothing is stored', async () => {
    const { app, token } = await createEmisor();
    const base = facturaBase();
    const e = await expectError(await borrador(token, { ...base, receptor: { ...base.receptor, uso_cfdi: 'CN01' } }), 422, 'validation_error');
    expect(e.details.map((d) => d.path)).toContain('receptor.uso_cfdi');
    expect(await db().select().from(facturas).where(eq(facturas.client_application_id, app.id))).toEqual([]);
    // borrador is for creation only: a sustitución's body has no such field
    const f = await facturaTimbrada(token, facturaBase());
    await expectError(await api('POST', `/facturas/${f.id}/sustituir`, { token, body: { ...facturaBase(), borrador: true } }), 422, 'validation_error');
  });

  it('PATCH that makes it invalid is a 422 and the draft does not change; non-drafts are 409', async () => {
    const { token } = await createEmisor();
    const d = await crearBorrador(token);
    const antes = await fila(d.id);
    const e = await expectError(await api('PATCH', `/facturas/${d.id}`, { token, body: { metodo_pago: 'PPD' } }), 422, 'validation_error');
    expect(e.details.map((x) => x.path)).toContain('forma_pago');
    // both receptor and cliente_id: the request's own rule
    await expectError(await api('PATCH', `/facturas/${d.id}`, { token, body: { cliente_id: '019ab1c2-0000-7000-8000-0000000000c1' } }), 422, 'validation_error');
    expect(await fila(d.id)).toEqual(antes);
    await expectError(await api('PATCH', `/facturas/${d.id}`, { token, body: '[1]' }), 422);

    const f = await facturaTimbrada(token, facturaBase());
    for (const [method, path] of [['PATCH', `/facturas/${f.id}`], ['POST', `/facturas/${f.id}/timbrar`], ['DELETE', `/facturas/${f.id}`]] as const) {
      const err = await expectError(await api(method, path, { token, ...(method === 'PATCH' ? { body: { forma_pago: '01' } } : {}) }), 409, 'comprobante_no_borrador');
      expect(err.message).toMatch(/^El comprobante está timbrado: solo un borrador se puede/);
    }
  });

  it('timbrar of a draft that no longer passes (its fixed fecha is past 72 h, no CSD) is a 422 and it stays a draft', async () => {
    const { token } = await createEmisor();
    const d = await crearBorrador(token);
    const f = await fila(d.id);
    await db().update(facturas).set({ datos: { ...f.datos, fecha: '2020-01-01T10:00:00' } }).where(eq(facturas.id, d.id));
    const e = await expectError(await api('POST', `/facturas/${d.id}/timbrar`, { token }), 422, 'validation_error');
    expect(e.details.map((x) => x.path)).toContain('fecha');
    expect((await fila(d.id)).status).toBe('borrador');

    const sinCsd = await createTenant();
    const s = await crearBorrador(sinCsd.token);
    await expectError(await api('POST', `/facturas/${s.id}/timbrar`, { token: sinCsd.token }), 422, 'csd_no_configurado');
    const despues = await fila(s.id);
    expect([despues.status, despues.folio]).toEqual(['borrador', '']);
  });
});

describe('borradores — security', () => {
  it('no key → 401; a read key → 403; another tenant’s draft → 404 on PATCH, timbrar, DELETE and pdf', async () => {
    const { token } = await createEmisor();
    const d = await crearBorrador(token);
    const ops = [
      ['PATCH', `/facturas/${d.id}`, { forma_pago: '01' }],
      ['POST', `/facturas/${d.id}/timbrar`, undefined],
      ['DELETE', `/facturas/${d.id}`, undefined],
      ['PATCH', `/notas-credito/${d.id}`, { forma_pago: '01' }],
      ['POST', `/notas-credito/${d.id}/timbrar`, undefined],
    ] as const;
    const otro = await createEmisor();
    const { app } = await createTenant();
    const lectura = await createKey(app.id, { scopes: ['facturas:read'] });
    for (const [method, path, body] of ops) {
      await expectError(await api(method, path, { body }), 401, 'missing_api_key');
      await expectError(await api(method, path, { token: lectura, body }), 403, 'insufficient_scope');
      await expectError(await api(method, path, { token: otro.token, body }), 404, 'not_found');
    }
    await expectError(await api('GET', `/facturas/${d.id}/pdf`, { token: otro.token }), 404, 'not_found');
    // a factura's draft is not a nota de crédito's
    await expectError(await api('PATCH', `/notas-credito/${d.id}`, { token, body: { forma_pago: '01' } }), 404, 'not_found');
    await expectError(await api('POST', `/notas-credito/${d.id}/timbrar`, { token }), 404, 'not_found');
    expect((await fila(d.id)).status).toBe('borrador');
    expect((await fila(d.id)).datos).not.toHaveProperty('forma_pago', '01');
  });
});

describe('borradores — admin panel', () => {
  it('the list and the page of a draft render, with its Borrador badge', async () => {
    const { app, token } = await createEmisor();
    const d = await crearBorrador(token);
    const { browser } = await signedIn();
    const lista = await browser.get(`/admin/aplicaciones/${app.id}/facturas?status=borrador`);
    expect(lista.status).toBe(200);
    const html = await lista.text();
    expect(html).toContain(d.id);
    expect(html).toContain('Borrador');
    const pagina = await browser.get(`/admin/aplicaciones/${app.id}/facturas/${d.id}`);
    expect(pagina.status).toBe(200);
    expect(await pagina.text()).toContain('Borrador');
  });
});
