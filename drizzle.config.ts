import { defineConfig } from 'drizzle-kit';

// drizzle-kit generates the SQL migrations that wrangler, `npm start` and the tests apply.
export default defineConfig({
  dialect: 'sqlite',
  schema: './drizzle/schema.ts',
  out: './drizzle',
});
