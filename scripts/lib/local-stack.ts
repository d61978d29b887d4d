// The local stack npm start runs, reusable by the benchmark and end-to-end tests: .dev.vars with local
// secrets, migrated and seeded D1 (the sandbox application with the SAT test CSD, an admin), a fresh
// test key, `wrangler dev` on 127.0.0.1, and the cron fired on a timer, as wrangler dev never fires it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adminSeedSql } from '../../admin/auth';
import { leerCsd } from '../../src/cfdi';
import { SCOPES } from '../../src/lib/auth';
import { encryptSecret, randomBytes, toBase64, toBase64Url } from '../../src/lib/crypto';
import { SECOND } from '../../src/lib/time';
import { insertKeySql } from '../keys';
import { generarCertificadoPacSandbox } from '../sandbox-pac-cert';
import { applyMigrations, execSql, q, querySql, type LocalD1Options } from './local-d1';

const root = process.cwd();
const devVarsPath = path.join(root, '.dev.vars');
export const SANDBOX_APP_ID = '01900000-0000-7000-8000-000000000001';
export const ADMIN_EMAIL = 'admin@hexafac.local';
/**
 * How often the local stack fires the cron, more often than wrangler.toml's cadence: locally the queue lives
 * in wrangler's memory, so a restart loses the messages of everything accepted and only the sweep
 * (src/jobs/barrido.ts, 70 s after acceptance) brings them back. Every 30 s, a restarted stack has them
 * all re-sent within about 100 s; a run is a few small queries.
 */
export const BARRIDO_LOCAL_MS = 30 * SECOND;

