import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';

const root = path.dirname(new URL(import.meta.url).pathname);
const outputDir = path.join(root, 'test/output');
// Node-side webhook receiver: every outbound fetch of the Worker lands here (miniflare outboundService).
// Tests script answers per host and read back what arrived through the TEST_RECEIVER binding.
interface Respuesta {
  status: number;
  body?: string;
  delay_ms?: number;
}
const receptor = new Map<string, { guion: Respuesta[]; siempre: Respuesta; recibidas: unknown[] }>();
const hostDe = (host: string) => {
  let h = receptor.get(host);
  if (!h) receptor.set(host, (h = { guion: [], siempre: { status: 200, body: 'ok' }, recibidas: [] }));
  return h;
};
async function receptorOutbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const h = hostDe(url.host);
  const r = h.guion.shift() ?? h.siempre;
  h.recibidas.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: await request.text(), status: r.status });
  if (r.delay_ms) await new Promise((ok) => setTimeout(ok, r.delay_ms));
  return new Response(r.status === 204 || r.status === 304 ? null : (r.body ?? ''), { status: r.status });
}
async function receptorControl(request: Request): Promise<Response> {
  const [, accion, host] = new URL(request.url).pathname.split('/');
  const h = hostDe(decodeURIComponent(host ?? ''));
  if (accion === 'guion' && request.method === 'PUT') {
    const { guion = [], siempre } = (await request.json()) as { guion?: Respuesta[]; siempre?: Respuesta };
    h.guion = guion;
    if (siempre) h.siempre = siempre;
    return new Response('ok');
  }
  if (accion === 'recibidas') return Response.json(h.recibidas);
  return new Response('not found', { status: 404 });
}

// The emails the send_email binding accepted: miniflare keeps each as <its tmp dir>/email/email/<uuid>.eml. Tests ask
// by Message-ID (unique per envío) and get every copy (one per envelope recipient), base64, in order of writing.
async function correosEnviados(request: Request): Promise<Response> {
  const messageId = decodeURIComponent(new URL(request.url).pathname.slice(1));
  const cabecera = `\r\nMessage-ID: ${messageId}\r\n`;
  const dirs = (await readdir(tmpdir())).filter((d) => d.startsWith('miniflare-')).map((d) => path.join(tmpdir(), d, 'email', 'email'));
  const copias: { mtime: number; eml: string }[] = [];
  for (const dir of dirs) {
    const archivos = await readdir(dir).catch(() => [] as string[]);
    for (const a of archivos.filter((x) => x.endsWith('.eml'))) {
      const bytes = await readFile(path.join(dir, a)).catch(() => null);
      if (bytes?.includes(cabecera)) copias.push({ mtime: (await stat(path.join(dir, a))).mtimeMs, eml: bytes.toString('base64') });
    }
  }
  return Response.json(copias.sort((x, y) => x.mtime - y.mtime).map((c) => c.eml));
}

const fixture = (f: string) => (existsSync(path.join(root, 'test/fixtures', f)) ? readFileSync(path.join(root, 'test/fixtures', f), 'utf8') : '');

// Test-only secrets: a fixed master key and the sandbox PAC's fixture key pair (never the SAT's).
const testSecrets = {
  MASTER_KEY: 'dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=',
  ADMIN_JWT_SECRET: 'test-admin-jwt-secret-with-enough-entropy-0123456789',
  SANDBOX_PAC_KEY_PEM: fixture('pac/sandbox-pac.key.pem'),
  SANDBOX_PAC_CERT_PEM: fixture('pac/sandbox-pac.cer.pem'),
};
// The SAT's public test CSD (EKU9003173C9), handed to tests as base64 so they can upload it like a client.
const testCsd = {
  TEST_CSD_CER: readFileSync(path.join(root, 'test/fixtures/EKU9003173C9.cer')).toString('base64'),
  TEST_CSD_KEY: readFileSync(path.join(root, 'test/fixtures/EKU9003173C9.key')).toString('base64'),
};

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, 'migrations'));
  return {
    test: {
      projects: [
        {
          // The fiscal core and the CLI scripts: plain Node, as they run in production tooling.
          test: {
            name: 'node',
            environment: 'node',
            include: ['src/cfdi/**/*.test.ts', 'scripts/**/*.test.ts', 'test/node/**/*.test.ts'],
            testTimeout: 30_000,
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                // Pins the production setting: a developer's .dev.vars (npm start turns local webhooks on) must not leak in.
                bindings: { ...testSecrets, ...testCsd, ALLOW_LOCAL_WEBHOOKS: 'false', TEST_MIGRATIONS: migrations },
                outboundService: receptorOutbound,
                // Lets tests inside workerd hand files (stamped XML, PDFs) to the oracle folder on disk.
                serviceBindings: {
                  TEST_RECEIVER: receptorControl,
                  TEST_CORREO: correosEnviados,
                  TEST_OUTPUT: async (request: Request) => {
                    const rel = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, '');
                    if (rel.includes('..')) return new Response('bad path', { status: 400 });
                    const file = path.join(outputDir, rel);
                    await mkdir(path.dirname(file), { recursive: true });
                    await writeFile(file, new Uint8Array(await request.arrayBuffer()));
                    return new Response('ok');
                  },
                },
              },
            }),
          ],
          test: {
            name: 'workers',
            include: ['src/**/*.test.ts', 'admin/**/*.test.ts', 'autofactura/**/*.test.ts', 'test/workers/**/*.test.ts'],
            exclude: ['src/cfdi/**'],
            setupFiles: ['./test/setup.ts'],
            testTimeout: 30_000,
          },
        },
      ],
    },
  };
});
