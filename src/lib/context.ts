import type { Deps } from '../deps';
import type { Env } from '../env';
import type { clientApplications, Mode } from '../db/schema';

export interface AuthContext {
  keyId: string;
  applicationId: string;
  mode: Mode;
  scopes: string[];
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
  };
}
