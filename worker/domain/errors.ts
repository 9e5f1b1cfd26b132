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
