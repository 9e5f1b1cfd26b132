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
