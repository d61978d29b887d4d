import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pemToDer, verificarCfdi } from '../../cfdi';
import { getDb } from '../../db/client';
import { eventos, facturas } from '../../db/schema';
import worker from '../../../worker';
import { procesarFactura } from '../../jobs/procesar-factura';
import { uuidv7 } from '../../lib/ids';
import { SandboxPac } from '../../pac/sandbox';
import { depsDe } from '../../deps';
import {
  api,
  createEmisor,
  createTenant,
  expectError,
  facturaBase,
  guardarParaOraculo,
  insertarFactura,
  insertarPendiente,
  json,
  waitFor,
} from '../../../test/helpers';

const db = () => getDb(env);

async function crear(token: string, body: unknown = facturaBase(), headers: Record<string, string> = {}) {
  return api('POST', '/facturas', { token, body, headers });
}

async function esperarEstado(token: string, id: string, estados = ['timbrada', 'rechazada', 'error']) {
  return waitFor(async () => {
    const f = await json(await api('GET', `/facturas/${id}`, { token }));
    return estados.includes(f.status) ? f : null;
  }, `factura ${id} in ${estados.join('|')}`);
}

const eventosDe = (id: string) => db().select().from(eventos).where(eq(eventos.factura_id, id));

describe('POST /facturas — happy', () => {
  it('202 → queue → ProcesarFacturaJob → timbrada, with XML and PDF in R2, history and a valid stamp', async () => {
    const { token } = await createEmisor();
    const res = await crear(token);
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body.status).toBe('pendiente');
    expect(res.headers.get('Location')).toBe(`http://hexafac.test${body.links.self}`);

    const f = await esperarEstado(token, body.id);
    expect(f.status).toBe('timbrada');
    expect(f.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(f.subtotal).toBe('1000.00');
    expect(f.total).toBe('1160.00');
    expect(f.serie).toBe('F');
    expect(f.historial.map((e: any) => e.type)).toEqual(['factura.creada', 'factura.timbrada']);

    const xmlRes = await api('GET', `/facturas/${f.id}/xml`, { token });
    expect(xmlRes.headers.get('Content-Type')).toContain('application/xml');
    const xml = await xmlRes.text();
    expect(xml).toContain(`UUID="${f.uuid}"`);
    const v = await verificarCfdi(xml, { pacCertificates: [pemToDer(env.SANDBOX_PAC_CERT_PEM)] });
    expect(v.valido).toBe(true);
    expect(v.timbre?.selloSat).toBe('valido');
    await guardarParaOraculo('api-factura-ingreso', xml);

    const pdf = await api('GET', `/facturas/${f.uuid}/pdf`, { token });
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });

  it('assigns monotonic folios per serie and keeps a given serie/folio', async () => {
    const { token } = await createEmisor();
    const a = await json(await crear(token));
    const b = await json(await crear(token));
    const fa = await json(await api('GET', `/facturas/${a.id}`, { token }));
    const fb = await json(await api('GET', `/facturas/${b.id}`, { token }));
    expect(Number(fb.folio)).toBe(Number(fa.folio) + 1);
    const c = await json(await crear(token, facturaBase({ serie: 'MOST', folio: 'A-77' })));
    const fc = await json(await api('GET', `/facturas/${c.id}`, { token }));
    expect([fc.serie, fc.folio]).toEqual(['MOST', 'A-77']);
    await expectError(await crear(token, facturaBase({ serie: 'MOST', folio: 'A-77' })), 409, 'folio_duplicado');
  });

  it('an automatic folio skips the ones a client took by hand in the same serie', async () => {
    const { token } = await createEmisor();
    for (const folio of ['1', '2']) expect((await crear(token, facturaBase({ serie: 'F', folio }))).status).toBe(202);
    const auto = await crear(token);
    expect(auto.status).toBe(202);
    const f = await json(await api('GET', `/facturas/${(await json(auto)).id}`, { token }));
    expect([f.serie, f.folio]).toEqual(['F', '3']);
  });

  it('Idempotency-Key: same body → the original answer; other body → 409; one invoice only', async () => {
    const { app, token } = await createEmisor();
    const headers = { 'Idempotency-Key': 'pedido-42' };
    const first = await crear(token, facturaBase(), headers);
    const again = await crear(token, facturaBase(), headers);
    expect(again.status).toBe(202);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(again)).id).toBe((await json(first)).id);
    await expectError(await crear(token, facturaBase({ condiciones_de_pago: 'otra' }), headers), 409, 'idempotency_key_reused');
    const rows = await db().select().from(facturas).where(eq(facturas.client_application_id, app.id));
    expect(rows).toHaveLength(1);
  });

  it('accepts cliente_id in place of an inline receptor', async () => {
    const { token } = await createEmisor();
    const cliente = await json(
      await api('POST', '/clientes', {
        token,
        body: { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' },
      }),
    );
    const { receptor: _, ...sinReceptor } = facturaBase();
    const res = await crear(token, { ...sinReceptor, cliente_id: cliente.id });
    expect(res.status).toBe(202);
    const f = await esperarEstado(token, (await json(res)).id);
    expect(f.cliente_id).toBe(cliente.id);
    expect(f.status).toBe('timbrada');
  });
});

