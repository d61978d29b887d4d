// End-to-end test of the interactive docs in a real browser (npx tsx test/e2e/docs.e2e.ts; not part of `npm test`).
// The local stack as `npm start` runs it (sandbox application with the SAT test CSD, a fresh test key) on a free
// port with a fresh local state; Debian's Chromium driven by playwright-core: authorize with the key, "Probar" →
// "Ejecutar" on POST /facturas with its documented example, expect 202; then no English chrome string visible
// and no CSP violation. Screenshots go to test/output/docs/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startLocalStack } from '../../scripts/lib/local-stack';
import { CHROME_ES } from '../../src/routes/docs/swagger-ui-es';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const shots = path.join(root, 'test/output/docs');
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

let n = 0;
async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true });
}

interface PaginaDom {
  body: { innerText: string };
  querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>;
}

/** Every English chrome string still shown: text lines, placeholders, titles and aria-labels. */
function inglesVisible(page: Page): Promise<string[]> {
  return page.evaluate((ingles) => {
    // runs in the page; the project's tsc has no DOM lib (it would retype the Workers' BufferSource)
    const document = (globalThis as unknown as { document: PaginaDom }).document;
    const quedan = new Set<string>();
    for (const linea of document.body.innerText.split('\n')) if (ingles.includes(linea.trim())) quedan.add(linea.trim());
    for (const e of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
      for (const a of ['placeholder', 'title', 'aria-label']) {
        const v = e.getAttribute(a)?.trim();
        if (v && ingles.includes(v)) quedan.add(`${a}=${v}`);
      }
    }
    return [...quedan];
  }, Object.keys(CHROME_ES));
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const persistTo = mkdtempSync(path.join(tmpdir(), 'hexafac-docs-e2e-'));
  const stack = await startLocalStack({ port: await freePort(), persistTo });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const violaciones: string[] = [];
  const external: string[] = [];
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' })).newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violaciones.push(m.text());
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(stack.base) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await page.goto(`${stack.base}/api/hexafac/v1/docs`);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    await page.locator('.opblock').first().waitFor();
    await shot(page, 'docs');

    await page.locator('.btn.authorize').click();
    await page.locator('.modal-ux input').first().fill(stack.token);
    await shot(page, 'autorizar');
    await page.locator('.modal-ux .auth-btn-wrapper button.authorize').first().click();
    await page.locator('.modal-ux .auth-btn-wrapper button.btn-done').first().click();

    const op = page.locator('.opblock-post').filter({ has: page.locator('.opblock-summary-path[data-path="/facturas"]') });
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Probar' }).click();
    await op.getByRole('button', { name: 'Ejecutar' }).click();
    const estado = op.locator('.live-responses-table .response .response-col_status').first();
    await estado.waitFor({ timeout: 30_000 });
    await shot(page, 'post-facturas');
    const status = (await estado.innerText()).trim();
    const cuerpo = await op.locator('.live-responses-table .response-col_description pre').first().innerText().catch(() => '');
    assert.equal(status, '202', `POST /facturas answered ${status}: ${cuerpo}`);

    // Everything the chrome can show: the schemas expanded too.
    for (const modelo of await page.locator('.models .model-box-control').all()) await modelo.click();
    await shot(page, 'esquemas');
    assert.deepEqual(await inglesVisible(page), [], 'English chrome left on the page');
    assert.deepEqual(violaciones, [], 'CSP violations');
    assert.deepEqual(external, [], 'requests outside the Worker');
    console.log(`docs e2e: ok (${n} screenshots in ${path.relative(root, shots)})`);
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(`docs e2e: FAILED — ${e.stack ?? e.message}`);
  process.exit(1);
});
