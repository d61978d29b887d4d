import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context';
import { DomainError, zodDetails } from './errors';

/** Every router validates the same way: all problems at once, as a 422 in the one error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) throw DomainError.validation(zodDetails(result.error));
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;
