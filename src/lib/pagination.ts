import { lt, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { DomainError } from './errors';

// Keyset pagination over UUIDv7 ids, newest first: `?limit=1..100&cursor=…` → {data, next_cursor}.

export const PaginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Elementos por página (1–100).' }),
  cursor: z.string().max(200).optional().meta({ description: 'El `next_cursor` de la página anterior.' }),
});

export const listSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });

const encode = (id: string) => btoa(id).replace(/=+$/, '');

/** The id a cursor points after, or null for a cursor we did not make. */
export function cursorId(cursor: string): string | null {
  try {
    const id = atob(cursor);
    return /^[0-9a-f-]{36}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** The `id < cursor` condition for the next page, or undefined on the first one. */
export function cursorCondition(idColumn: AnySQLiteColumn, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const id = cursorId(cursor);
  if (!id) throw DomainError.validation([{ path: 'cursor', message: 'Cursor inválido.' }]);
  return lt(idColumn, id);
}

/** Query `limit + 1` rows ordered by id desc, then hand them here. */
export function toPage<T extends { id: string }, R>(rows: T[], limit: number, map: (row: T) => R) {
  const more = rows.length > limit;
  const data = rows.slice(0, limit);
  return { data: data.map(map), next_cursor: more ? encode(data[data.length - 1]!.id) : null };
}
