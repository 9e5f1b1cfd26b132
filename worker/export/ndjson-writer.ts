// NDJSON: one full event per line, exactly as the API shows it (seq, prevHash and hash
// included), so a client can recompute every hash and check the chain from the file alone.
import { eventView } from '../domain/event-view';
import type { Emit, ExportWriter } from './stream';

export function ndjsonWriter(emit: Emit): ExportWriter {
  const encoder = new TextEncoder();
  return {
    start() {},
    rows(rows) {
      let text = '';
      // JSON.stringify escapes every line break inside values, so one line is one event.
      for (const row of rows) text += JSON.stringify(eventView(row)) + '\n';
      emit(encoder.encode(text));
    },
    end() {},
  };
}
