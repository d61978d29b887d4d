import { defineConfig } from 'drizzle-kit';

// Migrations are generated here and applied by wrangler (npm start) and by the vitest setup file.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
