// End-to-end test of the admin panel in a real browser (npm run test:e2e; not part of `npm test`).
// Debian's Chromium (apt-get install -y chromium) driven by playwright-core, against `wrangler dev` started here
// on a free port with a fresh local state: migrations, a seeded admin, then everything else through the UI —
// sign in, create an application, upload the SAT test CSD, mint a key, create a factura over the API with it,
// see it timbrada, download its PDF; a PPD factura, its complemento de pago and the dashboard at desktop and
// phone (390 px) widths. Screenshots of every page go to test/output/e2e/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN, fixture, freePort, launchChromium, root, shots, startWorker, stopWorker, waitFor } from './lib';

/** At the page's current width: nothing wider than the screen, the tabs (if any) all inside it, and the
 * invoice table's Total, Estado and UUID cells reachable (visible, or scrolled into view inside their container). */
async function sinRecortes(page: Page, donde: string) {
  const ancho = page.viewportSize()!.width;
  assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= ancho, `${donde}: the page is no wider than ${ancho} px`);
  for (const tab of await page.locator('.tabs a').all()) {
    const box = (await tab.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= ancho + 0.5, `${donde}: tab «${await tab.innerText()}» is not clipped (${box.x}+${box.width})`);
  }
  for (const label of await page.locator('fieldset .checks label').all()) {
    const box = (await label.boundingBox())!;
    const hueco = Number(await label.evaluate((el) => el.scrollWidth - el.clientWidth));
    assert.ok(box.x >= 0 && box.x + box.width <= ancho + 0.5 && hueco <= 1, `${donde}: the label «${await label.innerText()}» is not clipped (${box.x}+${box.width}, ${hueco} px hidden)`);
  }
  const fila = page.locator('.tablewrap table tbody tr').first();
  if (!(await fila.count())) return;
  const encabezados = await page.locator('.tablewrap table').first().locator('thead th').allInnerTexts();
  for (const col of ['Total', 'Estado', 'UUID'].filter((c) => encabezados.includes(c))) {
    const celda = fila.locator('td').nth(encabezados.indexOf(col));
    await celda.scrollIntoViewIfNeeded();
    const box = (await celda.boundingBox())!;
    assert.ok(box.x >= -0.5 && box.x + Math.min(box.width, ancho) <= ancho + 0.5, `${donde}: the ${col} cell is reachable (${box.x}+${box.width})`);
  }
}

