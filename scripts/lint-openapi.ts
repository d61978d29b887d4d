// npm run lint:openapi [-- --out FILE]
// Lints the OpenAPI document exactly as the app serves it with Redocly's recommended ruleset (redocly.yaml) and
// fails on any error or warning: outside tools (generators, Postman, gateways) accept what passes it cleanly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openapiDocument } from './gen-sdk-types';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const file = values.out ?? path.join(mkdtempSync(path.join(tmpdir(), 'hexafac-openapi-')), 'openapi.json');
writeFileSync(file, JSON.stringify(await openapiDocument(), null, 2));

const r = spawnSync(path.join(root, 'node_modules/.bin/redocly'), ['lint', file, '--config', path.join(root, 'redocly.yaml'), '--format', 'json'], {
  encoding: 'utf8',
  // offline: no telemetry, no update check
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1' },
});
const inicio = r.stdout.indexOf('{');
if (inicio < 0) {
  console.error(r.stdout, r.stderr);
  process.exit(1);
}
interface Problema {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}
const { problems } = JSON.parse(r.stdout.slice(inicio)) as { problems: Problema[] };
for (const p of problems) console.log(`${p.severity.padEnd(5)} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ''})`);
const errores = problems.filter((p) => p.severity === 'error').length;
console.log(`openapi lint (redocly recommended): ${errores} errors, ${problems.length - errores} warnings`);
process.exit(problems.length === 0 ? 0 : 1);
