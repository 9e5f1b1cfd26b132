// RFC 9457 problem details: every error the API answers is thrown as a Problem (or, from the
// domain, as a DomainError that `domainProblem` translates: statuses, slugs and wording of
// what the domain refuses live here, not there) and turned into `application/problem+json`
// in exactly one place (`formatError`).
import { z } from 'zod';
import {
  DomainError,
  EmptyTimeRange,
  ExportTooLarge,
  InvalidCursor,
  LivePersonError,
  MisconfiguredSetting,
  WriteRefused,
  type Setting,
  type WriteRefusal,
} from '../domain/errors';
import { isTransientD1Error } from '../store/d1-errors';

export interface ProblemFieldError {
  /** Where the problem is: a JSON pointer into the body ("/changes/3/objectType"), or
   *  "query.limit", "header.authorization", "path.accountId". */
  path: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const TYPE_BASE = 'https://audit-trail.dev/problems/';

export class Problem extends Error {
  constructor(
    readonly status: number,
    /** A short, stable slug: the problem `type` is TYPE_BASE + slug. */
    readonly slug: string,
    readonly detail: string,
    readonly errors?: ProblemFieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }

  toJSON() {
    return {
      type: TYPE_BASE + this.slug,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.detail,
      ...(this.errors?.length ? { errors: this.errors } : {}),
    };
  }
}

export const badRequest = (detail: string, errors?: ProblemFieldError[]) => new Problem(400, 'bad-request', detail, errors);
export const unauthorized = (detail: string) =>
  new Problem(401, 'unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer realm="audit-trail"' });
export const forbidden = (detail: string, errors?: ProblemFieldError[]) => new Problem(403, 'forbidden', detail, errors);
export const notFound = (detail = 'Nothing is here.') => new Problem(404, 'not-found', detail);
export const conflict = (detail: string, errors?: ProblemFieldError[]) => new Problem(409, 'conflict', detail, errors);
export const tooLarge = (detail: string, errors?: ProblemFieldError[]) => new Problem(413, 'too-large', detail, errors);
export const unprocessable = (detail: string, errors?: ProblemFieldError[]) => new Problem(422, 'validation-failed', detail, errors);

const SETTING_FIXES: Record<Setting, string> = {
  OPERATOR_TOKEN: 'set it with "wrangler secret put OPERATOR_TOKEN"',
  CURSOR_SECRET: 'set it with "wrangler secret put CURSOR_SECRET"',
  CHECKPOINT_PRIVATE_KEY: 'set it to an Ed25519 private JWK (JSON) with "wrangler secret put CHECKPOINT_PRIVATE_KEY"',
  CREDENTIALS_KEY:
    'set it to a random secret of at least 32 characters (e.g. "openssl rand -base64 32") with "wrangler secret put CREDENTIALS_KEY"; it encrypts the API keys of connected sources, so changing it means connecting them again',
};

/** 503 naming the setting (never its value) and how to fix it. */
export function misconfigured(setting: Setting, state: 'missing' | 'malformed'): Problem {
  return new Problem(
    503,
    'misconfigured',
    `The deployment's ${setting} setting is ${state}; ${SETTING_FIXES[setting]}. GET /readyz lists every setting that needs attention.`,
    [{ path: `env.${setting}`, message: state }],
  );
}

const count = (n: number) => n.toLocaleString('en-US');

