import { eq } from 'drizzle-orm';
import { accounts } from '../../drizzle/schema';
import type { AccountSettings } from './tokens';
import { database, iso } from './db';

/** Inserts the account unless its id is taken; answers whether it was created. */
export async function insertAccount(d1: D1Database, account: AccountSettings): Promise<boolean> {
  const result = await database(d1).insert(accounts).values(account).onConflictDoNothing().run();
  return result.meta.changes === 1;
}

export async function findAccount(d1: D1Database, id: string): Promise<AccountSettings | undefined> {
  const [row] = await database(d1).select().from(accounts).where(eq(accounts.id, id));
  if (!row) return undefined;
  const { chainSeq: _seq, chainHash: _hash, ...settings } = row;
  return settings;
}

export function accountView(account: AccountSettings) {
  return {
    id: account.id,
    name: account.name,
    timezone: account.timezone,
    retentionMonths: account.retentionMonths,
    auditEnabledAt: iso(account.auditEnabledAt),
    createdAt: iso(account.createdAt),
  };
}
