// Exports: the account's history (with exactly the filters of GET .../events) as an Excel
// file capped at 100,000 rows, or as CSV / NDJSON streams without a cap.
import { z } from 'zod';
import { requireToken, type TokenCaller } from '../auth/authenticate';
import { eventFilter } from '../domain/event-filter';
import { XLSX_MAX_ROWS, COUNT_CEILING, xlsxTooLarge } from '../export/cap';
import { exportColumns } from '../export/columns';
import { csvWriter } from '../export/csv-writer';
import { EXPORT_FORMATS } from '../../shared/vocabulary';
import { CONTENT_TYPES, downloadHeaders, exportFilename } from '../export/download';
import { exportHeader } from '../export/export-header';
import { ndjsonWriter } from '../export/ndjson-writer';
import { eventPages, exportSnapshot } from '../export/row-source';
import { exportStream, type Emit, type ExportWriter } from '../export/stream';
import { xlsxWriter } from '../export/xlsx-writer';
import { zoneClock } from '../export/zone-clock';
import { parsePath, parseQuery } from '../http/input';
import { enforceRateLimit, rateLimitText } from '../http/rate-limit';
import { requireSigningKey } from '../http/settings';
import { AccountPath, problems, route } from '../http/route';
import { TimeZone } from '../schemas/common';
import { Event, EventFilters } from '../schemas/events';
import { EXPORT_ORDERS, ExportHeader, RetentionStub } from '../schemas/export-header';
import { logExport } from '../store/access-log';
import { countEvents } from '../store/event-reader';

export const ExportQuery = EventFilters.extend({
  format: z
    .enum(EXPORT_FORMATS)
    .default('xlsx')
    .meta({
      description: `xlsx (at most ${XLSX_MAX_ROWS.toLocaleString('en-US')} rows), or csv / ndjson (no cap, streamed).`,
    }),
  // Optional rather than defaulted, so the access log records only what the caller asked for.
  order: z.enum(EXPORT_ORDERS).optional().meta({
    description:
      "occurredAt: newest first, as GET .../events (the default). seq: ascending seq, the chain's own order (for verification and SIEM ingestion).",
  }),
  tz: TimeZone.optional().meta({
    description:
      "IANA time zone of the Date column (xlsx, csv), named in its header, and of the `from`/`to` days, as on GET …/events. Default: the account's time zone.",
  }),
});

const filenameHeader = {
  'Content-Disposition': {
    description: 'attachment; filename="audit-trail_<account>_<from>_<to>.<format>" (or _all.<format>)',
    schema: { type: 'string' as const },
  },
  'X-Total-Count': {
    description: 'xlsx only: the number of rows in the file, counted before it streams.',
    schema: { type: 'integer' as const },
  },
};

export const exportRoutes = [
  route(
    'get',
    '/v1/accounts/{accountId}/events/export',
    {
      operationId: 'exportEvents',
      summary: "The account's history as a file: xlsx, CSV or NDJSON",
      description:
        'Takes exactly the filters of GET .../events (objectType + objectId for one element’s history); newest first, or ascending seq with order=seq. ' +
        'Columns: Object type, Object name, Action type, Element, Old value, New value, Date (<tz>), Originator, Object ID, Change ID. ' +
        'List changes show "removed: …" as the old and "added: …" as the new value; secrets show "(changed)". ' +
        `xlsx is refused with 422 when more than ${XLSX_MAX_ROWS.toLocaleString('en-US')} events match. ` +
        "CSV (RFC 4180, UTF-8 with BOM, formula-like text prefixed with ') and NDJSON stream without a cap. " +
        'NDJSON: the first line is a header (ExportHeader: where the chain starts, the head it was read from, filters, order, an Ed25519 signature), ' +
        'then the full event per line. Without filters it holds every seq of the chain; events past retention appear as hash-only stubs (RetentionStub), ' +
        'so `npm run verify` can prove the file whole. ' +
        'Every export is recorded in the access log before its first byte. ' +
        rateLimitText('export'),
      tags: ['events'],
      requestParams: { path: AccountPath, query: ExportQuery },
      responses: {
        '200': {
          description: 'The file, streamed as it is read.',
          headers: filenameHeader,
          content: {
            [CONTENT_TYPES.xlsx]: { schema: { type: 'string', format: 'binary' } },
            [CONTENT_TYPES.csv]: { schema: { type: 'string' } },
            [CONTENT_TYPES.ndjson]: {
              // OpenAPI 3.1 cannot type the lines of a stream: this is the schema of each line.
              schema: z.union([ExportHeader, Event, RetentionStub]).meta({
                description:
                  'One JSON value per line: the first line is the ExportHeader, every further line an Event or (complete exports only) a RetentionStub.',
              }),
            },
          },
        },
        ...problems(400, 401, 403, 404, 429, 503),
        '422': {
          ...problems(422)['422'],
          description: `format=xlsx and more than ${XLSX_MAX_ROWS.toLocaleString('en-US')} events match; the detail says how many and what to do instead.`,
        },
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId, ['audit:export']);
      await enforceRateLimit(env, 'export', caller);
      return exportResponse(env, ctx, caller, parseQuery(ExportQuery, new URL(request.url)));
    },
  ),
];

