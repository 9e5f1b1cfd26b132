// Builds the NDJSON export's header from the snapshot the export streams: where the chain
// starts and the head it was read from, signed with the checkpoint key when there is one.
import { signJson, type SigningKey } from '../domain/checkpoint-signing';
import { EXPORT_HEADER_TYPE, type ExportHeader } from '../schemas/export-header';
import type { AccountSettings } from '../store/accounts';
import type { ExportSnapshot } from './row-source';

export async function exportHeader(
  account: AccountSettings,
  snapshot: ExportSnapshot,
  filters: Record<string, unknown>,
  hiddenBefore: number,
  now: number,
  key: SigningKey | undefined,
): Promise<ExportHeader> {
  const given = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
  const unsigned = {
    type: EXPORT_HEADER_TYPE,
    version: 1,
    accountId: account.id,
    exportedAt: new Date(now).toISOString(),
    order: snapshot.order,
    filters: given,
    complete: Object.keys(given).length === 0,
    retention: { months: account.retentionMonths, hiddenBefore: new Date(hiddenBefore).toISOString() },
    chain: {
      from: snapshot.chain.purgedThrough,
      head: snapshot.chain.head,
    },
  } as const;
  const signature = key ? await signJson(key, unsigned) : null;
  return { ...unsigned, signature };
}
