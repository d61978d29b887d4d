import { and, eq, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Context } from 'hono';
import type { Db } from '../db/client';
import type { Mode } from '../db/schema';
import type { AppEnv } from './context';
import { DomainError } from './errors';

// The one place tenant data is scoped: every read and write of a tenant table goes through here,
// so nothing is ever looked up by id alone. Another tenant's object is a 404, never a 403.

export interface Tenant {
  applicationId: string;
  mode: Mode;
}

export type TenantTable = SQLiteTable & {
  id: AnySQLiteColumn;
  client_application_id: AnySQLiteColumn;
  mode: AnySQLiteColumn;
};

export function tenantOf(c: Context<AppEnv>): Tenant {
  const { applicationId, mode } = c.get('auth');
  return { applicationId, mode };
}

/**
 * Where a platform's own Idempotency-Keys live (its applications and webhook endpoints): the idempotency table is keyed
 * by tenant, and a platform's id (a UUIDv7 of its own) never collides with an application's.
 */
export const idempotenciaDePlataforma = (platformId: string): Tenant => ({ applicationId: platformId, mode: 'live' });

/** The tenant a stored row belongs to (jobs act for the row's own tenant: the id came from our queue). */
export const tenantOfRow = (row: { client_application_id: string; mode: Mode }): Tenant => ({ applicationId: row.client_application_id, mode: row.mode });

/**
 * The database that holds a tenant's rows. Today there is one D1; when it fills, the shard of the
 * tenant's application is chosen here and nowhere else (docs/escala.md).
 */
export function tenantDb<D extends { db: Db; d1: D1Database }>(deps: D, _t: Tenant): Pick<D, 'db' | 'd1'> {
  return deps;
}

/** WHERE client_application_id = ? AND mode = ? AND …extra */
export function tenantWhere(table: TenantTable, t: Tenant, ...extra: (SQL | undefined)[]): SQL {
  return and(eq(table.client_application_id, t.applicationId), eq(table.mode, t.mode), ...extra)!;
}

/** The columns every insert into a tenant table must carry. */
export const tenantColumns = (t: Tenant) => ({ client_application_id: t.applicationId, mode: t.mode });

export async function findOwned<T extends TenantTable>(
  db: Db,
  table: T,
  t: Tenant,
  id: string,
  what: string,
  extra?: SQL,
): Promise<T['$inferSelect']> {
  const row = await db.select().from(table as SQLiteTable).where(tenantWhere(table, t, eq(table.id, id), extra)).get();
  if (!row) throw DomainError.notFound(what);
  return row as T['$inferSelect'];
}
