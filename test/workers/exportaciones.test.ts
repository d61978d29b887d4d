import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { eventos, exportaciones, facturas } from '../../src/db/schema';
import { depsDe } from '../../src/deps';
import { barrer } from '../../src/jobs/barrido';
import { procesarExportacion } from '../../src/jobs/exportar';
import type { JobMessage } from '../../src/lib/queue';
import { crearExportacion, PLAZO_PASO_MS, type Progreso } from '../../src/services/exportaciones';
import { api, createEmisor, createKey, createTenant, expectError, facturaBase, insertarFactura, json, waitFor } from '../helpers';

// POST /exportaciones end to end on the real D1, queue and R2: the job runs in many small steps (forced slice and
// part sizes), the ZIP is read back here and every XML in it compared byte for byte with R2's.

const db = getDb(env);
const dia = (delta: number) => new Date(Date.now() + delta * 86_400_000).toISOString().slice(0, 10);
const RANGO = { desde: dia(-2), hasta: dia(1) };
const PARTE = 5 * 1024 * 1024;

interface Entrada {
  name: string;
  data: Uint8Array;
}

/** A small ZIP reader: the end record, the central directory, each local header, inflating method 8. */
async function leerZip(bytes: Uint8Array): Promise<Entrada[]> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = bytes.length - 22;
  expect(v.getUint32(eocd, true)).toBe(0x06054b50);
  const total = v.getUint16(eocd + 10, true);
  let p = v.getUint32(eocd + 16, true);
  const dec = new TextDecoder();
  const out: Entrada[] = [];
  for (let i = 0; i < total; i++) {
    expect(v.getUint32(p, true)).toBe(0x02014b50);
    expect(v.getUint16(p + 8, true) & 0x0800).toBe(0x0800);
    const method = v.getUint16(p + 10, true);
    const comprimido = v.getUint32(p + 20, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const offset = v.getUint32(p + 42, true);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen;
    expect(v.getUint32(offset, true)).toBe(0x04034b50);
    const inicio = offset + 30 + v.getUint16(offset + 26, true) + v.getUint16(offset + 28, true);
    const raw = bytes.subarray(inicio, inicio + comprimido);
    const data = method === 8 ? new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer()) : raw;
    out.push({ name, data: new Uint8Array(data) });
  }
  return out;
}

async function timbradas(token: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await json(await api('POST', '/facturas', { token, body: facturaBase() }))).id);
  await waitFor(async () => {
    const rows = await Promise.all(ids.map((id) => db.select().from(facturas).where(eq(facturas.id, id)).get()));
    return rows.every((r) => r?.status === 'timbrada' && r.xml_key && !r.xml_timbrado);
  }, 'timbradas', 25_000);
  return ids;
}

const lista = (token: string, id: string) =>
  waitFor(async () => {
    const r = await json(await api('GET', `/exportaciones/${id}`, { token }));
    return r.status === 'lista' || r.status === 'error' ? r : null;
  }, 'exportación lista', 25_000);

const eventosDe = (id: string) => db.select().from(eventos).where(and(eq(eventos.type, 'exportacion.lista'), eq(eventos.client_application_id, id))).all();