/** The answer to each thing the domain refuses. */
export function domainProblem(error: DomainError): Problem | undefined {
  if (error instanceof InvalidCursor)
    return badRequest('The cursor is not valid for this query; start again without a cursor.', [
      { path: 'query.cursor', message: 'not a cursor this API issued for these filters' },
    ]);
  if (error instanceof EmptyTimeRange)
    return badRequest('The time range is empty: "from" is after "to".', [{ path: 'query.from', message: 'is after query.to' }]);
  if (error instanceof MisconfiguredSetting) return misconfigured(error.setting, error.state);
  if (error instanceof ExportTooLarge) {
    const howMany = error.matched > error.countCeiling ? `more than ${count(error.countCeiling)}` : count(error.matched);
    return new Problem(
      422,
      'export-too-large',
      `${howMany.replace(/^m/, 'M')} events match these filters, but an Excel export holds at most ${count(error.maxRows)} rows. ` +
        'Narrow the time range (from, to) or the filters, or export them all with format=csv or format=ndjson, ' +
        'or read them through the paged API (GET .../events): those have no cap.',
      [{ path: 'query.format', message: `xlsx holds at most ${count(error.maxRows)} rows; ${howMany} match` }],
    );
  }
  if (error instanceof LivePersonError) {
    // LivePerson refused what the admin gave: theirs to fix (422). LivePerson unavailable: retry later (503).
    if (!error.transient)
      return new Problem(422, 'liveperson-refused', error.advice(), [
        { path: error.failure === 'unknownAccount' ? 'path.accountId' : '/auth', message: error.message },
      ]);
    const retryAfter = String(Math.max(error.retryAfterSeconds ?? 5, 1));
    return new Problem(503, 'liveperson-unavailable', error.advice(), undefined, { 'Retry-After': retryAfter });
  }
  if (error instanceof WriteRefused) return refusalProblem(error.refusal);
  // A new DomainError without an answer here is a bug: it becomes the logged 500.
  return undefined;
}

function refusalProblem(refusal: WriteRefusal): Problem {
  switch (refusal.reason) {
    case 'invalid':
      return unprocessable('Some changes cannot be recorded; nothing was stored. See errors.', refusal.errors);
    case 'changeId-reused':
      return conflict(
        'A changeId was already recorded with a different body; nothing was stored. Use a new changeId for a new change.',
        refusal.errors,
      );
    case 'too-many-events':
      return tooLarge(
        `These changes would record more than ${refusal.maxEvents} events (one per changed element); nothing was stored. Send them in smaller batches.`,
        [{ path: '/', message: `more than ${refusal.maxEvents} events` }],
      );
    case 'busy':
      return new Problem(
        503,
        'busy',
        'Too many concurrent writes to this account; nothing was stored. Retry after the Retry-After seconds.',
        undefined,
        { 'Retry-After': '1' },
      );
    case 'unavailable':
      return storeUnavailable();
  }
}

/** The database failed in a way that passes (D1 restarting, or the network to it lost). */
function storeUnavailable(): Problem {
  return new Problem(
    503,
    'unavailable',
    'The database is briefly unavailable; nothing was stored. Retry after the Retry-After seconds: a retried write is never recorded twice.',
    undefined,
    { 'Retry-After': '2' },
  );
}

/** Zod issues as problem field errors; `prefix` names where the value came from. */
export function issuesToErrors(issues: z.core.$ZodIssue[], prefix: 'body' | 'query' | 'path' = 'body'): ProblemFieldError[] {
  const where = (path: PropertyKey[]) =>
    prefix === 'body'
      ? '/' + path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')
      : [prefix, ...path.map(String)].join('.');
  return issues.flatMap((issue) =>
    // Name each unknown key where it is, rather than blaming the object holding it.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: where([...issue.path, key]),
          message: prefix === 'query' ? 'is not a known parameter' : 'is not a known field',
        }))
      : [{ path: where(issue.path), message: issue.message }],
  );
}

export function problemResponse(problem: Problem): Response {
  return new Response(JSON.stringify(problem.toJSON()), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json', ...problem.headers },
  });
}

/** The router's one error formatter: known problems as they are, anything else as a 500
 *  that says nothing about internals (the cause goes to the log, never to the client).
 *  It does not promise that a retry helps: a request that meets a bug fails the same way
 *  every time, and clients told "retrying is safe" retry it forever. */
export function formatError(error: unknown): Response {
  const problem = error instanceof Problem ? error : error instanceof DomainError ? domainProblem(error) : undefined;
  if (problem) return problemResponse(problem);
  if (isTransientD1Error(error)) {
    console.error('database unavailable', error);
    return problemResponse(storeUnavailable());
  }
  console.error('unhandled error', error);
  return problemResponse(
    new Problem(
      500,
      'internal',
      'An unexpected error occurred on our side and was logged. If the same request fails this way again, retrying it will not help: report it. ' +
        'A retried write is never recorded twice.',
    ),
  );
}