export type ExportQueryInput = z.output<typeof ExportQuery>;

/** The export as a streamed response, for a caller already allowed to export (the route
 *  above, or a single-use export link). `logged` is what the access log records;
 *  `filename`, if given, names the file instead of the default. */
export async function exportResponse(
  env: Env,
  ctx: ExecutionContext,
  caller: TokenCaller,
  query: ExportQueryInput,
  logged: Record<string, unknown> = query,
  filename?: string,
): Promise<Response> {
  const { account } = caller;
  const { format, tz, order, ...filters } = query;
  // An account's zone was checked when it was set; UTC only if the runtime lost it since.
  const clock = zoneClock(tz ?? account.timezone) ?? zoneClock('UTC')!;
  const now = Date.now();
  // The file's days are the days of its Date column: the same zone for both.
  const filter = eventFilter(account, { ...filters, tz: clock.zone }, now);
  const hiddenBefore = filter.notBefore;
  // A complete NDJSON export holds every seq of the chain, so the offline verifier can
  // prove it whole: what retention hides is read too, and written as hash-only stubs.
  const complete = format === 'ndjson' && Object.values(filters).every((value) => value === undefined);
  if (complete) filter.notBefore = Number.MIN_SAFE_INTEGER;
  const snapshot = await exportSnapshot(env.DB, filter, order ?? 'occurredAt');
  const columns = exportColumns(clock.zone);

  let rowLimit: number | undefined;
  let makeWriter: (emit: Emit) => ExportWriter;
  if (format === 'xlsx') {
    const matched = await countEvents(env.DB, snapshot.filter, { maxSeq: snapshot.maxSeq, atMost: COUNT_CEILING + 1 });
    if (matched > XLSX_MAX_ROWS) throw xlsxTooLarge(matched);
    rowLimit = matched;
    makeWriter = (emit) => xlsxWriter(emit, columns, clock, matched);
  } else if (format === 'csv') {
    makeWriter = (emit) => csvWriter(emit, columns, clock);
  } else {
    // No key: an unsigned header (verifiable for completeness, not provenance); a
    // malformed one is the deployer's to fix, answered as 503 naming the setting.
    const key = env.CHECKPOINT_PRIVATE_KEY ? await requireSigningKey(env) : undefined;
    const header = await exportHeader(account, snapshot, filters, hiddenBefore, now, key);
    makeWriter = (emit) => ndjsonWriter(emit, header, complete ? hiddenBefore : undefined);
  }

  const headers = downloadHeaders(format, filename ?? exportFilename(account.id, filters, clock, format));
  if (rowLimit !== undefined) headers['X-Total-Count'] = String(rowLimit);
  const exported = await logExport(env, ctx, caller, logged);
  return new Response(exportStream(counted(eventPages(env.DB, snapshot, rowLimit), exported), makeWriter), { headers });
}

/** The same pages, counted: `done` gets the total once the last page has been handed on.
 *  A download the client abandons is returned early, and `done` is never called. */
async function* counted<T>(
  pages: AsyncGenerator<T[], void, undefined>,
  done: (rows: number) => void,
): AsyncGenerator<T[], void, undefined> {
  let rows = 0;
  for await (const page of pages) {
    rows += page.length;
    yield page;
  }
  done(rows);
}
