// The autofactura portal in a real browser (npx tsx test/e2e/autofactura.e2e.ts; part of `npm run test:e2e`): on a
// fresh `wrangler dev`, an application with the SAT test CSD, a portal address and a test key (through the panel
// and the API), a recibo created with the API, then its QR URL opened on a 360 px phone WITHOUT JavaScript: a
// wrong código postal (its error beside the field), fixed, timbrada, the PDF downloaded. A second ticket on a
// desktop with JavaScript: the selects filter live. Screenshots go to test/output/autofactura/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fixture, freePort, launchChromium, root, signIn, startWorker, stopWorker, waitFor } from './lib';

const shots = path.join(root, 'test/output/autofactura');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

const CONCEPTOS = [
  {
    clave_prod_serv: '50192100',
    cantidad: '2',
    clave_unidad: 'H87',
    descripcion: 'Torta de milanesa',
    valor_unitario: '85.00',
    objeto_imp: '02',
    impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] },
  },
];

async function datosFiscales(page: Page, cp: string) {
  await page.fill('#rfc', 'EKU9003173C9');
  await page.fill('#nombre', 'ESCUELA KEMPER URGATE');
  await page.fill('#domicilio_fiscal', cp);
  await page.selectOption('#regimen_fiscal', '601');
  await page.selectOption('#uso_cfdi', 'G03');
  await page.fill('#email', 'cliente@example.com');
}

/** Waits on the status page (it reloads itself) until the CFDI is timbrada. */
async function timbrada(page: Page) {
  await page.waitForURL(/\/autofactura\/[^/]+\/facturas\/[\w-]+\.[\w-]+\.[\w-]+$/);
  await waitFor(
    'timbrada',
    async () => {
      if (await page.locator('[data-status="timbrada"]').count()) return true;
      await page.reload();
      return undefined;
    },
    60_000,
  );
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const persistTo = mkdtempSync(path.join(tmpdir(), 'hexafac-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { proc, logs } = await startWorker(persistTo, port);
  const browser = await launchChromium();
  try {
    // The merchant: an application with the SAT test CSD and a test key, through the panel.
    const panel = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'es-MX' })).newPage();
    await signIn(panel, base);
    await panel.click('text=Nueva aplicación');
    await panel.fill('#name', 'Tortería Kemper');
    await panel.fill('#rfc', 'EKU9003173C9');
    await panel.fill('#razon_social', 'Escuela Kemper Urgate');
    await panel.selectOption('#regimen_fiscal', '601');
    await panel.fill('#lugar_expedicion', '42501');
    await panel.click('button:has-text("Crear aplicación")');
    await panel.waitForURL(/\/csd\?aviso=app_creada/);
    await panel.setInputFiles('#cer', fixture('EKU9003173C9.cer'));
    await panel.setInputFiles('#key', fixture('EKU9003173C9.key'));
    await panel.fill('#password', '12345678a');
    await panel.click('button:has-text("Validar y guardar")');
    await panel.getByText('CSD validado y guardado').waitFor();
    await panel.click('.tabs >> text=API keys');
    await panel.fill('#name', 'caja');
    await panel.click('button:has-text("Crear API key")');
    const token = await panel.inputValue('#token');
    assert.match(token, /^hfx_test_/);

    const api = async (method: string, ruta: string, cuerpo: unknown) => {
      const res = await fetch(`${base}/api/hexafac/v1${ruta}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(cuerpo),
      });
      const body = (await res.json()) as Record<string, unknown>;
      assert.ok(res.ok, `${method} ${ruta}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    await api('PUT', '/recibos/configuracion', { autofactura_slug: 'torteria-kemper' });
    const recibo = await api('POST', '/recibos', { conceptos: CONCEPTOS, forma_pago: '01' });
    const url = recibo.url_autofactura as string;
    assert.equal(url, `${base}/autofactura/torteria-kemper?clave=${encodeURIComponent(recibo.clave_autofactura as string)}`);

    // The customer scans the QR on a 360 px phone, with JavaScript off: the core flow is plain HTML forms.
    const telefono = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'es-MX', javaScriptEnabled: false, acceptDownloads: true });
    const page = await telefono.newPage();
    await page.goto(url);
    await page.getByText('Torta de milanesa').waitFor();
    assert.match(await page.locator('#total').innerText(), /\$197\.20 MXN/);
    assert.equal(await page.evaluate('document.documentElement.scrollWidth'), 360, 'no horizontal scroll at 360 px');
    await shot(page, 'telefono-ticket');

    await datosFiscales(page, '00000');
    await page.click('button:has-text("Facturar")');
    await page.locator('#domicilio_fiscal-error').waitFor();
    assert.match(await page.locator('#domicilio_fiscal-error').innerText(), /no existe en el catálogo del SAT/);
    await shot(page, 'telefono-error-cp');

    await page.fill('#domicilio_fiscal', '42501');
    await page.click('button:has-text("Facturar")');
    await timbrada(page);
    assert.match(await page.locator('#envio').innerText(), /Te enviamos el CFDI a cliente@example\.com/);
    await shot(page, 'telefono-timbrada');

    const [descarga] = await Promise.all([page.waitForEvent('download'), page.click('#descargar-pdf')]);
    const pdf = path.join(shots, 'factura.pdf');
    await descarga.saveAs(pdf);
    assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-', 'the download is a PDF');
    assert.match(descarga.suggestedFilename(), /\.pdf$/);

    // Back on the ticket: it is invoiced now, and says so instead of offering the form again.
    await page.goto(url);
    await page.locator('#impedimento').waitFor();

    // A desktop with JavaScript: the régimen and uso CFDI options follow the RFC and the régimen as they change.
    const otro = await api('POST', '/recibos', { conceptos: CONCEPTOS, forma_pago: '04' });
    const escritorio = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' })).newPage();
    await escritorio.goto(otro.url_autofactura as string);
    await escritorio.fill('#rfc', 'EKU9003173C9');
    assert.equal(await escritorio.locator('#regimen_fiscal option[value="605"]').isDisabled(), true, '605 is not for a persona moral');
    await escritorio.selectOption('#regimen_fiscal', '601');
    assert.equal(await escritorio.locator('#uso_cfdi option[value="D01"]').isDisabled(), true, 'D01 is not for 601');
    assert.equal(await escritorio.locator('#uso_cfdi option[value="G03"]').isDisabled(), false);
    await datosFiscales(escritorio, '42501');
    await shot(escritorio, 'escritorio-ticket');
    await escritorio.click('button:has-text("Facturar")');
    await timbrada(escritorio);
    await shot(escritorio, 'escritorio-timbrada');
    console.log(`autofactura e2e: ok (screenshots in ${path.relative(root, shots)})`);
  } catch (err) {
    writeFileSync(path.join(shots, 'wrangler.log'), logs.join(''));
    throw err;
  } finally {
    await browser.close();
    stopWorker(proc);
    rmSync(persistTo, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
