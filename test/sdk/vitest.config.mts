import { defineConfig } from 'vitest/config';

// `npm run test:sdk`: the packed SDK end to end against `wrangler dev` (slow: pack, install, start the stack).
export default defineConfig({
  test: {
    name: 'sdk',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/sdk/**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
