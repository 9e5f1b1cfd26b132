// The simulated LivePerson's wire contract: the audit records as LivePerson describes them
// publicly ("Meta Data API" → Audit Trail): display names for object types, "Add new"/"Edit"/
// "Delete" actions, one row per changed element. Plain data and types with no imports, so the
// tests in workerd that drive the simulator over HTTP read the same definitions.

/** Object types as the export's "Object type" column shows them, with the internal component
 *  type name the "Search Criteria" block lists (`componentTypes` accepts either). */
export const OBJECT_TYPES = {
  Users: 'ACUserObject',
  Skills: 'ACSkillObject',
  'Agent Groups': 'ACAgentGroupObject',
  Profiles: 'ACProfileObject',
  LOBs: 'ACLobObject',
  'Automatic Messages': 'ACAutomaticMessageObject',
  'Predefined Content': 'ACPredefinedContentObject',
  'Working Hours': 'ACWorkingHoursObject',
  'Special Occasions': 'ACSpecialOccasionObject',
  Surveys: 'ACSurveyObject',
  'Account Settings': 'ACAccountSettingObject',
} as const satisfies Record<string, string>;

export type ObjectTypeName = keyof typeof OBJECT_TYPES;

/** Type names `generate` uses for its `unknownTypes` rows: LivePerson components an importer
 *  mapping the list above does not know. */
export const UNKNOWN_OBJECT_TYPES = ['Secure Forms', 'Bot Connectors'] as const;

export const ACTION_TYPES = ['Add new', 'Edit', 'Delete'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export interface SimRecord {
  objectType: string;
  objectId: string;
  objectName: string;
  actionType: ActionType;
  element: string;
  oldValue: string;
  newValue: string;
  /** ISO 8601 UTC instant. */
  occurredAt: string;
  originator: string;
  /** LivePerson's user id of the originator (the JSON query returns it); derived from the name when absent. */
  originatorId?: string;
  originatorEmployeeId: string;
  originatorProfiles: string;
}
