// Sending the demo history through the batch API, only when the account has none yet.
// Batches are all-or-nothing and go out in order, so the newest event shows how far an
// interrupted seeding got; a re-run resends from there (replays are idempotent).
import type { Api } from '../lib/api-client';
import type { AccountView } from './provision';
import { DEMO_ACCOUNT } from './account';
import { DEMO_CHANGE_ID_PREFIX, generateDemoHistory, type DemoHistoryOptions } from './seed-history';
import type { DemoChange } from './story';

const BATCH_SIZE = 500;
/** Keep the newest seeded change a little before the account was created. */
const END_MARGIN_MS = 60_000;

export interface SeedResult {
  status: 'seeded' | 'resumed' | 'skipped';
  /** Why nothing was sent, when skipped. */
  reason?: string;
  changesSent: number;
  eventsCreated: number;
  ms: number;
}

/**
 * The story's window and zone, from the account itself: the same account always gets the
 * same bodies, so resending after an interruption replays instead of conflicting.
 */
export function demoStoryOptions(account: Pick<AccountView, 'createdAt' | 'auditEnabledAt' | 'timezone'>): DemoHistoryOptions {
  const to = Date.parse(account.createdAt) - END_MARGIN_MS;
  const from = Math.max(Date.parse(account.auditEnabledAt), to - DEMO_ACCOUNT.historyDays * 86_400_000);
  return { from, to, timeZone: account.timezone };
}

export function demoHistoryFor(account: AccountView): DemoChange[] {
  return generateDemoHistory(demoStoryOptions(account));
}

export async function seedDemoHistory(
  api: Api,
  account: AccountView,
  tokens: { writer: string; reader: string },
  onProgress?: (sent: number, total: number) => void,
): Promise<SeedResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const newest = await api<{ events: { changeId: string }[] }>(`/v1/accounts/${account.id}/events?limit=1`, { token: tokens.reader });
  const newestChangeId = newest.body.events[0]?.changeId;
  if (newestChangeId !== undefined && !newestChangeId.startsWith(DEMO_CHANGE_ID_PREFIX))
    return { status: 'skipped', reason: 'the account already has history', changesSent: 0, eventsCreated: 0, ms: elapsed() };

  const history = demoHistoryFor(account);
  const resumeAfter = newestChangeId === undefined ? -1 : history.findIndex((change) => change.changeId === newestChangeId);
  if (newestChangeId !== undefined && resumeAfter < 0)
    return {
      status: 'skipped',
      reason: `its newest change ${newestChangeId} is not part of this story`,
      changesSent: 0,
      eventsCreated: 0,
      ms: elapsed(),
    };
  if (resumeAfter === history.length - 1)
    return { status: 'skipped', reason: 'already seeded', changesSent: 0, eventsCreated: 0, ms: elapsed() };

  const pending = history.slice(resumeAfter + 1);
  let eventsCreated = 0;
  for (let i = 0; i < pending.length; i += BATCH_SIZE) {
    const batch = pending.slice(i, i + BATCH_SIZE);
    const result = await api<{ events: number }>(`/v1/accounts/${account.id}/changes/batch`, {
      token: tokens.writer,
      body: { changes: batch },
    });
    eventsCreated += result.body.events;
    onProgress?.(resumeAfter + 1 + i + batch.length, history.length);
  }
  return { status: resumeAfter >= 0 ? 'resumed' : 'seeded', changesSent: pending.length, eventsCreated, ms: elapsed() };
}
