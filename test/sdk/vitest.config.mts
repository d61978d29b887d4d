import { defineConfig } from 'vitest/config';

// `npm run test:sdk`: the packed SDK end to end against `wrangler dev` (slow: pack, install, start the stack).
export default defineConfig({
  // The local stack's scripts reach src/deps.ts, which imports `cloudflare:email` for the Worker; in this Node
  // process nothing sends an email, so the module is an empty stand-in (as in scripts/gen-sdk-types.ts).
  resolve: { alias: { 'cloudflare:email': new URL('./cloudflare-email.ts', import.meta.url).pathname } },
  test: {
    name: 'sdk',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/sdk/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
