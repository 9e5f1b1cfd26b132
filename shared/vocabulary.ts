// The closed vocabularies of Audit Trail and how they read: object types, actions, scopes,
// value types, export formats, the access log's and token log's kinds, and their labels.
// One module, no imports: the Worker (tables, schemas, exports), the browser extension and
// the Node scripts all import it, so none of them can restate a list and drift.

export const OBJECT_TYPES = [
  'user',
  'skill',
  'agentGroup',
  'profile',
  'lob',
  'postConversationSurvey',
  'campaignSchedule',
  'workingHours',
  'predefinedContent',
  'contentCategory',
  'agentSurvey',
  'automaticMessage',
  'specialOccasion',
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const ACTIONS = ['add', 'edit', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

export const SCOPES = ['events:write', 'audit:read', 'audit:export', 'account:admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Where an event came from: recorded through the API by an emitter, or imported from
 *  LivePerson's own audit trail by the connector (worker/sources/liveperson). */
export const EVENT_SOURCES = ['api', 'liveperson'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** Where a LivePerson connection stands: importing its history, keeping up, or stopped by an error the admin must fix. */
export const LIVEPERSON_STATES = ['backfilling', 'syncing', 'error'] as const;
export type LivePersonState = (typeof LIVEPERSON_STATES)[number];

/** Where a destination (a SIEM's webhook, worker/destinations) stands: delivering, failing
 *  for more than a day (still retried hourly), or disabled (it answered 410 Gone). */
export const DESTINATION_STATES = ['active', 'failing', 'disabled'] as const;
export type DestinationState = (typeof DESTINATION_STATES)[number];

/** The files GET .../events/export writes. */
export const EXPORT_FORMATS = ['xlsx', 'csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a read of the audit trail was (the access log). */
export const ACCESS_KINDS = ['list', 'history', 'facets', 'export', 'verify'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** What happened to a token, and who did it (the token log). */
export const TOKEN_EVENT_ACTIONS = ['create', 'revoke'] as const;
export type TokenEventAction = (typeof TOKEN_EVENT_ACTIONS)[number];
export const ACTOR_KINDS = ['operator', 'token'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** How a stored value should be read back: lists hold what was removed (old) and added (new). */
export const VALUE_TYPES = ['text', 'number', 'boolean', 'list', 'json'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

// How the vocabularies read, on screen and in exported files alike (one source, so the
// extension and the Worker's export columns cannot drift apart).

/** "Object type" column of the reference page. */
export const OBJECT_TYPE_LABELS: Record<ObjectType, string> = {
  user: 'User',
  skill: 'Skill',
  agentGroup: 'Agent group',
  profile: 'Profile',
  lob: 'LoB',
  postConversationSurvey: 'Post conversation survey',
  campaignSchedule: 'Campaign schedule',
  workingHours: 'Working hours',
  predefinedContent: 'Predefined content',
  contentCategory: 'Content category',
  agentSurvey: 'Agent survey',
  automaticMessage: 'Automatic message',
  specialOccasion: 'Special occasion',
};

/** How an event's source reads. */
export const SOURCE_LABELS: Record<EventSource, string> = { api: 'API', liveperson: 'LivePerson' };

/** "Action type" column of the reference page: edit, add new, delete. */
export const ACTION_LABELS: Record<Action, string> = { add: 'Add new', edit: 'Edit', delete: 'Delete' };

/** Shown instead of a secret's values, which are never stored. */
export const REDACTED_LABEL = '(changed)';

/** Prefixes of a list change's sides: the old value holds what was removed, the new what was added. */
export const LIST_LABELS = { removed: 'removed', added: 'added' } as const;
