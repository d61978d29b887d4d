// End-to-end test of the admin panel in a real browser (npm run test:e2e; not part of `npm test`).
// Debian's Chromium (apt-get install -y chromium) driven by playwright-core, against `wrangler dev` started here
// on a free port with a fresh local state: migrations, a seeded admin, then everything else through the UI —
// sign in, create an application, upload the SAT test CSD, mint a key, create a factura over the API with it,
// see it timbrada, download its PDF. Screenshots of every page go to test/output/screenshots/.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { adminSeedSql } from '../../admin/auth';
import { applyMigrations, execSql } from '../../scripts/lib/local-d1';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const shots = path.join(root, 'test/output/screenshots');
const fixture = (f: string) => path.join(root, 'test/fixtures', f);
const ADMIN = { email: 'e2e@hexafac.local', name: 'Operadora E2E', password: 'e2e-password-123' };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

async function startWorker(persistTo: string, port: number): Promise<{ proc: ChildProcess; logs: string[] }> {
  applyMigrations({ persistTo });
  execSql(await adminSeedSql(ADMIN), { persistTo });
  const vars: Record<string, string> = {
    MASTER_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
    ADMIN_JWT_SECRET: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
    SANDBOX_PAC_KEY_PEM: readFileSync(fixture('pac/sandbox-pac.key.pem'), 'utf8'),
    SANDBOX_PAC_CERT_PEM: readFileSync(fixture('pac/sandbox-pac.cer.pem'), 'utf8'),
  };
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistTo, '--show-interactive-dev-session=false'];
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  const proc = spawn(path.join(root, 'node_modules/.bin/wrangler'), args, {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logs: string[] = [];
  proc.stdout!.on('data', (d) => logs.push(String(d)));
  proc.stderr!.on('data', (d) => logs.push(String(d)));
  await waitFor(
    'wrangler dev',
    async () => {
      if (proc.exitCode !== null) throw new Error(`wrangler dev exited: ${logs.join('')}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/hexafac/v1/health`);
      return res.ok ? true : undefined;
    },
    90_000,
  );
  return { proc, logs };
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
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
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
    await shot(page, 'factura-detalle');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Descargar PDF')]);
    const pdf = readFileSync((await download.path())!);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the downloaded file is a PDF');
    assert.match(download.suggestedFilename(), /\.pdf$/);

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
    try {
      process.kill(-proc.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(persistTo, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(`admin e2e: FAILED — ${e.stack ?? e.message}`);
  process.exit(1);
});
