import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';

const root = path.dirname(new URL(import.meta.url).pathname);
const outputDir = path.join(root, 'test/output');
const fixture = (f: string) => (existsSync(path.join(root, 'test/fixtures', f)) ? readFileSync(path.join(root, 'test/fixtures', f), 'utf8') : '');

// Test-only secrets: a fixed master key and the sandbox PAC's fixture key pair (never the SAT's).
const testSecrets = {
  MASTER_KEY: 'dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=',
  ADMIN_JWT_SECRET: 'test-admin-jwt-secret-with-enough-entropy-0123456789',
  SANDBOX_PAC_KEY_PEM: fixture('pac/sandbox-pac.key.pem'),
  SANDBOX_PAC_CERT_PEM: fixture('pac/sandbox-pac.cer.pem'),
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
                bindings: { ...testSecrets, TEST_MIGRATIONS: migrations },
                // Lets tests inside workerd hand files (stamped XML, PDFs) to the oracle folder on disk.
                serviceBindings: {
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
            include: ['src/**/*.test.ts', 'admin/**/*.test.ts', 'test/workers/**/*.test.ts'],
            exclude: ['src/cfdi/**'],
            setupFiles: ['./test/setup.ts'],
            testTimeout: 30_000,
          },
        },
      ],
    },
  };
});
