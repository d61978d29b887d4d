// npm run keys -- create --app <id> [--mode test|live] [--name N] [--scopes a,b] [--expires ISO]
// npm run keys -- list [--app <id>]
// npm run keys -- revoke <key id>
import { parseArgs } from 'node:util';
import { generateApiKey, SCOPES, type Scope } from '../src/lib/auth';
import { uuidv7 } from '../src/lib/ids';
import { execSql, q, querySql } from './lib/local-d1';

export async function insertKeySql(opts: { applicationId: string; mode: 'test' | 'live'; name: string; scopes: readonly string[]; expiresAt?: string }) {
  const key = await generateApiKey(opts.mode);
  const id = uuidv7();
  const sql = `INSERT INTO hexafac_api_keys (id, client_application_id, name, mode, prefix, token_hash, scopes, expires_at)
VALUES (${q(id)}, ${q(opts.applicationId)}, ${q(opts.name)}, ${q(opts.mode)}, ${q(key.prefix)}, ${q(key.tokenHash)}, ${q(JSON.stringify(opts.scopes))}, ${q(opts.expiresAt)});`;
  return { id, token: key.token, sql };
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
      if (values.mode !== 'test' && values.mode !== 'live') throw new Error('--mode must be test or live');
      const scopes = values.scopes ? values.scopes.split(',').map((s) => s.trim()) : [...SCOPES];
      const unknown = scopes.filter((s) => !SCOPES.includes(s as Scope));
      if (unknown.length) throw new Error(`unknown scopes: ${unknown.join(', ')} (valid: ${SCOPES.join(', ')})`);
      if (values.expires && Number.isNaN(Date.parse(values.expires))) throw new Error('--expires must be an ISO date');
      const apps = querySql(`SELECT id FROM hexafac_client_applications WHERE id = ${q(values.app)}`);
      if (!apps.length) throw new Error(`no client application ${values.app}`);
      const k = await insertKeySql({ applicationId: values.app, mode: values.mode, name: values.name!, scopes, expiresAt: values.expires && new Date(values.expires).toISOString() });
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
      console.error('usage: npm run keys -- create --app ID [--mode test|live] [--name N] [--scopes a,b] [--expires ISO] | list [--app ID] | revoke KEY_ID');
      process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`keys: ${e.message}`);
    process.exit(1);
  });
}
