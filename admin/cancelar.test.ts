import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../src/db/client';
import { eventos, facturas, type FacturaStatus } from '../src/db/schema';
import { uuidv7 } from '../src/lib/ids';
import { api, createApplication, createEmisor, facturaBase, json, waitFor } from '../test/helpers';
import { type Browser, fieldError, signedIn } from './test-helpers';

const db = () => getDb(env);
const fila = (id: string) => db().select().from(facturas).where(eq(facturas.id, id)).get();
const detalle = (appId: string, id: string) => `/admin/aplicaciones/${appId}/facturas/${id}`;

/** A row that looks stamped, straight into D1: for the refusals, which never reach the PAC. */
async function sembrar(appId: string, over: Partial<typeof facturas.$inferInsert> = {}) {
  const id = uuidv7();
  await db()
    .insert(facturas)
    .values({
      id,
      client_application_id: appId,
      mode: 'test',
      tipo: 'I',
      status: 'timbrada',
      serie: 'A',
      folio: id.slice(-8),
      receptor_rfc: 'EKU9003173C9',
      receptor_nombre: 'ESCUELA KEMPER URGATE',
      moneda: 'MXN',
      subtotal: '1000.00',
      total: '1160.00',
      fecha: '2026-05-10T12:00:00',
      datos: {},
      uuid: crypto.randomUUID().toUpperCase(),
      ...over,
    });
  return id;
}

const cancelar = (browser: Browser, appId: string, id: string, fields: Record<string, string>) =>
  browser.post(`${detalle(appId, id)}/cancelar`, fields);

