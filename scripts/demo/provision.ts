// The demo account, its tokens and its history, set up through the API once; later starts
// reuse them. Tokens are shown only once by the API, so they are kept in a file
// (.wrangler/demo-tokens.json). The history goes out in all-or-nothing batches, in order, so
// the newest event shows how far an interrupted seeding got; a re-run resends from there.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Scope } from '../../shared/vocabulary';
import type { Account } from '../../worker/schemas/accounts';
import type { Api } from '../lib/api-client';
import { DEMO_ACCOUNT } from './account';
import { DEMO_CHANGE_ID_PREFIX, generateDemoHistory, type DemoHistoryOptions } from './seed-history';
import { DAY } from './story';

/** One token per role. */
export const DEMO_TOKEN_ROLES: { role: string; name: string; scopes: Scope[] }[] = [
  { role: 'emitter', name: 'Demo workspace (emitter)', scopes: ['events:write'] },
  { role: 'viewer', name: 'Viewer', scopes: ['audit:read'] },
  { role: 'viewerWithExport', name: 'Viewer with export', scopes: ['audit:read', 'audit:export'] },
  { role: 'accountAdmin', name: 'Account admin', scopes: ['account:admin'] },
  { role: 'admin', name: 'Admin (all scopes)', scopes: ['events:write', 'audit:read', 'audit:export', 'account:admin'] },
];
export type DemoToken = (typeof DEMO_TOKEN_ROLES)[number] & { id: string; token: string };
/** The account as the API returns it (type-only import of the Worker's schema). */
export type AccountView = z.output<typeof Account>;
/** What seeding did; `reason`: why nothing was sent, when skipped. */
export type SeedResult = {
  status: 'seeded' | 'resumed' | 'skipped';
  reason?: string;
  changesSent: number;
  eventsCreated: number;
  ms: number;
};

/** The demo account, created if it does not exist yet. */
export async function ensureDemoAccount(api: Api, operatorToken: string): Promise<{ account: AccountView; created: boolean }> {
  const { id, name, timezone, auditEnabledDaysAgo } = DEMO_ACCOUNT;
  const existing = await api<AccountView>(`/v1/accounts/${id}`, { token: operatorToken, accept: [404] });
  if (existing.status === 200) return { account: existing.body, created: false };
  const auditEnabledAt = new Date(Math.floor(Date.now() / DAY - auditEnabledDaysAgo) * DAY).toISOString();
  const created = await api<AccountView>('/v1/accounts', {
    token: operatorToken,
    accept: [409],
    body: { id, name, timezone, auditEnabledAt },
  });
  // 409: created by someone else in the meantime.
  if (created.status === 409)
    return { account: (await api<AccountView>(`/v1/accounts/${id}`, { token: operatorToken })).body, created: false };
  return { account: created.body, created: true };
}

/** One token per demo role: the stored one while the Worker still accepts it with its scopes, else a new one. */
export async function ensureDemoTokens(api: Api, operatorToken: string, accountId: string, file: string) {
  let stored: DemoToken[] = [];
  try {
    const parsed = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { accountId: string; tokens: DemoToken[] }) : undefined;
    if (parsed?.accountId === accountId && Array.isArray(parsed.tokens)) stored = parsed.tokens;
  } catch {
    // unreadable: make new tokens
  }
  const tokens: DemoToken[] = [];
  const created: string[] = [];
  for (const { role, name, scopes } of DEMO_TOKEN_ROLES) {
    const previous = stored.find((token) => token.role === role);
    const me =
      previous && (await api<{ scopes: string[] }>(`/v1/accounts/${accountId}/me`, { token: previous.token, accept: [401, 403, 404] }));
    if (me?.status === 200 && [...me.body.scopes].sort().join() === [...scopes].sort().join()) {
      tokens.push(previous!);
      continue;
    }
    const fresh = await api<{ id: string; token: string }>(`/v1/accounts/${accountId}/tokens`, {
      token: operatorToken,
      body: { name, scopes },
    });
    tokens.push({ role, name, scopes, id: fresh.body.id, token: fresh.body.token });
    created.push(role);
  }
  if (created.length) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ accountId, tokens }, null, 2) + '\n', { mode: 0o600 });
  }
  return { tokens, created };
}

/**
 * The story's window and zone, from the account itself: the same account always gets the same
 * bodies, so resending after an interruption replays instead of conflicting. The newest change
 * stays a minute before the account was created.
 */
export function demoStoryOptions(account: Pick<AccountView, 'createdAt' | 'auditEnabledAt' | 'timezone'>): DemoHistoryOptions {
  const to = Date.parse(account.createdAt) - 60_000;
  return { from: Math.max(Date.parse(account.auditEnabledAt), to - DEMO_ACCOUNT.historyDays * DAY), to, timeZone: account.timezone };
}

/** Sends the demo history through the batch API, 500 changes at a time, unless the account has other history. */
export async function seedDemoHistory(
  api: Api,
  account: AccountView,
  tokens: { writer: string; reader: string },
  onProgress?: (sent: number, total: number) => void,
): Promise<SeedResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const skipped = (reason: string): SeedResult => ({ status: 'skipped', reason, changesSent: 0, eventsCreated: 0, ms: ms() });
  const newest = await api<{ events: { changeId: string }[] }>(`/v1/accounts/${account.id}/events?limit=1`, { token: tokens.reader });
  const newestId = newest.body.events[0]?.changeId;
  if (newestId !== undefined && !newestId.startsWith(DEMO_CHANGE_ID_PREFIX)) return skipped('the account already has history');
  const history = generateDemoHistory(demoStoryOptions(account));
  const resumeAfter = newestId === undefined ? -1 : history.findIndex((change) => change.changeId === newestId);
  if (newestId !== undefined && resumeAfter < 0) return skipped(`its newest change ${newestId} is not part of this story`);
  if (resumeAfter === history.length - 1) return skipped('already seeded');

  let eventsCreated = 0;
  for (let i = resumeAfter + 1; i < history.length; i += 500) {
    const changes = history.slice(i, i + 500);
    const sent = await api<{ events: number }>(`/v1/accounts/${account.id}/changes/batch`, { token: tokens.writer, body: { changes } });
    eventsCreated += sent.body.events;
    onProgress?.(i + changes.length, history.length);
  }
  return { status: resumeAfter >= 0 ? 'resumed' : 'seeded', changesSent: history.length - resumeAfter - 1, eventsCreated, ms: ms() };
}
