// npm run keys -- create --app <id> [--mode test|live] [--name N] [--scopes a,b] [--expires YYYY-MM-DD|ISO]
// npm run keys -- list [--app <id>]
// npm run keys -- revoke <key id>
import { parseArgs } from 'node:util';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { apiKeys } from '../src/db/schema';
import { DomainError } from '../src/lib/errors';
import { nuevaApiKey, SCOPES } from '../src/services/api-keys';
import { execSql, q, querySql } from './lib/local-d1';

/** The key row of the api-keys service (the panel's very row), as SQL for the local D1. */
export async function insertKeySql(opts: { applicationId: string; mode: string; name: string; scopes: readonly string[]; expiresAt?: string }) {
  const { token, fila } = await nuevaApiKey(opts.applicationId, { name: opts.name, mode: opts.mode, scopes: opts.scopes, expires: opts.expiresAt }, new Date());
  // Each value as its column stores it (the scopes' JSON mode included), as drizzle would bind it.
  const columnas = Object.entries(getTableColumns(apiKeys)).filter(([k]) => fila[k as keyof typeof fila] !== undefined);
  const valores = columnas.map(([k, col]) => {
    const v = col.mapToDriverValue(fila[k as keyof typeof fila]);
    return typeof v === 'number' ? String(v) : q(v as string | null);
  });
  const sql = `INSERT INTO ${getTableName(apiKeys)} (${columnas.map(([, col]) => col.name).join(', ')}) VALUES (${valores.join(', ')});`;
  return { id: fila.id, token, sql };
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { app: { type: 'string' }, mode: { type: 'string', default: 'test' }, name: { type: 'string', default: 'cli' }, scopes: { type: 'string' }, expires: { type: 'string' } },
  });
  switch (command) {
    case 'create': {
      if (!values.app) throw new Error('--app <client application id> is required');
      const scopes = values.scopes ? values.scopes.split(',').map((s) => s.trim()) : [...SCOPES];
      const apps = querySql(`SELECT id FROM hexafac_client_applications WHERE id = ${q(values.app)}`);
      if (!apps.length) throw new Error(`no client application ${values.app}`);
      const k = await insertKeySql({ applicationId: values.app, mode: values.mode!, name: values.name!, scopes, expiresAt: values.expires });
      execSql(k.sql);
      console.log(`key id: ${k.id}\ntoken (shown once): ${k.token}`);
      return;
    }
    case 'list': {
      const where = values.app ? `WHERE k.client_application_id = ${q(values.app)}` : '';
      const rows = querySql(
        `SELECT k.id, a.name AS application, k.name, k.mode, k.prefix, k.scopes, k.last_used_at, k.expires_at, k.revoked_at
         FROM hexafac_api_keys k JOIN hexafac_client_applications a ON a.id = k.client_application_id ${where} ORDER BY k.created_at`,
      );
      console.table(rows);
      return;
    }
    case 'revoke': {
      const id = positionals[0];
      if (!id) throw new Error('usage: keys revoke <key id>');
      const found = querySql(`SELECT id FROM hexafac_api_keys WHERE id = ${q(id)}`);
      if (!found.length) throw new Error(`no key ${id}`);
      execSql(`UPDATE hexafac_api_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ${q(id)} AND revoked_at IS NULL;`);
      console.log(`revoked ${id}`);
      return;
    }
    default:
      console.error('usage: npm run keys -- create --app ID [--mode test|live] [--name N] [--scopes a,b] [--expires ISO] | list [--app ID] | revoke KEY_ID\nscopes: ' + SCOPES.join(', '));
      process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`keys: ${e.message}`);
    // The service's refusals name the option at fault.
    for (const d of e instanceof DomainError ? e.details : []) console.error(`  ${d.path}: ${d.message}`);
    process.exit(1);
  });
}