describe('cancelling an invoice from its detail page', () => {
  it('a stamped invoice: the form posts, the request goes to the queue, and it ends cancelada with its acuse', async () => {
    const { app, token } = await createEmisor();
    const { id } = await json(await api('POST', '/facturas', { token, body: facturaBase() }));
    await waitFor(async () => (await fila(id))?.status === 'timbrada', 'timbrada');
    const { browser, csrf } = await signedIn();

    const before = await (await browser.get(detalle(app.id, id))).text();
    expect(before).toContain(`action="${detalle(app.id, id)}/cancelar"`);
    for (const m of ['01 — Comprobante emitido con errores con relación', '02 — Comprobante emitido con errores sin relación', '03 — No se llevó a cabo la operación', '04 — Operación nominativa relacionada en una factura global']) {
      expect(before).toContain(m);
    }
    expect(before).not.toContain('/acuse"');

    const res = await cancelar(browser, app.id, id, { _csrf: csrf, motivo: '02', folio_sustitucion: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${detalle(app.id, id)}?aviso=factura_cancelacion`);
    expect(await (await browser.get(res.headers.get('Location')!)).text()).toContain('Cancelación solicitada.');

    const cancelada = await waitFor(async () => {
      const f = await fila(id);
      return f?.status === 'cancelada' ? f : null;
    }, 'cancelada');
    expect(cancelada).toMatchObject({ cancelacion_motivo: '02', cancelacion_folio_sustitucion: null });
    const tipos = (await db().select().from(eventos).where(eq(eventos.factura_id, id)).orderBy(eventos.id).all()).map((e) => e.status_nuevo);
    expect(tipos).toEqual(['pendiente', 'timbrada', 'cancelacion_pendiente', 'cancelada']);

    const after = await (await browser.get(detalle(app.id, id))).text();
    expect(after).toContain('data-status="cancelada"');
    expect(after).not.toContain('/cancelar"');
    expect(after).toContain('02 — Comprobante emitido con errores sin relación');
    expect(after).toContain(`href="${detalle(app.id, id)}/acuse"`);
    const acuse = await browser.get(`${detalle(app.id, id)}/acuse`);
    expect(acuse.status).toBe(200);
    expect(acuse.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".+-acuse\.xml"$/);
    const stored = await env.CFDI_BUCKET.get(cancelada.acuse_key!);
    expect(await acuse.text()).toBe(await stored!.text());
  });

  it('motivo 01 without folio: the field’s error beside it, what was typed kept, nothing changed', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const id = await sembrar(app.id);

    const res = await cancelar(browser, app.id, id, { _csrf: csrf, motivo: '01', folio_sustitucion: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'folio_sustitucion')).toMatch(/motivo 01 requiere/);
    expect(fieldError(html, 'motivo')).toBeUndefined();
    expect(html).toMatch(/<option value="01" selected/);

    const ajeno = await cancelar(browser, app.id, id, { _csrf: csrf, motivo: '03', folio_sustitucion: 'no-es-un-uuid' });
    expect(ajeno.status).toBe(422);
    const html2 = await ajeno.text();
    expect(fieldError(html2, 'folio_sustitucion')).toMatch(/Solo el motivo 01/);
    expect(html2).toMatch(/<option value="03" selected/);
    expect(html2).toMatch(/id="folio_sustitucion"[^>]*value="no-es-un-uuid"/);

    const sinMotivo = await (await cancelar(browser, app.id, id, { _csrf: csrf, motivo: '', folio_sustitucion: '' })).text();
    expect(fieldError(sinMotivo, 'motivo')).toMatch(/01, 02, 03 o 04/);

    expect((await fila(id))?.status).toBe('timbrada');
  });

  it('a cancelación rechazada offers the form again; an invoice that cannot be cancelled gets none, and a POST says why (409)', async () => {
    const { browser, csrf } = await signedIn();
    const app = await createApplication();
    const rechazada = await sembrar(app.id, { status: 'cancelacion_rechazada' });
    expect(await (await browser.get(detalle(app.id, rechazada))).text()).toContain(`${detalle(app.id, rechazada)}/cancelar`);

    for (const [status, message] of [
      ['cancelacion_pendiente', 'Ya hay una solicitud de cancelación en curso'],
      ['cancelada', 'El comprobante ya está cancelado.'],
      ['pendiente', 'solo un CFDI timbrado puede cancelarse'],
    ] as [FacturaStatus, string][]) {
      const id = await sembrar(app.id, { status });
      expect(await (await browser.get(detalle(app.id, id))).text()).not.toContain('/cancelar"');
      const res = await cancelar(browser, app.id, id, { _csrf: csrf, motivo: '02', folio_sustitucion: '' });
      expect(res.status).toBe(409);
      expect(await res.text()).toMatch(new RegExp(`class="alert alert-error" role="alert">[^<]*${message}`));
      expect((await fila(id))?.status).toBe(status);
    }
  });

  it('a POST without the CSRF token is refused with 403 and changes nothing', async () => {
    const { browser, csrf } = await signedIn();
    const other = await signedIn();
    const app = await createApplication();
    const id = await sembrar(app.id);
    expect((await cancelar(browser, app.id, id, { motivo: '02' })).status).toBe(403);
    expect((await cancelar(browser, app.id, id, { _csrf: other.csrf, motivo: '02' })).status).toBe(403);
    expect(csrf).not.toBe(other.csrf);
    expect((await fila(id))?.status).toBe('timbrada');
  });

  it('another application’s invoice, or the other mode’s, is a 404 and is not cancelled', async () => {
    const { browser, csrf } = await signedIn();
    const mine = await createApplication();
    const theirs = await createApplication();
    const foreign = await sembrar(theirs.id);
    const live = await sembrar(mine.id, { mode: 'live' });
    for (const id of [foreign, live]) {
      const res = await cancelar(browser, mine.id, id, { _csrf: csrf, motivo: '02' });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('No encontrado');
      expect((await fila(id))?.status).toBe('timbrada');
      expect((await browser.get(`${detalle(mine.id, id)}/acuse`)).status).toBe(404);
    }
    const eventosAjenos = await db().select().from(eventos).where(and(eq(eventos.factura_id, foreign), eq(eventos.status_nuevo, 'cancelacion_pendiente'))).all();
    expect(eventosAjenos).toEqual([]);
  });
});

describe('a borrador in the panel', () => {
  it('is listed and shown with its Borrador badge and no folio', async () => {
    const { app, token } = await createEmisor();
    const res = await api('POST', '/facturas', { token, body: { ...facturaBase(), borrador: true } });
    expect(res.status).toBe(201);
    const { id } = await json(res);
    const { browser } = await signedIn();
    const lista = await (await browser.get(`/admin/aplicaciones/${app.id}/facturas`)).text();
    expect(lista).toContain('F (borrador)');
    expect(lista).not.toContain('F-</a>');
    const pagina = await (await browser.get(detalle(app.id, id))).text();
    expect(pagina).toContain('Borrador');
  });
});
