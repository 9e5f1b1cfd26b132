// The tables of Audit Trail: the single source of truth for the SQL migrations beside this
// file (drizzle-kit generate) and for the row types the Worker reads and writes.
// Times are integers in milliseconds since the epoch (UTC): compact, fast to compare and
// index; the API speaks RFC 3339.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

import {
  ACCESS_KINDS,
  ACTIONS,
  ACTOR_KINDS,
  DESTINATION_STATES,
  EVENT_SOURCES,
  LIVEPERSON_STATES,
  OBJECT_TYPES,
  TOKEN_EVENT_ACTIONS,
  VALUE_TYPES,
} from '../shared/vocabulary';

/** The hash that precedes an account's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  retentionMonths: integer('retention_months').notNull().default(13),
  auditEnabledAt: integer('audit_enabled_at').notNull(),
  createdAt: integer('created_at').notNull(),
  // Head of the account's hash chain. Every write compares-and-sets it in the same D1
  // transaction as its events, so concurrent writers cannot fork the chain, and the head
  // survives the retention purge of old rows.
  chainSeq: integer('chain_seq').notNull().default(0),
  chainHash: text('chain_hash').notNull().default(GENESIS_HASH),
  // The retention purge deletes a prefix of the chain; this is where it ends, so a
  // verifier knows which rows are legitimately gone and what hash the first kept row
  // must link to.
  purgedThroughSeq: integer('purged_through_seq').notNull().default(0),
  purgedThroughHash: text('purged_through_hash').notNull().default(GENESIS_HASH),
});

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    name: text('name').notNull(),
    /** JSON array of scopes. */
    scopes: text('scopes').notNull(),
    /** SHA-256 of the token (hex). The token itself is shown once and never stored. */
    secretHash: text('secret_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    revokedAt: integer('revoked_at'),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [uniqueIndex('api_tokens_secret_hash').on(t.secretHash), index('api_tokens_account').on(t.accountId)],
);

/** One row per accepted change: the idempotency record of its `changeId`. */
export const changeRequests = sqliteTable(
  'change_requests',
  {
    accountId: text('account_id').notNull(),
    changeId: text('change_id').notNull(),
    /** SHA-256 of the canonical request body, to tell a replay from a conflicting reuse. */
    bodyHash: text('body_hash').notNull(),
    eventCount: integer('event_count').notNull(),
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.changeId] })],
);

/** Append-only; one row per changed element. No foreign keys: history outlives objects. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    seq: integer('seq').notNull(),
    changeId: text('change_id').notNull(),
    objectType: text('object_type', { enum: OBJECT_TYPES }).notNull(),
    objectId: text('object_id').notNull(),
    objectName: text('object_name').notNull(),
    action: text('action', { enum: ACTIONS }).notNull(),
    element: text('element').notNull(),
    valueType: text('value_type', { enum: VALUE_TYPES }).notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
    redacted: integer('redacted', { mode: 'boolean' }).notNull().default(false),
    occurredAt: integer('occurred_at').notNull(),
    recordedAt: integer('recorded_at').notNull(),
    originatorId: text('originator_id').notNull(),
    originatorName: text('originator_name').notNull(),
    /** Recorded through the API, or imported from LivePerson; rows from before the column are "api". */
    source: text('source', { enum: EVENT_SOURCES }).notNull().default('api'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_account_seq').on(t.accountId, t.seq),
    index('audit_events_account_time').on(t.accountId, t.occurredAt, t.seq),
    index('audit_events_object_time').on(t.accountId, t.objectType, t.objectId, t.occurredAt, t.seq),
    index('audit_events_originator_time').on(t.accountId, t.originatorId, t.occurredAt, t.seq),
    index('audit_events_change').on(t.accountId, t.changeId),
    // The element filter is case-insensitive (ASCII, as SQLite's NOCASE).
    index('audit_events_element_time').on(t.accountId, sql`${t.element} collate nocase`, t.occurredAt, t.seq),
    // Not declared here (drizzle cannot): the FTS5 trigram index events_fts and its triggers,
    // drizzle/0006_event_search.sql.
  ],
);

/** Signed chain heads: the Worker's Ed25519 signature over (account, seq, hash, time). */
export const checkpoints = sqliteTable(
  'checkpoints',
  {
    accountId: text('account_id').notNull(),
    seq: integer('seq').notNull(),
    hash: text('hash').notNull(),
    signedAt: integer('signed_at').notNull(),
    keyId: text('key_id').notNull(),
    /** base64url Ed25519 signature over the checkpoint's canonical JSON. */
    signature: text('signature').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.seq] })],
);

/** Who read the audit trail: every list, history, export and verification. */
export const accessLog = sqliteTable(
  'access_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: text('account_id').notNull(),
    at: integer('at').notNull(),
    tokenId: text('token_id').notNull(),
    tokenName: text('token_name').notNull(),
    kind: text('kind', { enum: ACCESS_KINDS }).notNull(),
    /** JSON of the query as asked (filters, format, range). */
    query: text('query').notNull(),
    /** Rows returned; null while a streamed export is still running or if it broke off. */
    rows: integer('rows'),
  },
  (t) => [index('access_log_account').on(t.accountId, t.id)],
);

/** Who gave or took away power: every token creation and revocation, written in the same
 *  D1 transaction as the change to api_tokens. Never holds a secret or its hash. */
