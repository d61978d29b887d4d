import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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

export interface LocalD1Size {
  /** The database file's bytes (page_count × page_size after a checkpoint), or file + WAL without sqlite3. */
  bytes: number;
  /** Bytes by table, its indexes included (sqlite's dbstat); null when the sqlite3 CLI is not installed. */
  byTable: { table: string; bytes: number; indexBytes: number }[] | null;
}

/**
 * The size of the local D1 that `wrangler dev --persist-to dir` left, read from its SQLite file with the
 * system's sqlite3 CLI (wrangler's local D1 refuses PRAGMA and has no dbstat). Only the benchmark needs it
 * (apt-get install -y sqlite3); without it, the file sizes alone. Call it with wrangler stopped.
 */
export function localD1Size(persistTo: string): LocalD1Size {
  const dir = path.join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
  const file = path.join(dir, files[0]!);
  const sqlite3 = (sql: string) => execFileSync('sqlite3', ['-json', file, sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    sqlite3('PRAGMA wal_checkpoint(TRUNCATE);');
  } catch {
    const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
    return { bytes: size(file) + size(`${file}-wal`), byTable: null };
  }
  const [{ bytes }] = JSON.parse(sqlite3('SELECT page_count * page_size AS bytes FROM pragma_page_count, pragma_page_size;')) as [{ bytes: number }];
  const byTable = JSON.parse(
    sqlite3(`SELECT COALESCE(s.tbl_name, d.name) AS "table", SUM(d.pgsize) AS bytes,
       SUM(CASE WHEN s.type = 'index' THEN d.pgsize ELSE 0 END) AS indexBytes
     FROM dbstat d LEFT JOIN sqlite_schema s ON s.name = d.name GROUP BY 1 ORDER BY 2 DESC;`),
  ) as { table: string; bytes: number; indexBytes: number }[];
  return { bytes, byTable };
}