describe('POST /exportaciones', () => {
  let emisor: Awaited<ReturnType<typeof createEmisor>>;
  let ids: string[];
  beforeAll(async () => {
    emisor = await createEmisor();
    ids = await timbradas(emisor.token, 3);
    // a comprobante in range without a stamp: listed, no files
    await insertarFactura(emisor.app.id);
  }, 30_000);

  it('writes a ZIP in many steps and parts whose XMLs are byte-identical to R2, with PDFs and the manifest', async () => {
    const deps = depsDe(env);
    // 2 comprobantes per step: three steps, each carrying the tail that does not fill a part (R2's 5 MiB, which the
    // pool enforces as R2 does) to the next; scripts/exportacion-2000.ts fills many parts
    const r = await crearExportacion(deps, { applicationId: emisor.app.id, mode: 'test' }, { formato: 'zip', filtros: RANGO }, { porPaso: 2, tamanoParte: PARTE });
    const fin = await lista(emisor.token, r.value.id);
    expect(fin).toMatchObject({ status: 'lista', formato: 'zip', comprobantes: 4, error: null, links: { descarga: `/api/hexafac/v1/exportaciones/${r.value.id}/archivo` } });
    const row = (await db.select().from(exportaciones).where(eq(exportaciones.id, r.value.id)).get())!;
    const p = row.progreso as unknown as Progreso;
    expect(p.paso).toBe(3);
    expect(p.partes).toHaveLength(1);
    expect(p.escritos).toBe(fin.bytes);

    const res = await api('GET', `/exportaciones/${r.value.id}/archivo`, { token: emisor.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/zip');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBe(fin.bytes);
    const entradas = await leerZip(bytes);
    expect(entradas.map((e) => e.name).filter((n) => n.endsWith('.xml'))).toHaveLength(3);
    expect(entradas).toHaveLength(3 * 2 + 1);
    for (const id of ids) {
      const f = (await db.select().from(facturas).where(eq(facturas.id, id)).get())!;
      const nombre = `${f.fecha.slice(0, 7)}/${f.serie}${f.folio}-${f.uuid}`;
      const xml = entradas.find((e) => e.name === `${nombre}.xml`)!;
      const enR2 = new Uint8Array(await (await env.CFDI_BUCKET.get(f.xml_key!))!.arrayBuffer());
      expect(xml.data).toEqual(enR2);
      const pdf = entradas.find((e) => e.name === `${nombre}.pdf`)!;
      expect(new TextDecoder().decode(pdf.data.subarray(0, 5))).toBe('%PDF-');
    }
    const manifiesto = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(entradas.find((e) => e.name === 'manifiesto.csv')!.data);
    const lineas = manifiesto.split('\r\n');
    expect(lineas[0]).toBe('\uFEFFuuid,serie,folio,tipo,fecha,receptor_rfc,receptor_nombre,moneda,subtotal,total_impuestos_trasladados,total_impuestos_retenidos,total,status,xml,pdf');
    expect(lineas).toHaveLength(4 + 2);
    const sinTimbrar = lineas.find((l) => l.includes('pendiente'))!;
    if (!sinTimbrar) throw new Error(manifiesto);
    expect(sinTimbrar).toMatch(/^,T,/);
    expect(sinTimbrar, sinTimbrar).toMatch(/,pendiente,,$/);
    // the temporaries are gone and the event was recorded once
    expect((await env.CFDI_BUCKET.list({ prefix: `${emisor.app.id}/test/tmp/exportaciones/${r.value.id}/` })).objects).toHaveLength(0);
    expect((await eventosDe(emisor.app.id)).filter((e) => (e.data as { id: string }).id === r.value.id)).toHaveLength(1);
  });

  it('writes a CSV summary: BOM, header, the stored decimal strings and the taxes the XML declares', async () => {
    const res = await api('POST', '/exportaciones', { token: emisor.token, body: { formato: 'csv', ...RANGO, tipo: 'I' }, headers: { 'Idempotency-Key': 'csv-1' } });
    expect(res.status).toBe(202);
    const creada = await json(res);
    expect(res.headers.get('Location')).toBe(`http://hexafac.test/api/hexafac/v1/exportaciones/${creada.id}`);
    expect(creada).toMatchObject({ status: 'pendiente', formato: 'csv', filtros: { ...RANGO, tipo: 'I' } });
    const again = await api('POST', '/exportaciones', { token: emisor.token, body: { formato: 'csv', ...RANGO, tipo: 'I' }, headers: { 'Idempotency-Key': 'csv-1' } });
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(again)).id).toBe(creada.id);

    await lista(emisor.token, creada.id);
    const archivo = await api('GET', `/exportaciones/${creada.id}/archivo`, { token: emisor.token });
    expect(archivo.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const texto = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(await archivo.arrayBuffer());
    expect(texto.startsWith('\uFEFFuuid,serie,folio,tipo,fecha,')).toBe(true);
    const lineas = texto.split('\r\n').slice(1, -1);
    expect(lineas).toHaveLength(4);
    const f = (await db.select().from(facturas).where(eq(facturas.id, ids[0]!)).get())!;
    const xml = await (await env.CFDI_BUCKET.get(f.xml_key!))!.text();
    const trasladados = /<cfdi:Impuestos [^>]*TotalImpuestosTrasladados="([^"]+)"/.exec(xml.slice(xml.lastIndexOf('<cfdi:Impuestos ')))![1]!;
    const suya = lineas.find((l) => l.startsWith(`${f.uuid},`))!;
    expect(suya).toBe([f.uuid, f.serie, f.folio, 'I', f.fecha, f.receptor_rfc, f.receptor_nombre, f.moneda, f.subtotal, trasladados, '', f.total, 'timbrada'].join(','));
  });

  it('a text a spreadsheet would run as a formula is led by an apostrophe in the CSV', async () => {
    const otro = await createEmisor();
    await insertarFactura(otro.app.id, { receptor_nombre: '=HYPERLINK("http://x.test","y")' });
    const { id } = await json(await api('POST', '/exportaciones', { token: otro.token, body: { formato: 'csv', ...RANGO } }));
    await lista(otro.token, id);
    const texto = await (await api('GET', `/exportaciones/${id}/archivo`, { token: otro.token })).text();
    expect(texto).toContain(`,"'=HYPERLINK(""http://x.test"",""y"")",`);
  });

  it('a redelivered step stands down, and the committing message re-sends the next one, so no entry is written twice', async () => {
    const enviados: JobMessage[] = [];
    const deps = depsDe(env, undefined, { queue: { send: async (m: JobMessage) => void enviados.push(m) } as unknown as Queue<JobMessage> });
    const t = { applicationId: emisor.app.id, mode: 'test' as const };
    const { value } = await crearExportacion(deps, t, { formato: 'zip', filtros: RANGO }, { porPaso: 3, tamanoParte: PARTE });
    await waitFor(async () => enviados.length === 1, 'primer mensaje');
    expect(await procesarExportacion(deps, value.id, 1, { paso: 0, id: 'm0' })).toEqual({ action: 'ack' });
    expect(enviados.at(-1)).toEqual({ kind: 'exportar', id: value.id, paso: 1 });
    const tras0 = (await db.select().from(exportaciones).where(eq(exportaciones.id, value.id)).get())!;
    // a copy of step 0 from elsewhere: nothing changes, nothing is sent
    expect(await procesarExportacion(deps, value.id, 1, { paso: 0, id: 'otro' })).toEqual({ action: 'ack' });
    expect(enviados).toHaveLength(2);
    // step 0's own redelivery (its send may have been lost): the next message again, no new work
    await procesarExportacion(deps, value.id, 2, { paso: 0, id: 'm0' });
    expect(enviados).toHaveLength(3);
    expect((await db.select().from(exportaciones).where(eq(exportaciones.id, value.id)).get())!.progreso).toEqual(tras0.progreso);
    // a message ahead of the checkpoint does nothing
    expect(await procesarExportacion(deps, value.id, 1, { paso: 2, id: 'm2' })).toEqual({ action: 'ack' });
    expect((await db.select().from(exportaciones).where(eq(exportaciones.id, value.id)).get())!.progreso).toEqual(tras0.progreso);

    await procesarExportacion(deps, value.id, 1, { paso: 1, id: 'm1' });
    await procesarExportacion(deps, value.id, 1, { paso: 1, id: 'm1' });
    const fila = (await db.select().from(exportaciones).where(eq(exportaciones.id, value.id)).get())!;
    expect(fila.status).toBe('lista');
    const entradas = await leerZip(new Uint8Array(await (await env.CFDI_BUCKET.get(fila.archivo_key!))!.arrayBuffer()));
    expect(new Set(entradas.map((e) => e.name)).size).toBe(entradas.length);
    expect(entradas).toHaveLength(7);
    expect((await eventosDe(emisor.app.id)).filter((e) => (e.data as { id: string }).id === value.id)).toHaveLength(1);
  });

  it('a copy of a step another delivery holds stands down; past PLAZO_PASO_MS it takes the step up', async () => {
    const enviados: JobMessage[] = [];
    const queue = { send: async (m: JobMessage) => void enviados.push(m) } as unknown as Queue<JobMessage>;
    const deps = depsDe(env, undefined, { queue });
    const { value } = await crearExportacion(deps, { applicationId: emisor.app.id, mode: 'test' }, { formato: 'csv', filtros: RANGO }, { porPaso: 3 });
    await waitFor(async () => enviados.length === 1, 'primer mensaje');
    // a delivery took step 0 just now and was lost with its message (a wrangler dev reload, an evicted isolate)
    await env.DB.prepare(`UPDATE hexafac_exportaciones SET progreso = json_set(progreso, '$.tomado', 'perdido'), updated_at = ? WHERE id = ?`)
      .bind(new Date().toISOString(), value.id)
      .run();
    const progreso = async () => (await db.select().from(exportaciones).where(eq(exportaciones.id, value.id)).get())!.progreso as unknown as Progreso;
    expect(await procesarExportacion(deps, value.id, 1, { paso: 0, id: 'copia' })).toEqual({ action: 'ack' });
    expect(await progreso()).toMatchObject({ paso: 0, tomado: 'perdido', comprobantes: 0 });
    expect(enviados).toHaveLength(1);

    const despues = depsDe(env, undefined, { queue, clock: () => new Date(Date.now() + PLAZO_PASO_MS + 1000) });
    expect(await procesarExportacion(despues, value.id, 1, { paso: 0, id: 'copia' })).toEqual({ action: 'ack' });
    const p = await progreso();
    expect(p).toMatchObject({ paso: 1, mensaje: 'copia', comprobantes: 3 });
    expect(p.tomado).toBeUndefined();
    expect(enviados.at(-1)).toEqual({ kind: 'exportar', id: value.id, paso: 1 });
  });

  it('an export whose message was lost is taken up again by the cron, past a message retry chain', async () => {
    const perdido = depsDe(env, undefined, { queue: { send: async () => {} } as unknown as Queue<JobMessage> });
    const { value } = await crearExportacion(perdido, { applicationId: emisor.app.id, mode: 'test' }, { formato: 'csv', filtros: RANGO });
    const antes = await barrer(depsDe(env, undefined, { clock: () => new Date(Date.now() + 60_000) }));
    expect(antes.exportaciones).toBe(0);
    const tarde = await barrer(depsDe(env, undefined, { clock: () => new Date(Date.now() + 11 * 60_000) }));
    expect(tarde.exportaciones).toBeGreaterThanOrEqual(1);
    expect((await lista(emisor.token, value.id)).status).toBe('lista');
  });

  it('answers 409 for the file of an export not yet lista', async () => {
    const deps = depsDe(env, undefined, { queue: { send: async () => {} } as unknown as Queue<JobMessage> });
    const { value } = await crearExportacion(deps, { applicationId: emisor.app.id, mode: 'test' }, { formato: 'csv', filtros: RANGO });
    await expectError(await api('GET', `/exportaciones/${value.id}/archivo`, { token: emisor.token }), 409, 'exportacion_no_lista');
    expect((await json(await api('GET', `/exportaciones/${value.id}`, { token: emisor.token }))).links.descarga).toBeUndefined();
  });

  it.each([
    ['hasta before desde', { formato: 'zip', desde: '2026-11-10', hasta: '2026-11-01' }, 'hasta'],
    ['more than a year', { formato: 'zip', desde: '2025-01-01', hasta: '2026-01-05' }, 'hasta'],
    ['a day that does not exist', { formato: 'csv', desde: '2026-02-30', hasta: '2026-03-01' }, 'desde'],
    ['an unknown formato', { formato: 'xlsx', desde: '2026-11-01', hasta: '2026-11-02' }, 'formato'],
    ['an unknown field', { formato: 'zip', desde: '2026-11-01', hasta: '2026-11-02', rfc: 'X' }, 'rfc'],
    ['a draft status', { formato: 'zip', desde: '2026-11-01', hasta: '2026-11-02', status: 'borrador' }, 'status'],
  ])('refuses %s with 422 and stores nothing', async (_caso, body, path) => {
    const { app, token } = await createTenant();
    const e = await expectError(await api('POST', '/exportaciones', { token, body }), 422, 'validation_error');
    expect(e.details.map((d) => d.path)).toContain(path);
    expect(e.details.every((d) => d.code?.startsWith('HFX_'))).toBe(true);
    expect(await db.select().from(exportaciones).where(eq(exportaciones.client_application_id, app.id)).all()).toHaveLength(0);
  });
});

