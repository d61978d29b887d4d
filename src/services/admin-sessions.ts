import { and, eq, gt, isNull, lte, or, type SQL } from 'drizzle-orm';
import { adminSessions, adminUsers } from '../db/schema';
import type { Deps } from '../deps';
import { uuidv7 } from '../lib/ids';
import { HOUR } from '../lib/time';

// The panel's sessions as rows: the cookie (admin/auth.ts) names one, so signing out, "close all sessions"
// or a lockout ends it at once, whatever the cookie's own expiry says.

export const SESSION_MS = 8 * HOUR;

export interface NewSession {
  id: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A fresh session for an admin who just signed in; `replaces` (the browser's previous one) ends with it. */
export async function createSession(deps: Pick<Deps, 'db' | 'clock'>, adminId: string, replaces?: string): Promise<NewSession> {
  const createdAt = deps.clock();
  const session = { id: uuidv7(createdAt.getTime()), createdAt, expiresAt: new Date(createdAt.getTime() + SESSION_MS) };
  const insert = deps.db.insert(adminSessions).values({
    id: session.id,
    admin_id: adminId,
    created_at: createdAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
  });
  if (replaces) await deps.db.batch([revoke(deps, createdAt, eq(adminSessions.id, replaces)), insert]);
  else await insert.run();
  return session;
}

/**
 * The admin behind session `id` if it may still act: the row is there, not revoked, not expired, and its
 * admin exists and is not locked out. One query, on every signed-in request.
 */
export async function findActiveSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  id: string,
  adminId: string,
): Promise<{ email: string; name: string } | undefined> {
  const now = deps.clock().toISOString();
  return deps.db
    .select({ email: adminUsers.email, name: adminUsers.name })
    .from(adminSessions)
    .innerJoin(adminUsers, eq(adminUsers.id, adminSessions.admin_id))
    .where(
      and(
        eq(adminSessions.id, id),
        eq(adminSessions.admin_id, adminId),
        isNull(adminSessions.revoked_at),
        gt(adminSessions.expires_at, now),
        or(isNull(adminUsers.locked_until), lte(adminUsers.locked_until, now)),
      ),
    )
    .get();
}

export async function revokeSession(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<void> {
  await revoke(deps, deps.clock(), eq(adminSessions.id, id)).run();
}

/** Every open session of the admin, in every browser. */
export async function revokeAllSessions(deps: Pick<Deps, 'db' | 'clock'>, adminId: string): Promise<void> {
  await revoke(deps, deps.clock(), eq(adminSessions.admin_id, adminId)).run();
}

const revoke = (deps: Pick<Deps, 'db'>, at: Date, which: SQL) =>
  deps.db
    .update(adminSessions)
    .set({ revoked_at: at.toISOString() })
    .where(and(which, isNull(adminSessions.revoked_at)));
