// The panel as a workspace, in a real browser (npx tsx test/e2e/workspace.e2e.ts; not part of `npm test`): on a
// fresh `wrangler dev`, sign in, create an application with the SAT test CSD, save a cliente, issue a PPD factura
// for it by hand and see it timbrada, then a nota de crédito and a complemento de pago that pay it. Screenshots at
// desktop and phone (390 px) widths go to test/output/e2e/workspace-*.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fixture, freePort, launchChromium, root, shots, signIn, startWorker, stopWorker, waitFor } from './lib';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `workspace-${name}.png`), fullPage: true });

/** Submits an issuing form and waits, reloading the comprobante's page, until the queue has stamped it; its UUID. */
async function emitido(page: Page, boton: string): Promise<string> {
  await page.click(`button:has-text("${boton}")`);
  await page.waitForURL(/\/facturas\/[0-9a-f-]{36}$/);
  await waitFor(
    'timbrada',
    async () => {
      await page.reload();
      return (await page.locator('[data-status="timbrada"]').count()) ? true : undefined;
    },
    60_000,
  );
  return /[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/.exec(await page.content())![0];
}

async function concepto(page: Page, descripcion: string, valor: string) {
  await page.fill('[id="conceptos[0].clave_prod_serv"]', '84111506');
  await page.fill('[id="conceptos[0].descripcion"]', descripcion);
  await page.fill('[id="conceptos[0].cantidad"]', '1');
  await page.selectOption('[id="conceptos[0].clave_unidad"]', 'E48');
  await page.fill('[id="conceptos[0].valor_unitario"]', valor);
  await page.selectOption('[id="conceptos[0].objeto_imp"]', '02');
  await page.selectOption('[id="conceptos[0].impuestos"]', 'iva16');
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const persistTo = mkdtempSync(path.join(tmpdir(), 'hexafac-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { proc, logs } = await startWorker(persistTo, port);
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'es-MX' })).newPage();
    await signIn(page, base);

    await page.click('text=Nueva aplicación');
    await page.fill('#name', 'Escuela Kemper');
    await page.fill('#rfc', 'EKU9003173C9');
    await page.fill('#razon_social', 'Escuela Kemper Urgate');
    await page.selectOption('#regimen_fiscal', '601');
    await page.fill('#lugar_expedicion', '42501');
    await page.click('button:has-text("Crear aplicación")');
    await page.waitForURL(/\/csd\?aviso=app_creada/);
    const appId = /aplicaciones\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
    await page.setInputFiles('#cer', fixture('EKU9003173C9.cer'));
    await page.setInputFiles('#key', fixture('EKU9003173C9.key'));
    await page.fill('#password', '12345678a');
    await page.click('button:has-text("Validar y guardar")');
    await page.getByText('CSD validado y guardado').waitFor();

    // A cliente: a bad RFC first (its message beside the field), then right.
    await page.click('.tabs >> text=Clientes');
    await page.click('text=Nuevo cliente');
    await page.fill('#rfc', 'EKU9003173C8');
    await page.fill('#nombre', 'Escuela Kemper Urgate');
    await page.fill('#domicilio_fiscal', '42501');
    await page.selectOption('#regimen_fiscal', '601');
    await page.click('button:has-text("Guardar cliente")');
    await page.locator('#rfc-error').waitFor();
    await shot(page, 'cliente-error');
    await page.fill('#rfc', 'EKU9003173C9');
    await page.click('button:has-text("Guardar cliente")');
    await page.getByText('ESCUELA KEMPER URGATE').waitFor();
    await shot(page, 'clientes');

    // A PPD factura for the saved cliente, by hand.
    await page.goto(`${base}/admin/aplicaciones/${appId}/emitir/factura`);
    await page.selectOption('#cliente_id', { index: 1 });
    await page.selectOption('#forma_pago', '99');
    await page.selectOption('#metodo_pago', 'PPD');
    await concepto(page, 'Colegiatura', '1000.00');
    await shot(page, 'factura-form');
    const factura = await emitido(page, 'Emitir factura');
    await shot(page, 'factura-timbrada');

    // A nota de crédito related to it, the receptor typed in.
    await page.goto(`${base}/admin/aplicaciones/${appId}/emitir/nota-credito`);
    await page.fill('[id="cfdi_relacionados[0].uuids[0]"]', factura);
    await page.fill('[id="receptor.rfc"]', 'EKU9003173C9');
    await page.fill('[id="receptor.nombre"]', 'ESCUELA KEMPER URGATE');
    await page.fill('[id="receptor.domicilio_fiscal"]', '42501');
    await page.selectOption('[id="receptor.regimen_fiscal"]', '601');
    await page.selectOption('[id="receptor.uso_cfdi"]', 'G02');
    await page.selectOption('#forma_pago', '03');
    await page.selectOption('#metodo_pago', 'PUE');
    await concepto(page, 'Descuento', '100.00');
    await emitido(page, 'Emitir nota de crédito');
    await shot(page, 'nota-credito-timbrada');

    // A complemento de pago for part of what is left.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/aplicaciones/${appId}/emitir/complemento-pago`);
    assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390, 'the form fits a phone');
    await page.selectOption('#cliente_id', { index: 1 });
    await page.fill('[id="pagos[0].fecha_pago"]', new Date().toISOString().slice(0, 10));
    await page.selectOption('[id="pagos[0].forma_pago"]', '03');
    await page.fill('[id="pagos[0].documentos[0].uuid"]', factura);
    await page.fill('[id="pagos[0].documentos[0].imp_pagado"]', '500.00');
    await shot(page, 'complemento-form-movil');
    await emitido(page, 'Emitir complemento de pago');
    await shot(page, 'complemento-timbrado-movil');
    console.log(`workspace e2e: ok (screenshots in ${path.relative(root, shots)}/workspace-*.png)`);
  } catch (e) {
    const log = path.join(root, 'test/output/e2e-workspace-wrangler.log');
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
  console.error(`workspace e2e: FAILED — ${e.stack ?? e.message}`);
  process.exit(1);
});
