import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Every test file starts from the real schema, as `wrangler d1 migrations apply` would make it.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