describe('POST /facturas — the architecture issue\'s bugs', () => {
  const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

  it('updated_at is an RFC 3339 timestamp in the API and in every webhook payload, after each transition', async () => {
    const { token } = await createEmisor();
    const ids = await Promise.all(Array.from({ length: 11 }, async () => (await json(await crear(token))).id as string));
    for (const id of ids) {
      const f = await esperarEstado(token, id);
      expect(f.updated_at).toMatch(RFC3339);
      expect(Number.isNaN(Date.parse(f.updated_at))).toBe(false);
      const timbrada = (await eventosDe(id)).find((e) => e.type === 'factura.timbrada')!;
      expect((timbrada.data as { updated_at: string }).updated_at).toMatch(RFC3339);
      expect((timbrada.data as { updated_at: string }).updated_at).toBe(f.updated_at);
    }
  });

  it('an inline receptor RFC gets the same check (date, check digit) as a stored cliente', async () => {
    const { token } = await createEmisor();
    const base = facturaBase();
    for (const rfc of ['EKU9003173C8', 'EKU9013173C9']) {
      const e = await expectError(await crear(token, { ...base, receptor: { ...base.receptor, rfc } }), 422, 'validation_error');
      expect(e.details.map((d) => d.path)).toContain('receptor.rfc');
    }
    expect(await db().select().from(facturas).where(eq(facturas.receptor_rfc, 'EKU9003173C8'))).toEqual([]);
  });

  it('the PDF is drawn on its first download from the stored XML, then served from R2', async () => {
    const { token } = await createEmisor();
    const f = await esperarEstado(token, (await json(await crear(token))).id);
    const fila = (await db().select().from(facturas).where(eq(facturas.id, f.id)).get())!;
    const carpeta = fila.xml_key!.slice(0, fila.xml_key!.lastIndexOf('/') + 1);
    const pdfs = async () => (await env.CFDI_BUCKET.list({ prefix: carpeta })).objects.map((o) => o.key).filter((k) => k.includes(f.uuid) && k.endsWith('.pdf'));
    expect(await pdfs()).toEqual([]);
    const primera = new Uint8Array(await (await api('GET', `/facturas/${f.id}/pdf`, { token })).arrayBuffer());
    expect(new TextDecoder().decode(primera.slice(0, 5))).toBe('%PDF-');
    expect(await pdfs()).toHaveLength(1);
    const segunda = new Uint8Array(await (await api('GET', `/facturas/${f.id}/pdf`, { token })).arrayBuffer());
    expect(segunda).toEqual(primera);
    expect(await pdfs()).toHaveLength(1);
  });
});

