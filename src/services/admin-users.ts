import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { adminUsers } from '../db/schema';
import type { Deps } from '../deps';
import { fromBase64, randomBytes, timingSafeEqual, toBase64 } from '../lib/crypto';
import { uuidv7 } from '../lib/ids';
import { MINUTE } from '../lib/time';
import { revokeAllSessions } from './admin-sessions';

// The admin panel's operators: PBKDF2 password hashes and account lockout after repeated failed sign-ins.
// Web Crypto only, so the seed (`npm start`, `npm run admin`) builds the same row in Node.
// Sessions are rows (admin-sessions.ts); the cookie and CSRF are the panel's own (admin/auth.ts).

// Workers' PBKDF2 refuses more than 100,000 iterations; that is also the issue's floor.
export const PBKDF2_ITERATIONS = 100_000;
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;

export type AdminUser = typeof adminUsers.$inferSelect;

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256));
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
  const salt = randomBytes(16);
  return { hash: toBase64(await pbkdf2(password, salt, iterations)), salt: toBase64(salt), iterations };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const derived = await pbkdf2(password, fromBase64(stored.salt), stored.iterations);
  return timingSafeEqual(toBase64(derived), stored.hash);
}

export interface NewAdmin {
  email: string;
  name: string;
  password: string;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The row of a new admin (the password only as its hash); pure, so the seed writes it as SQL. */
export async function newAdminRow({ email, name, password }: NewAdmin) {
  const h = await hashPassword(password);
  return {
    id: uuidv7(),
    email: normalizeEmail(email),
    name: name.trim(),
    password_hash: h.hash,
    password_salt: h.salt,
    password_iterations: h.iterations,
  } satisfies typeof adminUsers.$inferInsert;
}

export async function createAdmin(deps: Pick<Deps, 'db'>, admin: NewAdmin): Promise<{ id: string }> {
  const row = await newAdminRow(admin);
  await deps.db.insert(adminUsers).values(row);
  return { id: row.id };
}

export type SignInResult =
  | { ok: true; admin: AdminUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: string };

// Unknown e-mails still pay for one PBKDF2 so timing does not reveal which accounts exist.
let dummyHash: Promise<PasswordHash> | undefined;

/**
 * Attempt n of an unlocked account has its password checked only after one guarded UPDATE has counted it, so
 * parallel tries cannot all read the same count: at most MAX_FAILED_ATTEMPTS passwords are checked per lock
 * period. The attempt that reaches the maximum sets the lock as it is counted, and if its password is the
 * right one it still signs in (and lifts the lock).
 */
export async function signIn(deps: Pick<Deps, 'db' | 'clock'>, email: string, password: string): Promise<SignInResult> {
  const now = deps.clock();
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + LOCK_MINUTES * MINUTE).toISOString();
  const byEmail = eq(adminUsers.email, normalizeEmail(email));
  // A lock that has run out starts a fresh count. SQLite evaluates every SET against the row as it was.
  const attempt = sql`CASE WHEN ${adminUsers.locked_until} IS NULL THEN ${adminUsers.failed_attempts} + 1 ELSE 1 END`;
  const [[admin], [account]] = await deps.db.batch([
    deps.db
      .update(adminUsers)
      .set({
        failed_attempts: attempt,
        locked_until: sql`CASE WHEN ${attempt} >= ${MAX_FAILED_ATTEMPTS} THEN ${until} END`,
        updated_at: nowIso,
      })
      .where(and(byEmail, or(isNull(adminUsers.locked_until), lte(adminUsers.locked_until, nowIso))))
      .returning(),
    // Read in the same batch, for when the UPDATE changed nothing: locked, or no such admin.
    deps.db.select({ locked_until: adminUsers.locked_until }).from(adminUsers).where(byEmail),
  ]);
  if (!admin) {
    if (account?.locked_until) return { ok: false, reason: 'locked', until: account.locked_until };
    dummyHash ??= hashPassword('not-a-password');
    await verifyPassword(password, await dummyHash);
    return { ok: false, reason: 'invalid' };
  }

  const good = await verifyPassword(password, {
    hash: admin.password_hash,
    salt: admin.password_salt,
    iterations: admin.password_iterations,
  });
  if (good) {
    await deps.db
      .update(adminUsers)
      .set({ failed_attempts: 0, locked_until: null, last_login_at: nowIso, updated_at: nowIso })
      .where(eq(adminUsers.id, admin.id))
      .run();
    return { ok: true, admin };
  }
  if (!admin.locked_until) return { ok: false, reason: 'invalid' };
  // Someone is guessing this password: the sessions already open end too, not only new sign-ins.
  await revokeAllSessions(deps, admin.id);
  return { ok: false, reason: 'locked', until: admin.locked_until };
}
