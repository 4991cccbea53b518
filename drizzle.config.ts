import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './server/adapters/sqlite/schema.ts',
  out: './drizzle',
});
