// Checking a hash chain, one event at a time, in the Worker (`GET .../verify`) and in the
// offline verifier (`npm run verify`). Pure: it sees events as the API and the NDJSON export
// show them, so anyone holding those can run the same checks.
import { eventHash, type EventView } from './event-view';

/** The last event before the first one to check: where the chain must continue from. */
export interface ChainLink {
  seq: number;
  hash: string;
}

export type BreakReason = 'missing' | 'link' | 'hash' | 'head' | 'extra' | 'checkpoint';

export interface ChainBreak {
  seq: number;
  reason: BreakReason;
  detail: string;
}

export const BREAK_DETAILS: Record<BreakReason, string> = {
  missing: 'an event is missing from the sequence (deleted, or never stored)',
  link: "the event's prevHash is not the hash of the event before it (an event was inserted, deleted or reordered)",
  hash: "the event's hash does not match its content (the event was edited)",
  head: 'the newest events do not reach the chain head recorded by the Worker (newest events deleted)',
  extra: 'an event exists beyond the chain head recorded by the Worker (inserted directly)',
  checkpoint: 'the chain does not contain a signed checkpoint (history after it deleted or rewritten)',
};

/** Feed events in ascending `seq`; the first break found is kept. */
export class ChainVerifier {
  private previous: ChainLink;
  private broken: ChainBreak | undefined;
  checked = 0;

  constructor(anchor: ChainLink) {
    this.previous = anchor;
  }

  get firstBreak(): ChainBreak | undefined {
    return this.broken;
  }

  get last(): ChainLink {
    return this.previous;
  }

  /** Answers false once the chain is broken (further events are not checked). */
  async push(event: Pick<EventView, 'seq' | 'prevHash' | 'hash'> & Record<string, unknown>): Promise<boolean> {
    if (this.broken) return false;
    this.checked++;
    const expectedSeq = this.previous.seq + 1;
    if (event.seq !== expectedSeq) return this.fail(event.seq > expectedSeq ? expectedSeq : event.seq, event.seq > expectedSeq ? 'missing' : 'link');
    if (event.prevHash !== this.previous.hash) return this.fail(event.seq, 'link');
    if (eventHash(event as unknown as EventView) !== event.hash) return this.fail(event.seq, 'hash');
    this.previous = { seq: event.seq, hash: event.hash };
    return true;
  }

  fail(seq: number, reason: BreakReason): false {
    this.broken ??= { seq, reason, detail: BREAK_DETAILS[reason] };
    return false;
  }
}