function readDevVars(): Record<string, string> {
  if (!existsSync(devVarsPath)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(devVarsPath, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = JSON.parse(m[2]!);
  }
  return vars;
}

/** .dev.vars with fresh local secrets where missing (kept across runs, so local data stays readable). */
export async function ensureDevVars(): Promise<Record<string, string>> {
  const vars = readDevVars();
  const before = JSON.stringify(vars);
  vars.MASTER_KEY ??= toBase64(randomBytes(32));
  vars.ADMIN_JWT_SECRET ??= toBase64Url(randomBytes(32));
  vars.ADMIN_PASSWORD ??= toBase64Url(randomBytes(12));
  if (!vars.SANDBOX_PAC_KEY_PEM || !vars.SANDBOX_PAC_CERT_PEM) {
    const pac = await generarCertificadoPacSandbox();
    vars.SANDBOX_PAC_KEY_PEM = pac.keyPem;
    vars.SANDBOX_PAC_CERT_PEM = pac.certPem;
  }
  // Lets test-mode webhooks reach a receiver on this machine; production never sets it.
  vars.ALLOW_LOCAL_WEBHOOKS = 'true';
  if (JSON.stringify(vars) !== before) {
    writeFileSync(devVarsPath, Object.entries(vars).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n') + '\n', { mode: 0o600 });
  }
  return vars;
}

/** Idempotent seed: the sandbox application (SAT test issuer + test CSD) and the first admin. */
export async function seedSql(vars: Record<string, string>): Promise<string> {
  const cer = new Uint8Array(readFileSync(path.join(root, 'test/fixtures/EKU9003173C9.cer')));
  const key = new Uint8Array(readFileSync(path.join(root, 'test/fixtures/EKU9003173C9.key')));
  const { csd, pkcs8 } = await leerCsd(cer, key, '12345678a', { rfcEmisor: 'EKU9003173C9' });
  const llave = await encryptSecret(vars.MASTER_KEY!, new Uint8Array(pkcs8));
  // The SAT's published test issuer: name without régimen societario (as CFDI 4.0 wants it), régimen 601, CP 42501.
  return `INSERT OR IGNORE INTO hexafac_client_applications
  (id, name, description, status, rfc, razon_social, regimen_fiscal, lugar_expedicion, csd_certificado, csd_no_certificado, csd_valido_hasta, csd_llave_cifrada)
VALUES (${q(SANDBOX_APP_ID)}, 'Sandbox', 'Aplicación de prueba con el CSD de pruebas del SAT', 'active', ${q(csd.rfc)}, 'ESCUELA KEMPER URGATE', '601', '42501',
  ${q(csd.certificadoBase64)}, ${q(csd.noCertificado)}, ${q(csd.validoHasta.toISOString())}, ${q(llave)});
${await adminSeedSql({ email: ADMIN_EMAIL, name: 'Administrador', password: vars.ADMIN_PASSWORD! })}`;
}

/** Where the seeded app's key is kept beside the local state it lives in (wrangler's default: .wrangler/state). */
const llaveGuardada = (o: LocalD1Options) => path.join(o.persistTo ?? path.join(root, '.wrangler/state'), 'hexafac-llave-local.json');

/**
 * The seeded app's test key: the one minted by an earlier run on this same local state while it is still usable
 * (not revoked, not expired), else a new one. Only its hash is in D1, so the token is kept in a file beside it.
 */
async function llaveLocal(o: LocalD1Options): Promise<{ token: string; reutilizada: boolean }> {
  const archivo = llaveGuardada(o);
  if (existsSync(archivo)) {
    const { id, token } = JSON.parse(readFileSync(archivo, 'utf8')) as { id: string; token: string };
    const vigente = querySql(
      `SELECT id FROM hexafac_api_keys WHERE id = ${q(id)} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${q(new Date().toISOString())})`,
      o,
    );
    if (vigente.length) return { token, reutilizada: true };
  }
  const key = await insertKeySql({ applicationId: SANDBOX_APP_ID, mode: 'test', name: 'npm start (sandbox)', scopes: SCOPES });
  execSql(key.sql, o);
  mkdirSync(path.dirname(archivo), { recursive: true });
  writeFileSync(archivo, JSON.stringify({ id: key.id, token: key.token }), { mode: 0o600 });
  return { token: key.token, reutilizada: false };
}

export interface LocalStack {
  base: string;
  token: string;
  /** The key is the one an earlier run on this local state minted. */
  llaveReutilizada: boolean;
  adminPassword: string;
  wrangler: ChildProcess;
  stop(): Promise<void>;
  /** kill -9 of wrangler and every process under it (workerd): a crash, with the in-memory queue lost. */
  crash(): Promise<void>;
}

export interface LocalStackOptions extends LocalD1Options {
  port: number;
  /** Inherit wrangler's output (npm start) instead of keeping it quiet (benchmarks, tests). */
  verbose?: boolean;
  /**
   * Measure, don't debug: wrangler's dev engine without the DevTools inspector and with warnings-only logs
   * (scripts/lib/wrangler-dev-bench.ts says why). Same Worker, bindings, queue consumers and local D1.
   */
  benchmark?: boolean;
}

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const vars = await ensureDevVars();
  applyMigrations(o);
  execSql(await seedSql(vars), o);
  const llave = await llaveLocal(o);
  const [command, args] = o.benchmark
    ? [path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/lib/wrangler-dev-bench.ts'), String(o.port), ...(o.persistTo ? [o.persistTo] : [])]]
    : [
        path.join(root, 'node_modules/.bin/wrangler'),
        [
          'dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(o.port),
          '--show-interactive-dev-session=false',
          // GET /__scheduled runs the cron handler: a route of wrangler dev's own build, never deployed.
          '--test-scheduled',
          ...(o.persistTo ? ['--persist-to', o.persistTo] : []),
        ],
      ];
  // Offline, wrangler's fetch of Request.cf from workers.cloudflare.com only prints a stack trace (ENOTFOUND):
  // without it requests carry miniflare's fixed cf object, which nothing here reads.
  const wrangler = spawn(command, args, { stdio: o.verbose ? 'inherit' : 'ignore', env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false' } });
  const base = `http://127.0.0.1:${o.port}`;
  let barrido: NodeJS.Timeout | undefined;
  const end = (kill: () => void) =>
    new Promise<void>((resolve) => {
      clearInterval(barrido);
      if (wrangler.exitCode !== null || wrangler.signalCode !== null) return resolve();
      wrangler.once('exit', () => resolve());
      kill();
    });
  const stop = () => end(() => wrangler.kill('SIGTERM'));
  const crash = () => end(() => processTree(wrangler.pid!).forEach(killHard));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited with ${wrangler.exitCode}`);
    try {
      if ((await fetch(`${base}/api/hexafac/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('wrangler dev did not answer within 60 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  barrido = barridoLocal(base);
  wrangler.once('exit', () => clearInterval(barrido));
  return { base, token: llave.token, llaveReutilizada: llave.reutilizada, adminPassword: vars.ADMIN_PASSWORD!, wrangler, stop, crash };
}

/** Fires the cron that wrangler.toml declares now and every BARRIDO_LOCAL_MS, through wrangler dev's /__scheduled. */
function barridoLocal(base: string): NodeJS.Timeout {
  const cron = /^crons\s*=\s*\[\s*"([^"]+)"/m.exec(readFileSync(path.join(root, 'wrangler.toml'), 'utf8'))?.[1];
  if (!cron) throw new Error('wrangler.toml declares no cron');
  const url = `${base}/__scheduled?cron=${encodeURIComponent(cron)}`;
  const barrer = () =>
    fetch(url).then(
      async (res) => {
        if (!res.ok) console.error(`barrido local: ${res.status} ${await res.text()}`);
      },
      () => {
        // wrangler is stopping: its exit clears the timer
      },
    );
  void barrer();
  return setInterval(barrer, BARRIDO_LOCAL_MS);
}

/** A process and all its descendants, from the system's process table. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function killHard(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
