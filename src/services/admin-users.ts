import { eq } from 'drizzle-orm';
import { adminUsers } from '../db/schema';
import type { Deps } from '../deps';
import { fromBase64, randomBytes, timingSafeEqual, toBase64 } from '../lib/crypto';
import { uuidv7 } from '../lib/ids';
import { MINUTE } from '../lib/time';

// The admin panel's operators: PBKDF2 password hashes and account lockout after repeated failed sign-ins.
// Web Crypto only, so the seed (`npm start`, `npm run admin`) builds the same row in Node.
// The session cookie and CSRF are the panel's own (admin/auth.ts).

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

export async function signIn(deps: Pick<Deps, 'db' | 'clock'>, email: string, password: string): Promise<SignInResult> {
  const admin = await deps.db.select().from(adminUsers).where(eq(adminUsers.email, normalizeEmail(email))).get();
  if (!admin) {
    dummyHash ??= hashPassword('not-a-password');
    await verifyPassword(password, await dummyHash);
    return { ok: false, reason: 'invalid' };
  }
  const now = deps.clock();
  const nowIso = now.toISOString();
  if (admin.locked_until && admin.locked_until > nowIso) return { ok: false, reason: 'locked', until: admin.locked_until };

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
  // A lock that has run out starts a fresh count.
  const attempts = (admin.locked_until ? 0 : admin.failed_attempts) + 1;
  const locked = attempts >= MAX_FAILED_ATTEMPTS;
  const until = new Date(now.getTime() + LOCK_MINUTES * MINUTE).toISOString();
  await deps.db
    .update(adminUsers)
    .set({ failed_attempts: locked ? 0 : attempts, locked_until: locked ? until : null, updated_at: nowIso })
    .where(eq(adminUsers.id, admin.id))
    .run();
  return locked ? { ok: false, reason: 'locked', until } : { ok: false, reason: 'invalid' };
}

/** Whether a session's admin may still act: the account exists and is not locked out. */
export async function isAdminActive(deps: Pick<Deps, 'db' | 'clock'>, adminId: string): Promise<boolean> {
  const admin = await deps.db.select({ locked_until: adminUsers.locked_until }).from(adminUsers).where(eq(adminUsers.id, adminId)).get();
  return !!admin && !(admin.locked_until && admin.locked_until > deps.clock().toISOString());
}
