import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Db = ReturnType<typeof makeDb>;

const makeDb = (d1: D1Database) => drizzle(d1, { schema });

// drizzle() rebuilds the relational config of the whole schema on every call (~7% of an accepted
// factura's CPU when each request made three): one instance per D1 binding, which lives as long as the isolate.
const dbs = new WeakMap<D1Database, Db>();

export function getDb(env: { DB: D1Database }): Db {
  let db = dbs.get(env.DB);
  if (!db) dbs.set(env.DB, (db = makeDb(env.DB)));
  return db;
}

/** A Drizzle query as a plain D1 statement, for a batch that also holds raw statements (e.g. an idempotency receipt). */
export function statementOf(d1: D1Database, query: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return d1.prepare(sql).bind(...params);
}
