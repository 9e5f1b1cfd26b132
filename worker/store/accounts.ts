import { eq, gt, sql } from 'drizzle-orm';
import { accounts, checkpoints, type AccountRow } from '../../drizzle/schema';
import { database, iso } from './db';

export interface AccountSettings {
  id: string;
  name: string;
  timezone: string;
  retentionMonths: number;
  auditEnabledAt: number;
  createdAt: number;
}

/** Inserts the account unless its id is taken; answers whether it was created. */
export async function insertAccount(d1: D1Database, account: AccountSettings): Promise<boolean> {
  const result = await database(d1).insert(accounts).values(account).onConflictDoNothing().run();
  return result.meta.changes === 1;
}

export async function findAccount(d1: D1Database, id: string): Promise<AccountSettings | undefined> {
  const [row] = await database(d1).select().from(accounts).where(eq(accounts.id, id));
  if (!row) return undefined;
  return accountSettings(row);
}

/** The settings part of an account row (not its chain bookkeeping). */
export function accountSettings(row: AccountRow): AccountSettings {
  const { id, name, timezone, retentionMonths, auditEnabledAt, createdAt } = row;
  return { id, name, timezone, retentionMonths, auditEnabledAt, createdAt };
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

/** Accounts whose chain head is beyond their newest signed checkpoint. */
export async function accountsWithUnsignedHead(d1: D1Database): Promise<string[]> {
  const newestSigned = sql`coalesce((SELECT max(${checkpoints.seq}) FROM ${checkpoints} WHERE ${checkpoints.accountId} = ${accounts.id}), 0)`;
  const rows = await database(d1).select({ id: accounts.id }).from(accounts).where(gt(accounts.chainSeq, newestSigned));
  return rows.map((row) => row.id);
}
