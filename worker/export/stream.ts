// Drives an export: pages of rows in, bytes out, one page at a time and only when the
// reader asks for more. The Response is returned before any row is read, so the download
// starts at once, and memory holds one page and its encoded bytes whatever the total.
import type { AuditEventRow } from '../../drizzle/schema';

export type Emit = (chunk: Uint8Array) => void;

/** A format: receives rows in order and emits its bytes through the Emit it was made with. */
export interface ExportWriter {
  /** Everything before the first row (a BOM and header line, the zip's fixed parts). */
  start(): void;
  rows(rows: readonly AuditEventRow[]): void;
  /** Everything after the last row. */
  end(): void;
}

export function exportStream(
  pages: AsyncGenerator<AuditEventRow[], void, undefined>,
  makeWriter: (emit: Emit) => ExportWriter,
): ReadableStream<Uint8Array> {
  let pending: Uint8Array[] = [];
  // Set when the reader gives up (a client that aborts, a HEAD request): a page still being
  // read must then not be handed to a stream that no longer takes any.
  let cancelled = false;
  const writer = makeWriter((chunk) => {
    if (chunk.byteLength) pending.push(chunk);
  });
  const flush = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    for (const chunk of pending) controller.enqueue(chunk);
    pending = [];
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        writer.start();
        flush(controller);
      },
      async pull(controller) {
        try {
          // A pull that enqueues nothing is never called again, and a writer may buffer a
          // whole page (deflate does), so keep reading until there is something to hand over.
          while (!pending.length) {
            const page = await pages.next();
            if (cancelled) return;
            if (page.done) {
              writer.end();
              flush(controller);
              controller.close();
              return;
            }
            writer.rows(page.value);
          }
          flush(controller);
        } catch (error) {
          // Headers are long gone: all that is left is to abort the download and log why.
          console.error('export stream failed', error);
          throw error;
        }
      },
      async cancel() {
        cancelled = true;
        await pages.return(undefined);
      },
    },
    // One chunk ahead at most: the next page is read only once the reader drained the last.
    { highWaterMark: 1 },
  );
}
