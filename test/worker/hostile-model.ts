// The model of the hostile-input properties: what accepted writes stored (changeId → body and
// event count), the statuses the contract fixes for a body whatever the route's schema says
// (a body nested deeper than 64 levels is 400 before it is parsed; a lone UTF-16 surrogate or
// a key "__proto__" is 422 naming each path; neither stores anything), and the closing check
// of each file that D1 holds exactly what the model says.
import canonicalize from 'canonicalize';
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import type { ObjectType } from '../../shared/vocabulary';
import { expect } from 'vitest';
import { isSecretElement, objectSpec } from '../../worker/domain/object-catalog';
import {
  type ChangeBody,
  type FieldError,
  MAX_JSON_DEPTH,
  type Mutation,
  TOO_DEEP_ERRORS,
  brief,
  jsonDepth,
  namesUnstorableText,
  serialize,
  unstorableText,
} from './arbitraries';
import { call } from './support';
import {
  A,
  type Answer,
  B,
  LIMITS,
  Req,
  checkAnswer,
  expectStatusesDeclared,
  prototypeBefore,
  prototypeKeys,
  send,
  stats,
} from './hostile-harness';
import { parseCsv } from './support-csv';

export interface Stored {
  /** Canonical JSON of the change as sent. */
  canon: string;
  events: number;
}
/** accountId → changeId → what the Worker said it stored. */
export const model = new Map<string, Map<string, Stored>>();
/** changeId → the rows a simple accepted change must have stored, in order. */
export const expectedRows = new Map<
  string,
  { accountId: string; objectId: string; objectName: string | null; originator: { id: string; name: string }; rows: ExpectedRow[] }
>();
export interface ExpectedRow {
  element: string;
  old_value: string | null;
  new_value: string | null;
  redacted: number;
}
/** Bodies of accepted valid changes, for replays and conflicting reuses. */
export const acceptedBodies: ChangeBody[] = [];

/** Canonical JSON (RFC 8785) of a change; only ever asked for bodies within MAX_JSON_DEPTH. */
export function canonOf(value: unknown): string {
  const canon = canonicalize(value);
  if (canon === undefined) throw new Error(`no canonical JSON for ${brief(value)}`);
  return canon;
}

/** An answer the contract fixes for a body, whatever the route's schema says. */
export interface Verdict {
  status: number;
  kind: 'too-large' | 'not-utf8' | 'empty' | 'too-deep' | 'not-json' | 'unstorable';
  why: string;
  /** The errors the problem must list, when the contract says which. */
  errors?: FieldError[];
}
/** The contract's verdict on a JSON body that reached readJson with a JSON content type and
 *  within its byte limit: 400 (not UTF-8, empty, too deep, not JSON) or 422 (text that cannot
 *  be stored) with the errors it must name; undefined when the route's schema decides. */
export function bodyVerdict(body: string | Uint8Array): Verdict | undefined {
  // The text as the Worker reads it from the bytes sent (a leading BOM dropped).
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      typeof body === 'string' ? new TextEncoder().encode(body) : body,
    );
  } catch {
    return { status: 400, kind: 'not-utf8', why: 'not UTF-8', errors: [{ path: '/', message: 'invalid UTF-8 byte sequence' }] };
  }
  if (text.trim() === '') return { status: 400, kind: 'empty', why: 'empty', errors: [{ path: '/', message: 'empty body' }] };
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    return { status: 400, kind: 'too-deep', why: `nested ${jsonDepth(text)} levels deep`, errors: TOO_DEEP_ERRORS };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { status: 400, kind: 'not-json', why: 'not JSON' };
  }
  const unstorable = unstorableText(value);
  if (unstorable.length)
    return { status: 422, kind: 'unstorable', why: `unstorable text at ${brief(unstorable.map((e) => e.path))}`, errors: unstorable };
  return undefined;
}

/** Checks the errors of an answer against a verdict's. */
export function expectVerdictErrors(verdict: Pick<Verdict, 'status' | 'errors'>, res: Answer, where: string) {
  if (!verdict.errors) return;
  if (verdict.status === 422)
    expect(
      namesUnstorableText(res.json?.errors, verdict.errors),
      `the 422 names every unstorable text (${brief(verdict.errors)}): ${where}`,
    ).toBe(true);
  else expect(res.json?.errors, where).toEqual(verdict.errors);
}

