import type { Deps } from '../src/deps';
import type { Env } from '../src/env';

export interface PortalEnv {
  Bindings: Env;
  Variables: { requestId: string; deps: Deps };
}