describe('POST /facturas — errors', () => {
  it('422 lists every fiscal problem with its path, and stores nothing', async () => {
    const { app, token } = await createEmisor();
    const body = facturaBase({ metodo_pago: 'PPD', moneda: 'USD' });
    (body.conceptos[0] as any).objeto_imp = '01';
    const err = await expectError(await crear(token, body), 422, 'validation_error');
    const paths = err.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['forma_pago', 'tipo_cambio', 'conceptos[0].impuestos']));
    expect(await db().select().from(facturas).where(eq(facturas.client_application_id, app.id))).toHaveLength(0);
  });

  it('422 for shape errors, both receptor and cliente_id, or neither', async () => {
    const { token } = await createEmisor();
    const e1 = await expectError(await crear(token, { conceptos: 'x' }), 422);
    expect(e1.details.length).toBeGreaterThan(0);
    // Shape messages are Spanish too (src/lib/mensajes.ts).
    expect(e1.details.find((d) => d.path === 'conceptos')!.message).toBe('Debe ser una lista.');
    await expectError(await crear(token, { ...facturaBase(), cliente_id: uuidv7() }), 422);
    const { receptor: _, ...sin } = facturaBase();
    const e3 = await expectError(await crear(token, sin), 422);
    expect(e3.details[0]!.path).toBe('receptor');
    const e4 = await expectError(await crear(token, { ...sin, cliente_id: uuidv7() }), 422);
    expect(e4.details[0]!.path).toBe('cliente_id');
  });

  it('400 for invalid JSON, 422 without a CSD', async () => {
    const { token } = await createEmisor();
    await expectError(await crear(token, '{"receptor":'), 400, 'invalid_json');
    const sinCsd = await createTenant();
    await expectError(await crear(sinCsd.token), 422, 'csd_no_configurado');
  });

  it('409 when the XML is asked for before it is stamped', async () => {
    const { app, token } = await createEmisor();
    const id = await insertarPendiente(app.id);
    await expectError(await api('GET', `/facturas/${id}/xml`, { token }), 409, 'factura_no_timbrada');
  });
});

describe('facturas — security', () => {
  it('401 without a key, 403 without the scope', async () => {
    await expectError(await crear(''), 401);
    const { token } = await createEmisor({ scopes: ['facturas:read'] });
    await expectError(await crear(token), 403, 'insufficient_scope');
    const w = await createEmisor({ scopes: ['facturas:write'] });
    await expectError(await api('GET', '/facturas', { token: w.token }), 403, 'insufficient_scope');
  });

  it("another application's or the other mode's invoice is a 404, in every read", async () => {
    const a = await createEmisor();
    const b = await createEmisor();
    const f = await esperarEstado(a.token, (await json(await crear(a.token))).id);
    for (const path of [`/facturas/${f.id}`, `/facturas/${f.uuid}`, `/facturas/${f.id}/xml`, `/facturas/${f.id}/pdf`]) {
      await expectError(await api('GET', path, { token: b.token }), 404, 'not_found');
    }
    expect((await json(await api('GET', '/facturas', { token: b.token }))).data).toEqual([]);
    const { createKey } = await import('../../../test/helpers');
    const live = await createKey(a.app.id, { mode: 'live' });
    await expectError(await api('GET', `/facturas/${f.id}`, { token: live }), 404);
    expect((await json(await api('GET', '/facturas', { token: live }))).data).toEqual([]);
  });
});

describe('GET /facturas', () => {
  it('pages with a cursor, newest first, and filters', async () => {
    const { token } = await createEmisor();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json(await crear(token))).id);
    const p1 = await json(await api('GET', '/facturas?limit=2', { token }));
    expect(p1.data.map((f: any) => f.id)).toEqual([ids[2], ids[1]]);
    const p2 = await json(await api('GET', `/facturas?limit=2&cursor=${p1.next_cursor}`, { token }));
    expect(p2.data.map((f: any) => f.id)).toEqual([ids[0]]);
    expect(p2.next_cursor).toBeNull();
    expect((await json(await api('GET', '/facturas?receptor_rfc=XAXX010101000', { token }))).data).toEqual([]);
    expect((await json(await api('GET', '/facturas?receptor_rfc=eku9003173c9', { token }))).data).toHaveLength(3);
    await expectError(await api('GET', '/facturas?limit=500', { token }), 422);
    await expectError(await api('GET', '/facturas?cursor=nope', { token }), 422);
  });
});

