import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The local D1 that `wrangler dev` uses, reached through wrangler itself (no Cloudflare account).

const wrangler = path.join(process.cwd(), 'node_modules', '.bin', 'wrangler');

export interface LocalD1Options {
  persistTo?: string;
}

const persistArgs = (o: LocalD1Options) => (o.persistTo ? ['--persist-to', o.persistTo] : []);

export function applyMigrations(o: LocalD1Options = {}): void {
  execFileSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs(o)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CI: 'true' },
  });
}

/** Runs SQL statements (one file, one transaction-less batch) against the local DB. */
export function execSql(sql: string, o: LocalD1Options = {}): void {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'hexafac-')), 'seed.sql');
  writeFileSync(file, sql);
  execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--yes', '--file', file, ...persistArgs(o)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function querySql<T = Record<string, unknown>>(sql: string, o: LocalD1Options = {}): T[] {
  const out = execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--json', '--command', sql, ...persistArgs(o)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const parsed = JSON.parse(out) as { results: T[] }[];
  return parsed.flatMap((r) => r.results);
}

/** SQL string literal. */
export const q = (v: string | null | undefined) => (v == null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
