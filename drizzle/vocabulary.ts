// The closed vocabularies of Audit Trail: object types, actions, scopes, value types.
// No imports, so the browser extension and the Node scripts share them with the Worker
// without pulling in Drizzle.

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
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const ACTIONS = ['add', 'edit', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

export const SCOPES = ['events:write', 'audit:read', 'audit:export', 'account:admin'] as const;
export type Scope = (typeof SCOPES)[number];

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
};

/** "Action type" column of the reference page: edit, add new, delete. */
export const ACTION_LABELS: Record<Action, string> = { add: 'Add new', edit: 'Edit', delete: 'Delete' };

/** Shown instead of a secret's values, which are never stored. */
export const REDACTED_LABEL = '(changed)';

/** Prefixes of a list change's sides: the old value holds what was removed, the new what was added. */
export const LIST_LABELS = { removed: 'removed', added: 'added' } as const;
