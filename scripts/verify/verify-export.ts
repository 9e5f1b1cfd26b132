// Verifies an NDJSON export without the Worker: every event's hash is recomputed from its
// content, consecutive events must link (prevHash) with no seq missing, and a checkpoint the
// auditor kept must be part of the file — which catches history deleted after it.
// Exports are newest first; oldest first works too.
import { BREAK_DETAILS, type BreakReason } from '../../worker/domain/chain-verify';
import { verifyCheckpoint, type Checkpoint, type PublicKeyJwk } from '../../worker/domain/checkpoint-signing';
import { eventHash, type EventView } from '../../worker/domain/event-view';
import { GENESIS_HASH } from '../../drizzle/schema';

export interface Finding {
  seq: number;
  line: number | null;
  reason: BreakReason | 'format';
  detail: string;
}

export interface ExportReport {
  ok: boolean;
  events: number;
  lowestSeq: number | null;
  highestSeq: number | null;
  /** Problems, lowest seq first (at most MAX_FINDINGS). */
  findings: Finding[];
  checkpoint: null | { seq: number; signature: 'valid' | 'invalid' | 'not checked'; contained: boolean };
}

const MAX_FINDINGS = 50;

interface Seen {
  seq: number;
  line: number;
  prevHash: string;
  hash: string;
}

export async function verifyExport(
  lines: AsyncIterable<string>,
  options: { checkpoint?: Checkpoint; publicKey?: PublicKeyJwk } = {},
): Promise<ExportReport> {
  const findings: Finding[] = [];
  const add = (finding: Finding) => findings.length < MAX_FINDINGS * 4 && findings.push(finding);
  let previous: Seen | undefined;
  let events = 0;
  let lowest: Seen | undefined;
  let highest: Seen | undefined;
  let checkpointHash: string | undefined;
  let lineNumber = 0;

  for await (const text of lines) {
    lineNumber++;
    if (!text.trim()) continue;
    let event: EventView;
    try {
      event = JSON.parse(text);
      if (typeof event.seq !== 'number' || typeof event.hash !== 'string' || typeof event.prevHash !== 'string') throw new Error('no seq, prevHash or hash');
    } catch (error) {
      add({ seq: Number.NaN, line: lineNumber, reason: 'format', detail: `line ${lineNumber} is not an exported event (${(error as Error).message})` });
      continue;
    }
    events++;
    const seen = { seq: event.seq, line: lineNumber, prevHash: event.prevHash, hash: event.hash };
    if (eventHash(event) !== event.hash) add({ seq: event.seq, line: lineNumber, reason: 'hash', detail: BREAK_DETAILS.hash });
    if (options.checkpoint && event.seq === options.checkpoint.seq) checkpointHash = event.hash;
    if (previous) linkCheck(previous, seen, add);
    if (!lowest || seen.seq < lowest.seq) lowest = seen;
    if (!highest || seen.seq > highest.seq) highest = seen;
    previous = seen;
  }
  if (lowest?.seq === 1 && lowest.prevHash !== GENESIS_HASH) add({ seq: 1, line: lowest.line, reason: 'link', detail: 'the first event must link to the genesis hash (64 zeros)' });

  let checkpoint: ExportReport['checkpoint'] = null;
  if (options.checkpoint) {
    const cp = options.checkpoint;
    const signature = options.publicKey ? ((await verifyCheckpoint(cp, options.publicKey)) ? 'valid' : 'invalid') : 'not checked';
    const contained = checkpointHash === cp.hash;
    checkpoint = { seq: cp.seq, signature, contained };
    if (signature === 'invalid') add({ seq: cp.seq, line: null, reason: 'checkpoint', detail: 'the checkpoint signature is not valid for the given key' });
    if (!contained) {
      const truncated = !highest || highest.seq < cp.seq;
      add({
        seq: truncated ? (highest?.seq ?? 0) + 1 : cp.seq,
        line: null,
        reason: 'checkpoint',
        detail: truncated
          ? `the export ends at seq ${highest?.seq ?? 'none'}, but the checkpoint signed seq ${cp.seq}: events after seq ${highest?.seq ?? 0} are missing (deleted, or left out by the export's filters or range)`
          : `the event with seq ${cp.seq} ${checkpointHash ? 'has a different hash than' : 'is missing, though'} the checkpoint signed (history rewritten)`,
      });
    }
  }
  findings.sort((a, b) => (a.seq || 0) - (b.seq || 0));
  return {
    ok: findings.length === 0,
    events,
    lowestSeq: lowest?.seq ?? null,
    highestSeq: highest?.seq ?? null,
    findings: findings.slice(0, MAX_FINDINGS),
    checkpoint,
  };
}

/** Consecutive lines must be neighbours in the chain, in either direction. */
function linkCheck(a: Seen, b: Seen, add: (finding: Finding) => void) {
  const [older, newer] = a.seq < b.seq ? [a, b] : [b, a];
  if (newer.seq === older.seq) return add({ seq: newer.seq, line: newer.line, reason: 'link', detail: `seq ${newer.seq} appears twice` });
  if (newer.seq > older.seq + 1) return add({ seq: older.seq + 1, line: null, reason: 'missing', detail: `${BREAK_DETAILS.missing}: seq ${older.seq + 1}${newer.seq - older.seq > 2 ? `–${newer.seq - 1}` : ''} (between lines ${a.line} and ${b.line})` });
  if (newer.prevHash !== older.hash) add({ seq: newer.seq, line: newer.line, reason: 'link', detail: BREAK_DETAILS.link });
}
