// NDJSON: a header line (worker/schemas/export-header.ts), then one full event per line,
// exactly as the API shows it (seq, prevHash and hash included), so a client can recompute
// every hash and check the chain from the file alone. In a complete export an event past
// retention is a hash-only stub: its links still check, its content stays hidden.
import { eventView } from '../domain/event-view';
import type { ExportHeader, RetentionStub } from '../schemas/export-header';
import type { Emit, ExportWriter } from './stream';

export function ndjsonWriter(emit: Emit, header: ExportHeader, stubsBefore?: number): ExportWriter {
  const encoder = new TextEncoder();
  return {
    start() {
      emit(encoder.encode(JSON.stringify(header) + '\n'));
    },
    rows(rows) {
      let text = '';
      // JSON.stringify escapes every line break inside values, so one line is one event.
      for (const row of rows) {
        if (stubsBefore !== undefined && row.occurredAt < stubsBefore) {
          const stub: RetentionStub = { seq: row.seq, prevHash: row.prevHash, hash: row.hash, hidden: 'retention' };
          text += JSON.stringify(stub) + '\n';
        } else text += JSON.stringify(eventView(row)) + '\n';
      }
      emit(encoder.encode(text));
    },
    end() {},
  };
}
