// Checking a hash chain in ascending `seq`: the one core behind the Worker's `GET .../verify`
// and the offline verifier (`npm run verify`). Pure: it sees events as the API and the NDJSON
// export show them, so anyone holding those can run the same checks.
//
// An event is reduced to its link — seq, prevHash, hash and whether its content still
// matches its hash — as soon as it is read, so a caller that must sort events into seq
// order (the offline verifier) holds a few small records, not whole events.
import type { BreakReason } from '../schemas/verify';
import { eventHash, type EventView } from './event-view';

/** The last event before the first one to check: where the chain must continue from. */
export interface ChainLink {
  seq: number;
  hash: string;
}

/** What the chain check needs of an event. `content` is 'hidden' for a retention stub of
 *  the export: its links are checked, its content cannot be. */
export interface LinkRecord extends ChainLink {
  prevHash: string;
  content: 'valid' | 'edited' | 'hidden';
  /** Where the event was read (a line of a file), for reports. */
  line?: number;
}

export type { BreakReason };

export interface ChainBreak {
  seq: number;
  reason: BreakReason;
  detail: string;
  line?: number;
}

export const BREAK_DETAILS: Record<BreakReason, string> = {
  missing: 'an event is missing from the sequence (deleted, or never stored)',
  link: "the event's prevHash is not the hash of the event before it (an event was inserted, deleted or reordered)",
  hash: "the event's hash does not match its content (the event was edited)",
  head: 'the newest events do not reach the chain head recorded by the Worker (newest events deleted)',
  extra: 'an event exists beyond the chain head recorded by the Worker (inserted directly)',
  checkpoint: 'the chain does not contain a signed checkpoint (history after it deleted or rewritten)',
};

/** The link of an event as the API or the export shows it. */
export function linkRecord(event: Pick<EventView, 'seq' | 'prevHash' | 'hash'> & Record<string, unknown>, line?: number): LinkRecord {
  const content = eventHash(event as unknown as EventView) === event.hash ? 'valid' : 'edited';
  return { seq: event.seq, prevHash: event.prevHash, hash: event.hash, content, ...(line === undefined ? {} : { line }) };
}

/** Feed links in ascending `seq`. Every break is recorded (up to `maxBreaks`); after one,
 *  checking carries on from the event that broke, so one deletion is one finding. */
export class ChainVerifier {
  private previous: ChainLink;
  readonly breaks: ChainBreak[] = [];
  checked = 0;
  hidden = 0;

  constructor(
    anchor: ChainLink,
    private readonly maxBreaks = 1,
  ) {
    this.previous = anchor;
  }

  get firstBreak(): ChainBreak | undefined {
    return this.breaks[0];
  }

  get last(): ChainLink {
    return this.previous;
  }

  /** Answers false when this link broke the chain. */
  push(link: LinkRecord): boolean {
    this.checked++;
    if (link.content === 'hidden') this.hidden++;
    const expectedSeq = this.previous.seq + 1;
    if (link.seq < expectedSeq) {
      // A seq seen already (or one before the anchor): the chain has no place for it.
      return this.fail(link.seq, 'link', link.line, `seq ${link.seq} appears twice, or before where the chain starts`);
    }
    let ok = true;
    if (link.seq > expectedSeq) {
      const gap = link.seq - 1 > expectedSeq ? `${expectedSeq}–${link.seq - 1}` : String(expectedSeq);
      ok = this.fail(expectedSeq, 'missing', undefined, `${BREAK_DETAILS.missing}: seq ${gap}`);
    } else if (link.prevHash !== this.previous.hash) ok = this.fail(link.seq, 'link', link.line);
    if (link.content === 'edited') ok = this.fail(link.seq, 'hash', link.line);
    this.previous = { seq: link.seq, hash: link.hash };
    return ok;
  }

  fail(seq: number, reason: BreakReason, line?: number, detail = BREAK_DETAILS[reason]): false {
    if (this.breaks.length < this.maxBreaks) this.breaks.push({ seq, reason, detail, ...(line === undefined ? {} : { line }) });
    return false;
  }
}
