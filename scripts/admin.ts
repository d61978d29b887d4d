// npm run admin -- create --email E --password P --name N [--persist-to DIR]
// Creates a panel admin in the local D1 that `wrangler dev` uses (PBKDF2 hash computed here, never the password).
import { parseArgs } from 'node:util';
import { adminSeedSql } from '../admin/auth';
import { normalizeEmail } from '../src/services/admin-users';
import { execSql, q, querySql } from './lib/local-d1';

const USAGE = 'usage: npm run admin -- create --email <email> --password <password> --name <name> [--persist-to <dir>]';
const MIN_PASSWORD = 10;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, 'persist-to': { type: 'string' } },
  });
  if (command !== 'create') throw new Error(USAGE);
  const { email, password, name } = values;
  if (!email || !password || !name) throw new Error(USAGE);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error(`not an e-mail address: ${email}`);
  if (password.length < MIN_PASSWORD) throw new Error(`the password needs at least ${MIN_PASSWORD} characters`);
  const o = { persistTo: values['persist-to'] };
  if (querySql(`SELECT id FROM hexafac_admin_users WHERE email = ${q(normalizeEmail(email))}`, o).length) {
    throw new Error(`an admin with e-mail ${normalizeEmail(email)} already exists`);
  }
  execSql(await adminSeedSql({ email, name, password }), o);
  console.log(`admin created: ${normalizeEmail(email)} — sign in at /admin/login`);
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`admin: ${e.message}`);
  process.exit(1);
});
