// Verifying an account's stored history: recompute the chain over a range of seq, check
// that it ends at the head the Worker recorded, that nothing lies beyond it, and that the
// newest signed checkpoint is still part of it (which catches deleting the newest events
// together with the recorded head).
import type { BreakReason, VerifyReport } from '../schemas/verify';
import { LIMITS } from './limits';
import { BREAK_DETAILS, ChainVerifier, linkRecord, type ChainBreak } from './chain-verify';
import { signingKey, verifyCheckpoint } from './checkpoint-signing';
import { eventView } from './event-view';
import { firstSeqBeyondHead, listCheckpoints, readChainState, readEventHashAt, readEventsBySeq, type ChainState } from '../store/chain';

const PAGE = 2_000;

export async function verifyAccount(
  d1: D1Database,
  accountId: string,
  range: { fromSeq?: number; toSeq?: number },
  signingSecret: string | undefined,
): Promise<VerifyReport> {
  const state = await readChainState(d1, accountId);
  const breaks: ChainBreak[] = [];
  const broke = (seq: number, reason: BreakReason) => breaks.push({ seq, reason, detail: BREAK_DETAILS[reason] });

  const fromSeq = Math.max(range.fromSeq ?? 0, state.purgedThrough.seq + 1);
  const lastWanted = Math.min(range.toSeq ?? state.head.seq, state.head.seq);
  const toSeq = Math.min(lastWanted, fromSeq + LIMITS.verifyEvents - 1);

  // Where the checked range must continue from: the purge watermark, or the stored event before it.
  // An empty range (beyond the head) checks no events, only what lies beyond the head.
  const empty = fromSeq > toSeq;
  let anchor = state.purgedThrough;
  if (!empty && fromSeq > state.purgedThrough.seq + 1) {
    const hash = await readEventHashAt(d1, accountId, fromSeq - 1);
    if (hash === undefined) broke(fromSeq - 1, 'missing');
    anchor = { seq: fromSeq - 1, hash: hash ?? '' };
  }
  const verifier = new ChainVerifier(anchor);
  for (let next = fromSeq; next <= toSeq && !verifier.firstBreak;) {
    const rows = await readEventsBySeq(d1, accountId, next, toSeq, PAGE);
    for (const row of rows) if (!verifier.push(linkRecord(eventView(row)))) break;
    if (rows.length < PAGE) break;
    next = rows.at(-1)!.seq + 1;
  }
  if (verifier.firstBreak) breaks.push(verifier.firstBreak);
  else if (!empty && verifier.last.seq < toSeq) broke(verifier.last.seq + 1, toSeq === state.head.seq ? 'head' : 'missing');
  else if (!empty && toSeq === state.head.seq && verifier.last.hash !== state.head.hash) broke(toSeq, 'head');

  const beyond = await firstSeqBeyondHead(d1, accountId, state.head.seq);
  if (beyond !== undefined) broke(beyond, 'extra');

  const checkpoint = await checkNewestCheckpoint(d1, accountId, state, signingSecret, broke);

  const first = breaks.sort((a, b) => a.seq - b.seq)[0];
  const complete = toSeq >= lastWanted;
  return {
    ok: !first,
    checked: verifier.checked,
    fromSeq,
    toSeq,
    complete,
    nextFromSeq: complete ? null : toSeq + 1,
    head: state.head,
    purgedThroughSeq: state.purgedThrough.seq,
    firstBrokenSeq: first?.seq ?? null,
    reason: first?.reason ?? null,
    detail: first?.detail ?? null,
    checkpoint,
  };
}

async function checkNewestCheckpoint(
  d1: D1Database,
  accountId: string,
  state: ChainState,
  signingSecret: string | undefined,
  broke: (seq: number, reason: BreakReason) => void,
) {
  const [newest] = await listCheckpoints(d1, accountId, 1);
  if (!newest) return null;
  const signatureValid = !!signingSecret && (await verifyCheckpoint(newest, (await signingKey(signingSecret)).publicJwk));
  let contained: boolean;
  if (newest.seq > state.head.seq) contained = false;
  else if (newest.seq < state.purgedThrough.seq)
    contained = true; // older than retention: gone legitimately
  else if (newest.seq === state.purgedThrough.seq) contained = newest.hash === state.purgedThrough.hash;
  else contained = (await readEventHashAt(d1, accountId, newest.seq)) === newest.hash;
  if (!contained) broke(Math.min(newest.seq, state.head.seq + 1), 'checkpoint');
  else if (!signatureValid) broke(newest.seq, 'checkpoint');
  return { ...newest, signatureValid, contained };
}
