// Which D1 failures are worth retrying. D1's table of D1_ERRORs says "Retry the operation"
// for exactly these: the object holding the database restarting (after an update, or failing
// to start) and the network to it lost. Anything else (a constraint, a missing table, a bad
// statement) fails the same way every time, and a client told to retry would retry forever.
const TRANSIENT_MESSAGES = ['Network connection lost', 'storage caused object to be reset', 'reset because its code was updated'];

export function isTransientD1Error(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  return TRANSIENT_MESSAGES.some((message) => text.includes(message));
}
