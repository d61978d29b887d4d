import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASSETS_MODULE, renderAssetsModule } from '../../src/routes/docs/build-assets';

// Committed generated files must match what their generators make from the current sources.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

describe('generated files are in sync', () => {
  it('sdk/src/schema.d.ts matches the API’s OpenAPI document (run: npx tsx scripts/gen-sdk-types.ts)', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'hexafac-schema-')), 'schema.d.ts');
    const openapi = `${out}.openapi.json`;
    execFileSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/gen-sdk-types.ts', '--out', out, '--openapi', openapi], { cwd: root, stdio: 'pipe' });
    const doc = JSON.parse(readFileSync(openapi, 'utf8'));
    expect(Object.keys(doc.paths)).toContain('/facturas');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(root, 'sdk/src/schema.d.ts'), 'utf8'));
  }, 120_000);

  it('src/routes/docs/assets.gen.js matches the installed swagger-ui-dist (run: npx tsx src/routes/docs/build-assets.ts)', () => {
    const expected = renderAssetsModule();
    expect(expected).toContain('SwaggerUIBundle');
    expect(readFileSync(ASSETS_MODULE, 'utf8') === expected).toBe(true);
  });
});