export const tokenEvents = sqliteTable(
  'token_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: text('account_id').notNull(),
    at: integer('at').notNull(),
    action: text('action', { enum: TOKEN_EVENT_ACTIONS }).notNull(),
    /** The token created or revoked, with its name, scopes (JSON array) and expiry then. */
    tokenId: text('token_id').notNull(),
    tokenName: text('token_name').notNull(),
    scopes: text('scopes').notNull(),
    expiresAt: integer('expires_at'),
    /** Who did it: the operator, or a token of the account (its id and the name it had). */
    actorKind: text('actor_kind', { enum: ACTOR_KINDS }).notNull(),
    actorTokenId: text('actor_token_id'),
    actorName: text('actor_name').notNull(),
  },
  (t) => [index('token_events_account').on(t.accountId, t.id)],
);

/** Single-use export links: a browser's downloads API fetches the file without an
 *  Authorization header, so the link itself is a short-lived bearer credential. Only its
 *  SHA-256 is stored (like tokens); the export runs under the token that created it. */
export const exportLinks = sqliteTable(
  'export_links',
  {
    /** SHA-256 of the link's secret (hex). */
    secretHash: text('secret_hash').primaryKey(),
    accountId: text('account_id').notNull(),
    tokenId: text('token_id').notNull(),
    /** The export's query string (filters, format, tz), validated when the link was made. */
    query: text('query').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Set by the one GET that may use the link. */
    usedAt: integer('used_at'),
  },
  (t) => [index('export_links_expires').on(t.expiresAt)],
);

/** An account's LivePerson connection (worker/sources/liveperson): its API key sealed under
 *  CREDENTIALS_KEY (never in clear), where the backfill stands, and what the imports did.
 *  Deleting the row stops the connector; the imported history stays in audit_events. */
export const livepersonSources = sqliteTable(
  'liveperson_sources',
  {
    accountId: text('account_id').primaryKey(),
    /** AES-GCM sealed JSON of the four OAuth 1.0 strings (worker/domain/credentials.ts). */
    credentials: text('credentials').notNull(),
    state: text('state', { enum: LIVEPERSON_STATES }).notNull(),
    /** Bumped by every connect: queued work of an earlier connection is dropped. */
    generation: integer('generation').notNull(),
    /** First and last day (UTC, YYYY-MM-DD) the backfill walks; `nextDay` is the one it imports next. */
    backfillFrom: text('backfill_from').notNull(),
    backfillTo: text('backfill_to').notNull(),
    nextDay: text('next_day'),
    daysDone: integer('days_done').notNull().default(0),
    importedEvents: integer('imported_events').notNull().default(0),
    /** JSON object: rows not imported, counted per reason. */
    skipped: text('skipped').notNull().default('{}'),
    lastSyncAt: integer('last_sync_at'),
    lastError: text('last_error'),
    /** When a sync was last queued and not yet started: a POST …/sync meanwhile is coalesced into it. */
    syncQueuedAt: integer('sync_queued_at'),
    connectedAt: integer('connected_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('liveperson_sources_state').on(t.state)],
);

/** Where an account's audit trail is streamed (worker/destinations): a receiver's https URL,
 *  its signing secret sealed under CREDENTIALS_KEY (and, while a rotation overlaps, the one
 *  before), and the cursor into the account's chain: every event with a seq up to
 *  `deliveredThroughSeq` was delivered (or did not match the filter). */
export const destinations = sqliteTable(
  'destinations',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    /** JSON object: objectType and action the events must have; '{}' streams everything. */
    filter: text('filter').notNull().default('{}'),
    secretEnc: text('secret_enc').notNull(),
    previousSecretEnc: text('previous_secret_enc'),
    previousSecretUntil: integer('previous_secret_until'),
    state: text('state', { enum: DESTINATION_STATES }).notNull().default('active'),
    deliveredThroughSeq: integer('delivered_through_seq').notNull(),
    /** The delivery being tried: its id (the receiver's idempotency key) and the last seq it
     *  covers, so that every retry sends the same events under the same id. */
    pendingId: text('pending_id'),
    pendingThroughSeq: integer('pending_through_seq'),
    /** Failed attempts in a row, since `failingSince`; the next attempt waits until `nextAttemptAt`. */
    failures: integer('failures').notNull().default(0),
    failingSince: integer('failing_since'),
    nextAttemptAt: integer('next_attempt_at'),
    /** One delivery at a time: whoever holds an unexpired lease delivers. */
    leaseId: text('lease_id'),
    leaseUntil: integer('lease_until'),
    lastAttemptAt: integer('last_attempt_at'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    lastDeliveredAt: integer('last_delivered_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('destinations_account').on(t.accountId)],
);

/** Attempts at delivering to a destination (the newest few hundred are kept per destination). */
export const destinationDeliveries = sqliteTable(
  'destination_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    destinationId: text('destination_id').notNull(),
    /** The webhook-id sent; the same for every attempt at the same events. */
    deliveryId: text('delivery_id').notNull(),
    at: integer('at').notNull(),
    /** 'events', or 'test' (POST …/test's ping). */
    kind: text('kind', { enum: ['events', 'test'] }).notNull(),
    fromSeq: integer('from_seq'),
    throughSeq: integer('through_seq'),
    events: integer('events').notNull(),
    /** The receiver's HTTP status; null when there was none (timeout, network, refused URL). */
    status: integer('status'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
  },
  (t) => [index('destination_deliveries_destination').on(t.destinationId, t.id)],
);

export type AccountRow = typeof accounts.$inferSelect;
export type LivePersonSourceRow = typeof livepersonSources.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type DestinationRow = typeof destinations.$inferSelect;
export type DestinationDeliveryRow = typeof destinationDeliveries.$inferSelect;
