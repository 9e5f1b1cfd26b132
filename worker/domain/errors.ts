// What the domain refuses, said in the domain's words and carrying the data an answer needs.
// The HTTP layer turns each into its problem+json in one place (`formatError` in
// http/problem.ts), so domain code knows nothing of statuses, slugs or field paths.

export abstract class DomainError extends Error {}

/** A paging cursor that this deployment did not issue for this query (forged, edited, or from another query). */
export class InvalidCursor extends DomainError {
  constructor() {
    super('invalid cursor');
  }
}

/** A time range whose start is after its end. */
export class EmptyTimeRange extends DomainError {
  constructor() {
    super('"from" is after "to"');
  }
}

export type Setting = 'OPERATOR_TOKEN' | 'CURSOR_SECRET' | 'CHECKPOINT_PRIVATE_KEY' | 'CREDENTIALS_KEY';

/** A Worker secret that the work needs is missing or cannot be used. Carries the setting's name only, never its value. */
export class MisconfiguredSetting extends DomainError {
  constructor(
    readonly setting: Setting,
    readonly state: 'missing' | 'malformed',
  ) {
    super(`${setting} is ${state}`);
  }
}

/** More events match than an Excel export may hold. `matched` stops counting past `countCeiling`. */
export class ExportTooLarge extends DomainError {
  constructor(
    readonly matched: number,
    readonly maxRows: number,
    readonly countCeiling: number,
  ) {
    super(`${matched} events match; an xlsx export holds at most ${maxRows}`);
  }
}

/**
 * What went wrong talking to LivePerson (worker/sources/liveperson):
 * - auth: 401, the key, secret or token is wrong (or revoked);
 * - forbidden: 403, the key lacks a permission;
 * - unknownAccount: LivePerson's Domain API does not know the site id;
 * - rateLimited: 429, retry after `retryAfterSeconds`;
 * - unavailable: 5xx, a timeout or a network failure, retry with growing waits;
 * - rejected: any other answer, or an export that cannot be read (retried too: it was cut off, most likely).
 * Messages never quote a credential.
 */
export type LivePersonFailure = 'auth' | 'forbidden' | 'unknownAccount' | 'rateLimited' | 'unavailable' | 'rejected';

export class LivePersonError extends DomainError {
  constructor(
    readonly failure: LivePersonFailure,
    message: string,
    /** The LivePerson site id (the account's id). */
    readonly siteId: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Whether a later attempt may succeed without the admin doing anything. */
  get transient(): boolean {
    return this.failure === 'rateLimited' || this.failure === 'unavailable' || this.failure === 'rejected';
  }

  /** What the admin should do about it, in words an admin can act on. */
  advice(): string {
    switch (this.failure) {
      case 'auth':
        return (
          'LivePerson refused the API key (401): the app key, app secret, access token or access token secret is wrong, or the key was revoked. ' +
          "Copy all four from LivePerson's API key page again and connect with PUT …/sources/liveperson."
        );
      case 'forbidden':
        return (
          'LivePerson denied the API key access to the audit trail (403): give the API key the Account Configuration read permission ' +
          '(it reads the Audit Trail export) in LivePerson, then connect again with PUT …/sources/liveperson.'
        );
      case 'unknownAccount':
        return `LivePerson's Domain API does not know account ${this.siteId}: this account's id must be its LivePerson site id.`;
      default:
        return `${this.message}. Nothing was changed; try again later.`;
    }
  }
}

/** Where in a request a refused value is (a JSON pointer into the body: "/changes/3/occurredAt") and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Why a write stores nothing. Plain data, because a refusal made in the account's writer
 * (a Durable Object) crosses an RPC boundary, where an error's class does not survive:
 * - `invalid`: changes that can never be recorded as sent (times before auditing or retention,
 *   too far ahead; a changeId repeated in the request with another body);
 * - `changeId-reused`: a changeId recorded before (or earlier in the group) with another body;
 * - `too-many-events`: the request would record more than `maxEvents` rows;
 * - `busy`: the account's write queue is full;
 * - `unavailable`: the database failed in a way that a retry may not (D1 restarting, the network to
 *   it lost), and did so again when the writer retried.
 */
export type WriteRefusal =
  | { reason: 'invalid'; errors: FieldError[] }
  | { reason: 'changeId-reused'; errors: FieldError[] }
  | { reason: 'too-many-events'; maxEvents: number }
  | { reason: 'busy' }
  | { reason: 'unavailable' };

export class WriteRefused extends DomainError {
  constructor(readonly refusal: WriteRefusal) {
    super(`write refused: ${refusal.reason}`);
  }
}