let n = 0;
async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const persistTo = mkdtempSync(path.join(tmpdir(), 'hexafac-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { proc, logs } = await startWorker(persistTo, port);
  const browser = await launchChromium();
  const external: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true, locale: 'es-MX' });
    const page = await context.newPage();
    // Nothing outside the Worker may load: no CDN, no fonts, no analytics.
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url());
    });

    // Sign-in: a page behind it sends us there first.
    await page.goto(`${base}/admin/aplicaciones`);
    assert.match(page.url(), /\/admin\/login\?volver=/);
    await shot(page, 'login');
    await page.fill('#email', ADMIN.email);
    await page.fill('#password', 'not-the-password');
    await page.click('button[type=submit]');
    await page.getByText('Correo o contraseña incorrectos.').waitFor();
    assert.equal(await page.inputValue('#email'), ADMIN.email, 'the e-mail stays typed');
    await shot(page, 'login-error');
    await page.fill('#password', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/admin/aplicaciones`);
    const cookie = (await context.cookies()).find((c) => c.name === 'hexafac_admin');
    assert.ok(cookie, 'Chromium keeps the Secure session cookie on http://127.0.0.1');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Lax');
    await shot(page, 'aplicaciones-vacio');

    // A new application: first with mistakes (field errors, values kept), then right.
    await page.click('text=Nueva aplicación');
    await page.fill('#name', 'Escuela Kemper');
    await page.fill('#rfc', 'EKU90031');
    await page.fill('#lugar_expedicion', '425');
    await page.click('button:has-text("Crear aplicación")');
    await page.locator('#rfc-error').waitFor();
    assert.equal(await page.inputValue('#name'), 'Escuela Kemper');
    await shot(page, 'aplicacion-nueva-errores');
    await page.fill('#rfc', 'EKU9003173C9');
    await page.fill('#razon_social', 'Escuela Kemper Urgate');
    await page.selectOption('#regimen_fiscal', '601');
    await page.fill('#lugar_expedicion', '42501');
    await page.click('button:has-text("Crear aplicación")');
    await page.waitForURL(/\/csd\?aviso=app_creada/);
    const appId = /aplicaciones\/([0-9a-f-]{36})\//.exec(page.url())![1]!;

    // CSD: a wrong password is refused on its field; the SAT test CSD with 12345678a is taken.
    await page.setInputFiles('#cer', fixture('EKU9003173C9.cer'));
    await page.setInputFiles('#key', fixture('EKU9003173C9.key'));
    await page.fill('#password', 'equivocada');
    await page.click('button:has-text("Validar y guardar")');
    await page.locator('#password-error').waitFor();
    await shot(page, 'csd-error');
    await page.setInputFiles('#cer', fixture('EKU9003173C9.cer'));
    await page.setInputFiles('#key', fixture('EKU9003173C9.key'));
    await page.fill('#password', '12345678a');
    await page.click('button:has-text("Validar y guardar")');
    await page.getByText('CSD validado y guardado').waitFor();
    await page.getByText('30001000000500003416').first().waitFor();
    await shot(page, 'csd-guardado');
    await page.click('.tabs >> text=Datos del emisor');
    await shot(page, 'aplicacion-detalle');

    // An API key: shown once, with a copy button (JavaScript is on here).
    await page.click('.tabs >> text=API keys');
    await page.fill('#name', 'e2e');
    await page.click('button:has-text("Crear API key")');
    const token = await page.inputValue('#token');
    assert.match(token, /^hfx_test_[A-Za-z0-9_-]{43}$/);
    assert.equal(await page.isVisible('button[data-copy="token"]'), true, 'copy button shown with JavaScript');
    await shot(page, 'api-key-creada');

    const me = await fetch(`${base}/api/hexafac/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200, 'the minted key works against the API');

    await page.click('.tabs >> text=Webhooks');
    await shot(page, 'webhooks');

    // A factura over the API with that key, then the pipeline stamps it.
    const body = readFileSync(fixture('cfdi/descuentos.json'), 'utf8');
    const created = await fetch(`${base}/api/hexafac/v1/facturas`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-${Date.now()}` },
      body,
    });
    const createdBody = (await created.json()) as { id?: string };
    assert.ok(created.status === 201 || created.status === 202, `factura created: ${created.status} ${JSON.stringify(createdBody)}`);
    const facturaId = createdBody.id!;
    await waitFor(
      'the factura to be timbrada',
      async () => {
        await page.goto(`${base}/admin/aplicaciones/${appId}/facturas`);
        return (await page.locator(`[data-status="timbrada"]`).count()) > 0 ? true : undefined;
      },
      60_000,
    );
    await shot(page, 'facturas');

    await page.click(`a[href="/admin/aplicaciones/${appId}/facturas/${facturaId}"]`);
    await page.getByText('Historial').waitFor();
    const detalle0 = page.url();
    await shot(page, 'factura-detalle');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Descargar PDF')]);
    const pdf = readFileSync((await download.path())!);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the downloaded file is a PDF');
    assert.match(download.suggestedFilename(), /\.pdf$/);

    // A PPD factura paid in part by a complemento de pago: the list, both pages and the dashboard, at both widths.
    const api = (ruta: string, cuerpo: unknown) =>
      fetch(`${base}/api/hexafac/v1${ruta}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-${ruta}-${Date.now()}` },
        body: JSON.stringify(cuerpo),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string } }));
    const estado = (ruta: string, id: string) =>
      fetch(`${base}/api/hexafac/v1${ruta}/${id}`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json() as Promise<{ status: string; uuid: string }>);
    const timbrada = (ruta: string, id: string) =>
      waitFor(`${ruta}/${id} timbrada`, async () => { const f = await estado(ruta, id); return f.status === 'timbrada' ? f : undefined; }, 60_000);
    const datosPpd = { ...JSON.parse(body), metodo_pago: 'PPD', forma_pago: '99' };
    const ppd = await api('/facturas', datosPpd);
    assert.equal(ppd.status, 202, JSON.stringify(ppd.body));
    const ppdTimbrada = await timbrada('/facturas', ppd.body.id);
    const pago = await api('/complementos-pago', {
      receptor: { ...datosPpd.receptor, uso_cfdi: 'CP01' },
      pagos: [{ fecha_pago: new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10), forma_pago: '03', documentos: [{ uuid: ppdTimbrada.uuid, imp_pagado: '10.00' }] }],
    });
    assert.equal(pago.status, 202, JSON.stringify(pago.body));
    await timbrada('/complementos-pago', pago.body.id);
    const facturas = `${base}/admin/aplicaciones/${appId}/facturas`;
    for (const [ancho, alto, nombre] of [[1280, 860, 'escritorio'], [390, 844, 'movil']] as const) {
      await page.setViewportSize({ width: ancho, height: alto });
      await page.goto(facturas);
      await sinRecortes(page, `facturas ${nombre}`);
      await shot(page, `facturas-${nombre}`);
      await page.goto(`${facturas}/${ppd.body.id}`);
      await page.getByRole('heading', { name: 'Saldo' }).waitFor();
      await page.getByText('Notas de crédito aplicadas').first().waitFor();
      await sinRecortes(page, `factura PPD ${nombre}`);
      await shot(page, `factura-ppd-${nombre}`);
      await page.goto(`${facturas}/${pago.body.id}`);
      await page.getByRole('heading', { name: 'Facturas que paga' }).waitFor();
      assert.equal(await page.getByText('Cancelar factura').count(), 0, 'a complemento offers no «Cancelar factura»');
      await sinRecortes(page, `complemento ${nombre}`);
      await shot(page, `complemento-${nombre}`);
      await page.goto(`${base}/admin?app=${appId}`);
      await page.locator('.grafica svg title').first().waitFor({ state: 'attached' });
      await sinRecortes(page, `panel ${nombre}`);
      await shot(page, `panel-mes-${nombre}`);
      await page.goto(`${base}/admin/aplicaciones/${appId}/webhooks`);
      await sinRecortes(page, `webhooks ${nombre}`);
      await shot(page, `webhooks-${nombre}`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(detalle0);

    // Cancel it: motivo 01 needs a folio (field error, choice kept), then 02 goes through the queue to the sandbox PAC.
    const detalle = page.url();
    await page.selectOption('#motivo', '01');
    await page.click('button:has-text("Cancelar factura")');
    await page.locator('#folio_sustitucion-error').waitFor();
    assert.equal(await page.inputValue('#motivo'), '01', 'the motivo stays chosen');
    await shot(page, 'factura-cancelar-error');
    await page.selectOption('#motivo', '02');
    await page.click('button:has-text("Cancelar factura")');
    await page.getByText('Cancelación solicitada.').waitFor();
    await waitFor(
      'the factura to be cancelada',
      async () => {
        await page.goto(detalle);
        return (await page.locator('[data-status="cancelada"]').count()) > 0 ? true : undefined;
      },
      60_000,
    );
    await page.getByText('Descargar acuse de cancelación').waitFor();
    await shot(page, 'factura-cancelada');

    // A received CFDI (a real one from the samples): its SelloSAT's certificate is not configured here, so desconocido.
    await page.click('nav >> text=Verificar CFDI');
    await page.setInputFiles('#archivo', fixture('sat/samples/cfdi40-real.xml'));
    await page.click('button:has-text("Verificar")');
    await page.locator('[data-veredicto="valido"]').waitFor();
    await page.getByText('C2832671-DA6D-11EF-A83D-00155D012007', { exact: true }).waitFor();
    assert.equal(await page.locator('[data-sello-sat]').getAttribute('data-sello-sat'), 'desconocido');
    await shot(page, 'verificar-cfdi');

    await page.click('nav >> text=Panel');
    await page.getByText('Últimas 24 horas').waitFor();
    await shot(page, 'panel');
    await page.click('button:has-text("Producción")');
    await page.getByText('Estás viendo datos de producción').waitFor();
    await shot(page, 'panel-produccion');

    // The same pages on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/aplicaciones/${appId}/llaves`);
    await shot(page, 'movil-llaves');
    await page.goto(`${base}/admin`);
    await shot(page, 'movil-panel');

    await page.click('text=Cerrar sesión');
    await page.waitForURL(`${base}/admin/login`);
    assert.equal((await context.cookies()).some((c) => c.name === 'hexafac_admin'), false, 'signed out');

    assert.deepEqual(external, [], 'no external assets');
    console.log(`admin e2e: ok (${n} screenshots in ${path.relative(root, shots)})`);
  } catch (e) {
    await new Promise((r) => setTimeout(r, 1500)); // let wrangler flush the failing request's log
    const log = path.join(root, 'test/output/e2e-wrangler.log');
    writeFileSync(log, logs.join(''));
    console.error(`wrangler dev output: ${path.relative(root, log)}`);
    throw e;
  } finally {
    await browser.close();
    stopWorker(proc);
    rmSync(persistTo, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(`admin e2e: FAILED — ${e.stack ?? e.message}`);
  process.exit(1);
});
