// What the panel's Chromium tests share: a free port, a `wrangler dev` on a fresh local state (migrations and a
// seeded admin), Debian's Chromium driven by playwright-core, polling, and signing in through the login form.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { adminSeedSql } from '../../admin/auth';
import { applyMigrations, execSql } from '../../scripts/lib/local-d1';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const shots = path.join(root, 'test/output/e2e');
export const fixture = (f: string) => path.join(root, 'test/fixtures', f);
export const ADMIN = { email: 'e2e@hexafac.local', name: 'Operadora E2E', password: 'e2e-password-123' };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
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

export async function startWorker(persistTo: string, port: number): Promise<{ proc: ChildProcess; logs: string[] }> {
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

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

/** Signs in through the login form, from a page behind it. */
export async function signIn(page: Page, base: string) {
  await page.goto(`${base}/admin/aplicaciones`);
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', ADMIN.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/admin/aplicaciones`);
}

/** Stops `wrangler dev` (its whole process group). */
export function stopWorker(proc: ChildProcess) {
  try {
    process.kill(-proc.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}
