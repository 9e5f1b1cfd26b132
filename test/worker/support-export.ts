// Export helpers for the integrity tests: download an NDJSON export through the Worker and
// run the offline verifier's core on it, with the Worker's published keys.
import type { PublicKeyJwk } from '../../worker/domain/checkpoint-signing';
import { verifyExport, type VerifyExportOptions } from '../../worker/domain/export-verify';
import { aChange, call } from './support';

export async function exportText(accountId: string, token: string, query = ''): Promise<string> {
  const res = await call(`/v1/accounts/${accountId}/events/export?format=ndjson${query}`, { token });
  if (res.status !== 200) throw new Error(`export failed: ${res.status} ${res.text}`);
  return res.text;
}

export const lines = (text: string) => text.split('\n').filter(Boolean);

let keys: PublicKeyJwk[] | undefined;
export async function verifyText(text: string, options: VerifyExportOptions = {}) {
  keys ??= (await call('/v1/keys')).json.keys as PublicKeyJwk[];
  async function* each() {
    yield* text.split('\n');
  }
  return verifyExport(each(), { publicKeys: keys, ...options });
}

/** `clients` writers at once, each posting `perClient` changes one after the other; some
 *  back-dated by `backdate(client, i)` minutes (undefined: occurredAt left to the Worker). */
export async function concurrentWriters(
  account: { id: string; writer: string },
  clients: number,
  perClient: number,
  backdate: (client: number, i: number) => number | undefined = () => undefined,
) {
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < perClient; i++) {
        const minutes = backdate(client, i);
        const occurredAt = minutes === undefined ? {} : { occurredAt: new Date(Date.now() - minutes * 60_000).toISOString() };
        const body = aChange({ objectId: `${client}-${i}`, ...occurredAt });
        // As a client should: a 503 (too many writers at once) is retried after a pause.
        for (let attempt = 1; ; attempt++) {
          const res = await call(`/v1/accounts/${account.id}/changes`, { token: account.writer, body });
          if (res.status === 201) break;
          if (res.status !== 503 || attempt === 20) throw new Error(`write failed: ${res.status} ${res.text}`);
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
        }
      }
    }),
  );
}
