// The Worker's own modules, loaded at run time (through tsx) so the benchmarks use exactly
// the code the Worker runs: the SQL it builds and its domain logic. Loaded dynamically so
// that type-checking the Node project does not pull in the Worker's workerd-typed sources.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './wrangler';

const load = (file: string): Promise<any> => import(pathToFileURL(path.join(ROOT, file)).href);

export async function workerModules() {
  const [reader, recorder, changes, input, time, tokens, authTokens, diff, crypto, view, writer, catalog, search] = await Promise.all([
    load('worker/store/event-reader.ts'),
    load('worker/domain/record-changes.ts'),
    load('worker/schemas/changes.ts'),
    load('worker/http/input.ts'),
    load('worker/domain/time.ts'),
    load('worker/store/tokens.ts'),
    load('worker/auth/tokens.ts'),
    load('worker/domain/snapshot-diff.ts'),
    load('worker/domain/crypto.ts'),
    load('worker/domain/event-view.ts'),
    load('worker/store/event-writer.ts'),
    load('worker/domain/object-catalog.ts'),
    // Issue 12's trigram search (absent before it: then 0).
    load('worker/store/event-search.ts').catch(() => ({})),
  ]);
  return {
    readEventPage: reader.readEventPage as (
      d1: unknown,
      filter: unknown,
      after: unknown,
      limit: number,
    ) => Promise<{ rows: any[]; next?: { occurredAt: number; seq: number } }>,
    /** What the account's writer does with one request alone: checkChanges, then a group of one
     *  (the head read from D1). Versions before the writer had recordChanges itself. */
    recordChanges: (recorder.recordChanges ??
      ((d1: unknown, account: { id: string }, incoming: unknown[]) =>
        recorder.writeGroup(d1, account.id, undefined, [recorder.checkChanges(account, incoming)]))) as (
      d1: unknown,
      account: unknown,
      incoming: { change: unknown; raw: unknown; path: string }[],
    ) => Promise<unknown>,
    /** Candidates up to which a search reads the trigram index's hits rather than scanning. */
    HIT_DRIVEN_MAX: (search.HIT_DRIVEN_MAX ?? 0) as number,
    findChangeRequests: writer.findChangeRequests as (d1: unknown, accountId: string, changeIds: string[]) => Promise<Map<string, unknown>>,
    ChangeBatch: changes.ChangeBatch,
    parseBody: input.parseBody as (schema: unknown, raw: unknown) => any,
    retentionCutoff: time.retentionCutoff as (now: number, months: number) => number,
    findTokenWithAccount: tokens.findTokenWithAccount as (d1: unknown, hash: string) => Promise<unknown>,
    tokenHash: authTokens.tokenHash as (token: string) => Promise<string>,
    canonicalJson: crypto.canonicalJson as (value: unknown) => string,
    /** The API's view of a stored row: what the chain hashes (without `hash`). */
    eventView: view.eventView as (
      row: Record<string, unknown>,
    ) => Record<string, unknown> & { seq: number; prevHash: string; hash: string },
    /** The Worker's event hash: SHA-256 of the canonical JSON (synchronous node:crypto in the
     *  current Worker; a promise in versions that used WebCrypto). */
    eventHash: view.eventHash as (event: Record<string, unknown>) => string | Promise<string>,
    /** Explicit elements as the Worker stores them (under the object type's catalog entry). */
    normalizeElements: (objectType: string, elements: { element: string; oldValue?: unknown; newValue?: unknown; redacted?: boolean }[]) =>
      diff.normalizeElements(catalog.objectSpec(objectType), elements) as {
        element: string;
        valueType: string;
        oldValue: string | null;
        newValue: string | null;
        redacted: boolean;
      }[],
  };
}
export type WorkerModules = Awaited<ReturnType<typeof workerModules>>;