function parseBodyText(body: string | Uint8Array | undefined): unknown {
  try {
    const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    return undefined;
  }
}

/** Sends one generated request inside a property: skips what cannot be sent, checks the
 *  answer against the contract and records what an accepted write stored. */
export async function sendAndObserve(req: Req): Promise<Answer> {
  const res = await send(req);
  fc.pre(res !== undefined);
  checkAnswer(req, res!);
  observeWrite(req, res!);
  return res!;
}

/** Records what an accepted write says it stored; fails on a duplicate or an impossible replay. */
export function observeWrite(req: Req, res: Answer) {
  const match = /^\/v1\/accounts\/([^/]+)\/changes(\/batch)?\/*$/.exec(res.pathname);
  if (!match || res.status >= 300 || req.method.toUpperCase() !== 'POST') return;
  const accountId = decodeURIComponent(match[1]!);
  const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 500)}`;
  // Nothing too deep or unstorable is ever accepted, by any route, whatever else was sent.
  const refused = bodyVerdict(req.body ?? '');
  expect(refused, `a body the contract refuses (${refused?.status}: ${refused?.why}) was accepted: ${where}`).toBeUndefined();
  const stored = model.get(accountId) ?? new Map<string, Stored>();
  model.set(accountId, stored);
  const raw = parseBodyText(req.body) as any;
  if (match[2]) {
    const outcomes: { changeId: string; replayed: boolean; eventCount: number }[] = res.json.changes;
    expect(outcomes.length, where).toBe(raw.changes.length);
    expect(res.status, where).toBe(outcomes.some((o) => !o.replayed) ? 201 : 200);
    outcomes.forEach((outcome, i) =>
      record(stored, outcome.changeId, outcome.replayed, outcome.eventCount, canonOf(raw.changes[i]), where),
    );
  } else {
    expect(res.status, where).toBe(res.json.replayed ? 200 : 201);
    expect(
      res.json.events.every((e: any) => e.changeId === res.json.changeId && e.accountId === accountId),
      where,
    ).toBe(true);
    record(stored, res.json.changeId, res.json.replayed, res.json.events.length, canonOf(raw), where);
  }
}

function record(stored: Map<string, Stored>, changeId: string, replayed: boolean, events: number, canon: string, where: string) {
  const before = stored.get(changeId);
  if (replayed) {
    expect(before, `a replay of a change that was never stored (${changeId}): ${where}`).toBeDefined();
    expect(before!.events, `a replay answers another event count: ${where}`).toBe(events);
    expect(canon, `a replay with a different body: ${where}`).toBe(before!.canon);
  } else {
    expect(before, `changeId ${changeId} stored twice: ${where}`).toBeUndefined();
    stored.set(changeId, { canon, events });
  }
}

/** For a simple accepted change (string values, explicit elements), the exact rows it must have stored. */
export function expectRows(accountId: string, change: ChangeBody) {
  const elements = change.elements as { element: string; oldValue?: unknown; newValue?: unknown; redacted?: boolean }[] | undefined;
  if (!elements) return;
  const plain = (v: unknown) => v === undefined || v === null || typeof v === 'string';
  if (!elements.every((e) => plain(e.oldValue) && plain(e.newValue))) return;
  expectedRows.set(change.changeId, {
    accountId,
    objectId: String(change.objectId),
    objectName: (change.objectName as string | undefined) ?? null,
    originator: { id: String((change.originator as any).id), name: (change.originator as any).name },
    rows: elements.map((e) => {
      const secret = e.redacted === true || isSecretElement(objectSpec(change.objectType as ObjectType), e.element.trim());
      return {
        element: e.element.trim(),
        old_value: secret ? null : ((e.oldValue as string | null | undefined) ?? null),
        new_value: secret ? null : ((e.newValue as string | null | undefined) ?? null),
        redacted: secret ? 1 : 0,
      };
    }),
  });
}

/** The statuses a write may answer, from the contract and the model of what is stored; with
 *  the errors the answer must name when they are known. */
export function expectedStatus(
  batch: boolean,
  items: { change: ChangeBody; mutation?: Mutation }[],
  body: string,
  stored: Map<string, Stored>,
): { statuses: number[]; kind: string; why: string; errors?: FieldError[] } {
  const bytes = new TextEncoder().encode(body).length;
  if (bytes > (batch ? LIMITS.batch : LIMITS.change)) return { statuses: [413], kind: 'too-large', why: 'too large' };
  // Too deep (400, before parsing), or text that cannot be stored (422): refused whole,
  // before the schema, before any conflict with what is stored.
  const verdict = bodyVerdict(body);
  if (verdict) return { statuses: [verdict.status], kind: verdict.kind, why: verdict.why, errors: verdict.errors };
  if (items.some((i) => i.mutation?.verdict === 'invalid')) return { statuses: [422], kind: 'invalid', why: 'a change is invalid' };
  if (items.some((i) => i.mutation))
    return { statuses: [200, 201, 409, 422], kind: 'maybe-valid', why: 'a mutation that may or may not be valid' };
  // No change here can reach LIMITS.eventsPerRequest (at most 8 changes of at most 5
  // elements, or small snapshots), so 413 for too many events is not a possible answer.
  const canons = items.map((i) => canonOf(JSON.parse(serialize(i.change))));
  const firstCanon = new Map<string, string>();
  for (const [k, { change }] of items.entries()) {
    const seen = firstCanon.get(change.changeId);
    if (seen === undefined) firstCanon.set(change.changeId, canons[k]!);
    else if (seen !== canons[k]) return { statuses: [422], kind: 'batch-conflict', why: 'one changeId with two bodies in the batch' };
  }
  let fresh = false;
  for (const [changeId, canon] of firstCanon) {
    const before = stored.get(changeId);
    if (!before) fresh = true;
    else if (before.canon !== canon) return { statuses: [409], kind: 'conflict', why: `${changeId} was stored with another body` };
  }
  return fresh ? { statuses: [201], kind: 'new', why: 'new' } : { statuses: [200], kind: 'replay', why: 'a replay' };
}

/** What the properties of one file must at least have produced, for the check to mean something. */
export interface AtLeast {
  /** Changes accepted (over both accounts). */
  accepted: number;
  /** Simple accepted changes whose stored rows are compared one by one. */
  comparedChanges?: number;
  /** Formula-like text was written, so the CSV export must show it guarded. */
  formulaText?: boolean;
}

/**
 * The end of every hostile-input file: D1 holds exactly what the accepted requests wrote
 * (events, idempotency records, gapless seqs), the chain verifies, stored rows match what
 * was sent, the CSV export guards formulas, every status answered is declared in the
 * OpenAPI document, and nothing the Worker parsed polluted a prototype.
 */
export async function expectD1HoldsTheModel(least: AtLeast): Promise<void> {
  let accepted = 0;
  for (const [accountId, stored] of model) {
    const counts = await env.DB.prepare(
      'SELECT change_id AS changeId, count(*) AS n FROM audit_events WHERE account_id = ? GROUP BY change_id',
    )
      .bind(accountId)
      .all<{ changeId: string; n: number }>();
    const inD1 = new Map(counts.results.map((r) => [r.changeId, r.n]));
    const expected = new Map([...stored].filter(([, s]) => s.events > 0).map(([id, s]) => [id, s.events]));
    // Reported as sets first so that a difference is readable.
    expect(
      [...inD1.keys()].filter((id) => !expected.has(id)),
      `${accountId}: events stored for changes no request was answered 2xx for`,
    ).toEqual([]);
    expect(
      [...expected.keys()].filter((id) => !inD1.has(id)),
      `${accountId}: accepted changes missing from D1`,
    ).toEqual([]);
    expect(inD1, `${accountId}: events per change`).toEqual(expected);

    const requests = await env.DB.prepare('SELECT change_id AS changeId, event_count AS n FROM change_requests WHERE account_id = ?')
      .bind(accountId)
      .all<{ changeId: string; n: number }>();
    expect(new Map(requests.results.map((r) => [r.changeId, r.n])), `${accountId}: idempotency records`).toEqual(
      new Map([...stored].map(([id, s]) => [id, s.events])),
    );

    const total = [...stored.values()].reduce((sum, s) => sum + s.events, 0);
    const seq = await env.DB.prepare(
      'SELECT count(*) AS n, count(DISTINCT seq) AS d, coalesce(min(seq), 0) AS lo, coalesce(max(seq), 0) AS hi FROM audit_events WHERE account_id = ?',
    )
      .bind(accountId)
      .first<{ n: number; d: number; lo: number; hi: number }>();
    expect(seq, `${accountId}: seq is 1..N without gaps`).toEqual({ n: total, d: total, lo: total ? 1 : 0, hi: total });
    const head = await env.DB.prepare('SELECT chain_seq AS seq FROM accounts WHERE id = ?').bind(accountId).first<{ seq: number }>();
    expect(head!.seq).toBe(total);

    const reader = accountId === A.id ? A.reader : B.reader;
    const verify = await call(`/v1/accounts/${encodeURIComponent(accountId)}/verify`, { token: reader });
    expect(verify.status, verify.text).toBe(200);
    expect(verify.json, `${accountId}: chain verifies`).toMatchObject({ ok: true, checked: total, firstBrokenSeq: null, complete: true });
    accepted += stored.size;
  }
  expect(accepted, 'the run accepted a fair share of writes').toBeGreaterThanOrEqual(least.accepted);

  // Content: simple accepted changes stored exactly what was sent.
  let checkedRows = 0;
  for (const [changeId, want] of expectedRows) {
    const rows = await env.DB.prepare(
      'SELECT element, old_value, new_value, redacted, object_id, object_name, originator_id, originator_name FROM audit_events WHERE account_id = ? AND change_id = ? ORDER BY seq',
    )
      .bind(want.accountId, changeId)
      .all<ExpectedRow & { object_id: string; object_name: string; originator_id: string; originator_name: string }>();
    const where = `change ${brief(changeId)}`;
    expect(
      rows.results.map(({ element, old_value, new_value, redacted }) => ({ element, old_value, new_value, redacted })),
      where,
    ).toEqual(want.rows);
    for (const row of rows.results) {
      expect(row.object_id, where).toBe(want.objectId);
      if (want.objectName !== null) expect(row.object_name, where).toBe(want.objectName);
      expect({ id: row.originator_id, name: row.originator_name }, where).toEqual(want.originator);
    }
    checkedRows += rows.results.length;
  }
  expect(expectedRows.size, 'changes whose stored rows were compared one by one').toBeGreaterThanOrEqual(least.comparedChanges ?? 0);
  if (expectedRows.size) expect(checkedRows).toBeGreaterThan(expectedRows.size);
  stats.rowsCompared = checkedRows;

  // Formula-like text never reaches a CSV cell unguarded (an apostrophe first, unless a plain number).
  const csv = (await send(new Req('final', 'GET', `/v1/accounts/${A.id}/events/export?format=csv`, 'exporter')))!;
  expect(csv.status, csv.text.slice(0, 300)).toBe(200);
  const cells = parseCsv(csv.text.replace(/^\ufeff/, ''));
  expect(cells.length, 'the export has its header and every event').toBeGreaterThan(model.get(A.id)!.size ? 1 : 0);
  const unguarded = cells
    .flat()
    .filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(cell));
  expect(
    unguarded.map((c) => brief(c, 80)),
    'CSV cells a spreadsheet would evaluate',
  ).toEqual([]);
  if (least.formulaText)
    expect(
      cells.flat().some((cell) => cell.startsWith("'=")),
      'the run did export formula-like text',
    ).toBe(true);

  await expectStatusesDeclared();

  // Prototype pollution: nothing the Worker parsed reached a prototype of this isolate.
  expect(({} as any).polluted).toBeUndefined();
  expect(([] as any).polluted).toBeUndefined();
  expect((Object.create(null) as any).polluted).toBeUndefined();
  expect(({} as any).isAdmin).toBeUndefined();
  expect(prototypeKeys()).toEqual(prototypeBefore);
}

/** Starts the model over for these accounts. */
export function resetModel(accountIds: string[]): void {
  model.clear();
  expectedRows.clear();
  acceptedBodies.length = 0;
  for (const id of accountIds) model.set(id, new Map());
}
