// Every test file starts from the production migrations, as `wrangler d1 migrations apply` would.
import { applyD1Migrations, env } from 'cloudflare:test';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