describe('exportaciones: security', () => {
  it('asks for a key, the read scope, and hides another tenant export as 404', async () => {
    const a = await createTenant();
    const { value } = await crearExportacion(depsDe(env, undefined, { queue: { send: async () => {} } as unknown as Queue<JobMessage> }), { applicationId: a.app.id, mode: 'test' }, { formato: 'csv', filtros: RANGO });
    await expectError(await api('POST', '/exportaciones', { body: { formato: 'csv', ...RANGO } }), 401, 'missing_api_key');
    await expectError(await api('GET', `/exportaciones/${value.id}`, { token: 'hfx_test_' + 'x'.repeat(43) }), 401, 'invalid_api_key');
    const sinLectura = await createKey(a.app.id, { scopes: ['clientes:read'] });
    await expectError(await api('POST', '/exportaciones', { token: sinLectura, body: { formato: 'csv', ...RANGO } }), 403, 'insufficient_scope');
    await expectError(await api('GET', `/exportaciones/${value.id}/archivo`, { token: sinLectura }), 403, 'insufficient_scope');
    const otro = await createTenant();
    await expectError(await api('GET', `/exportaciones/${value.id}`, { token: otro.token }), 404, 'not_found');
    await expectError(await api('GET', `/exportaciones/${value.id}/archivo`, { token: otro.token }), 404, 'not_found');
    // the same application in live mode is another tenant too
    const live = await createKey(a.app.id, { mode: 'live' });
    await expectError(await api('GET', `/exportaciones/${value.id}`, { token: live }), 404, 'not_found');
    expect(await api('GET', `/exportaciones/${value.id}`, { token: a.token }).then((r) => r.status)).toBe(200);
  });
});