describe('ProcesarFacturaJob — at-least-once', () => {
  it('a duplicated message (two at once) stamps once: one UUID, one timbrada event', async () => {
    const { token } = await createEmisor();
    const { id } = await json(await crear(token));
    const f = await esperarEstado(token, id);
    const batch = createMessageBatch('hexafac-facturas', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { kind: 'timbrar', id } },
      { id: 'm2', timestamp: new Date(), attempts: 1, body: { kind: 'timbrar', id } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as any, env, createExecutionContext());
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2']);
    const despues = await json(await api('GET', `/facturas/${id}`, { token }));
    expect(despues.uuid).toBe(f.uuid);
    expect((await eventosDe(id)).filter((e) => e.type === 'factura.timbrada')).toHaveLength(1);
  });

  it('retries spent on an internal failure → the dead-letter consumer marks the invoice error with the last reason', async () => {
    const { app, token } = await createEmisor();
    // PACs that do not answer keep an invoice pendiente (test/workers/failover.test.ts); only a job that failed on
    // every delivery reaches the dead-letter queue
    const id = await insertarFactura(app.id, { intentos: 2, errores: [{ code: 'http_503', message: 'PAC no disponible' }] });
    const batch = createMessageBatch('hexafac-facturas-dlq', [{ id: 'd1', timestamp: new Date(), attempts: 1, body: { kind: 'timbrar', id } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as any, env, createExecutionContext());
    await getQueueResult(batch, ctx);
    const f = await json(await api('GET', `/facturas/${id}`, { token }));
    expect(f.status).toBe('error');
    expect(f.errores[0].code).toBe('reintentos_agotados');
    expect(f.errores[0].message).toContain('PAC no disponible');
    expect(f.historial.map((e: any) => e.type)).toEqual(['factura.error']);
  });

  it('a CFDI older than 72 h at stamping time is rechazada with the reason', async () => {
    const { app, token } = await createEmisor();
    // 96 h ago in Mexico City local time (UTC-6, no DST since 2022).
    const fecha = new Date(Date.now() - 96 * 3600e3 - 6 * 3600e3).toISOString().slice(0, 19);
    const id = await insertarPendiente(app.id, { fecha, ahora: new Date(Date.now() - 90 * 3600e3) });
    await procesarFactura(depsDe(env), id, 1);
    const f = await json(await api('GET', `/facturas/${id}`, { token }));
    expect(f.status).toBe('rechazada');
    expect(f.errores.map((e: any) => e.message).join(' ')).toMatch(/fecha/i);
  });

  it('a live key with no PAC configured ends in error, never sandbox-stamped', async () => {
    const { token } = await createEmisor({ mode: 'live' });
    const { id } = await json(await crear(token));
    const f = await esperarEstado(token, id);
    expect(f.status).toBe('error');
    expect(f.errores[0].code).toBe('pac_no_configurado');
    expect(f.uuid).toBeNull();
    const [evento] = await db().select().from(eventos).where(and(eq(eventos.factura_id, id), eq(eventos.type, 'factura.error')));
    expect(evento!.data).toMatchObject({ status: 'error', id });
  });
});

describe('sandbox PAC', () => {
  it('refuses a CFDI whose sello does not match', async () => {
    const { token } = await createEmisor();
    const f = await esperarEstado(token, (await json(await crear(token))).id);
    const xml = await (await api('GET', `/facturas/${f.id}/xml`, { token })).text();
    const sinTimbre = xml.replace(/<cfdi:Complemento>.*<\/cfdi:Complemento>/s, '').replace(/Total="1160.00"/, 'Total="1.00"');
    const pac = new SandboxPac({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store: env.CFDI_BUCKET });
    const r = await pac.timbrar(sinTimbre, { referencia: f.id, cuenta: 'prueba' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errores.map((e) => e.code)).toContain('CFDI40102');
  });
});
