// The Worker's side of the account's writer: sends a checked request to the account's
// Durable Object and turns its plain-data reply back into outcomes or a thrown WriteRefused.
import { WriteRefused } from '../domain/errors';
import type { ChangeOutcome, CheckedRequest } from '../domain/record-changes';
import { busy } from '../domain/record-changes';
import type { AuditEventRow } from '../../drizzle/schema';

export async function writeChanges(
  env: Env,
  accountId: string,
  request: CheckedRequest,
  options: { returnEvents?: boolean } = {},
): Promise<{ outcomes: ChangeOutcome[]; events: AuditEventRow[] }> {
  const writer = env.ACCOUNT_WRITER.get(env.ACCOUNT_WRITER.idFromName(accountId));
  let reply;
  try {
    reply = await writer.write(accountId, request, options.returnEvents ?? false);
  } catch (error) {
    // The platform refuses calls to an object that is overloaded: the same as a full queue.
    if ((error as { overloaded?: unknown } | null)?.overloaded) throw busy();
    throw error;
  }
  if (reply.ok) return reply;
  if ('refused' in reply) throw new WriteRefused(reply.refused);
  throw new Error("account writer: the write failed (the cause is in the writer's log)");
}
