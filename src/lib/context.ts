import type { Deps } from '../deps';
import type { Env } from '../env';
import type { clientApplications, Mode, Plan } from '../db/schema';

export interface AuthContext {
  keyId: string;
  applicationId: string;
  mode: Mode;
  scopes: string[];
}

/** The calling platform key (src/lib/auth-plataforma.ts): it manages that platform's applications. */
export interface PlatformContext {
  platformId: string;
  keyId: string;
  scopes: string[];
  plan: Plan;
}

/** Hono environment shared by the API and the admin panel. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Built by requireAuth from the bindings (src/deps.ts); handlers pass it to the services. */
    deps: Deps;
    auth: AuthContext;
    /** The calling key's client application (set with `auth`). */
    application: typeof clientApplications.$inferSelect;
    /** Set by requirePlatformAuth instead of `auth` on /plataforma routes. */
    plataforma: PlatformContext;
  };
}
