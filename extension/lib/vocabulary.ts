// The API's closed vocabularies (shared with the Worker through drizzle/vocabulary.ts, which
// imports nothing) and how the extension shows them.

export { ACTION_LABELS, ACTIONS, LIST_LABELS, OBJECT_TYPE_LABELS, OBJECT_TYPES, REDACTED_LABEL, SCOPES } from '../../drizzle/vocabulary';
export type { Action, ObjectType, Scope, ValueType } from '../../drizzle/vocabulary';
import { OBJECT_TYPES, type Action, type ObjectType, type Scope, type ValueType } from '../../drizzle/vocabulary';

export const isObjectType = (value: string): value is ObjectType => (OBJECT_TYPES as readonly string[]).includes(value);

/** An audit event as the API returns it (worker/schemas/events.ts). */
export interface AuditEvent {
  id: string;
  accountId: string;
  seq: number;
  changeId: string;
  objectType: ObjectType;
  objectId: string;
  objectName: string;
  action: Action;
  element: string;
  valueType: ValueType;
  oldValue: string | null;
  newValue: string | null;
  redacted: boolean;
  occurredAt: string;
  recordedAt: string;
  originator: { id: string; name: string };
  hash: string;
}

export interface EventPage {
  events: AuditEvent[];
  nextCursor: string | null;
}

/** What a token may do (GET /v1/accounts/{a}/me). */
export interface Me {
  accountId: string;
  tokenId: string;
  name: string;
  scopes: Scope[];
}

/** The filters of GET .../events and .../events/export. */
export interface EventFilters {
  objectType?: ObjectType[];
  objectId?: string;
  action?: Action[];
  element?: string;
  originatorId?: string;
  q?: string;
  from?: string;
  to?: string;
  /** IANA zone in which from/to days are meant (and dates shown); default the account's. */
  tz?: string;
}

export type ExportFormat = 'xlsx' | 'csv' | 'ndjson';
