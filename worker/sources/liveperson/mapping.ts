// LivePerson's audit rows in our words: its object types (display names such as "Agent Groups"
// and the internal component names of the export's Search Criteria such as `ACUserObject`) and
// action types mapped to our vocabulary, rows of one save grouped into one change, and each
// change given an id derived from its content and its position among identical changes of its
// day, so an import of the same day twice stores nothing twice while two identical saves stay
// two. Pure functions: no I/O.
import type { Action, ObjectType } from '../../../shared/vocabulary';
import { canonicalJson, sha256Hex } from '../../domain/crypto';
import { LIMITS } from '../../domain/limits';
import { wallClockInstant } from '../../domain/time-zone';
import { truncate } from '../../domain/truncate';
import type { ChangeInput } from '../../schemas/changes';

/** LivePerson's object-type names (display and internal), matched without case, spaces or
 *  punctuation ("Agent Groups", "agent groups", "AgentGroups" alike). */
export const LIVEPERSON_TYPE_NAMES: Record<ObjectType, readonly string[]> = {
  user: ['Users', 'User', 'ACUserObject'],
  skill: ['Skills', 'Skill', 'ACSkillObject'],
  agentGroup: ['Agent Groups', 'Agent Group', 'ACAgentGroupObject'],
  profile: ['Profiles', 'Profile', 'ACProfileObject'],
  lob: ['LOBs', 'LOB', 'Lines of Business', 'Line of Business', 'ACLobObject'],
  postConversationSurvey: ['Post Conversation Surveys', 'Post Conversation Survey', 'ACPostConversationSurveyObject'],
  campaignSchedule: ['Campaign Schedules', 'Campaign Schedule', 'Schedules', 'ACCampaignScheduleObject', 'ACScheduleObject'],
  workingHours: ['Working Hours', 'Workdays', 'Shifts', 'ACWorkingHoursObject', 'ACWorkdaysObject'],
  predefinedContent: ['Predefined Content', 'Predefined Contents', 'ACPredefinedContentObject'],
  contentCategory: ['Predefined Content Categories', 'Content Categories', 'Categories', 'ACCategoryObject', 'ACContentCategoryObject'],
  // LivePerson's "Surveys" component is the legacy agent and visitor survey set; the agent survey is what admins edit there.
  agentSurvey: ['Agent Surveys', 'Agent Survey', 'Surveys', 'ACSurveyObject', 'ACAgentSurveyObject'],
  automaticMessage: ['Automatic Messages', 'Automatic Message', 'ACAutomaticMessageObject'],
  specialOccasion: ['Special Occasions', 'Special Occasion', 'ACSpecialOccasionObject'],
};

const nameKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const OBJECT_TYPE_BY_NAME = new Map<string, ObjectType>(
  (Object.entries(LIVEPERSON_TYPE_NAMES) as [ObjectType, readonly string[]][]).flatMap(([type, names]) =>
    names.map((name) => [nameKey(name), type] as const),
  ),
);

/** Our object type for a LivePerson object-type name, or undefined for one we do not know. */
export function objectTypeOf(name: string): ObjectType | undefined {
  return OBJECT_TYPE_BY_NAME.get(nameKey(name));
}

const ACTION_BY_NAME = new Map<string, Action>([
  ['addnew', 'add'],
  ['add', 'add'],
  ['create', 'add'],
  ['edit', 'edit'],
  ['update', 'edit'],
  ['delete', 'delete'],
  ['remove', 'delete'],
]);

export function actionOf(name: string): Action | undefined {
  return ACTION_BY_NAME.get(nameKey(name));
}

/** One row of the export's Results block, by its column names. */
export interface LivePersonRow {
  objectType: string;
  objectId: string;
  objectName: string;
  actionType: string;
  element: string;
  oldValue: string;
  newValue: string;
  dateAndTime: string;
  originator: string;
  originatorEmployeeId: string;
  originatorProfiles: string;
}

/** Why a row was not imported: the status counts each. */
export type SkipReason = string;
export const skipReasons = {
  objectType: (name: string) => `unknown object type: ${truncate(name.trim() || '(empty)', 100, '…')}`,
  actionType: (name: string) => `unknown action type: ${truncate(name.trim() || '(empty)', 100, '…')}`,
  time: 'unreadable date and time',
  objectId: 'no usable object id',
  retention: "older than the account's retention",
} as const;

/** A row read and mapped, or why it was skipped. */
export type MappedRow =
  | {
      ok: true;
      objectType: ObjectType;
      /** LivePerson's type name as it came (the change id is derived from LivePerson's words). */
      sourceType: string;
      objectId: string;
      objectName: string;
      action: Action;
      element: string;
      oldValue: string;
      newValue: string;
      occurredAt: number;
      originator: string;
    }
  | { ok: false; reason: SkipReason };

// eslint-disable-next-line no-control-regex -- what our identifiers may not hold (schemas/common.ts Identifier)
const USABLE_ID = /^[^\s\u0000-\u001f\u007f]{1,200}$/;
const WALL_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/;

/** Reads one row; "Date and time" has no offset and is read as wall time in `zone` (what we asked for). */
export function mapRow(row: LivePersonRow, zone: string, retentionCutoff: number): MappedRow {
  const objectType = objectTypeOf(row.objectType);
  if (!objectType) return { ok: false, reason: skipReasons.objectType(row.objectType) };
  const action = actionOf(row.actionType);
  if (!action) return { ok: false, reason: skipReasons.actionType(row.actionType) };
  const objectId = row.objectId.trim();
  if (!USABLE_ID.test(objectId)) return { ok: false, reason: skipReasons.objectId };
  const wall = WALL_TIME.exec(row.dateAndTime.trim());
  const occurredAt = wall ? wallClockInstant(`${wall[1]}T${wall[2]}`, zone) : undefined;
  if (occurredAt === undefined) return { ok: false, reason: skipReasons.time };
  if (occurredAt < retentionCutoff) return { ok: false, reason: skipReasons.retention };
  return {
    ok: true,
    objectType,
    sourceType: row.objectType.trim(),
    objectId,
    objectName: row.objectName.trim(),
    action,
    element: row.element.trim(),
    oldValue: row.oldValue,
    newValue: row.newValue,
    occurredAt,
    originator: row.originator.trim(),
  };
}

type Mapped = Extract<MappedRow, { ok: true }>;

/** Rows of one object with the same time, action and originator: one save in LivePerson. */
export interface RowGroup {
  key: string;
  first: Mapped;
  elements: { element: string; oldValue: string; newValue: string }[];
}

/** Groups a day's mapped rows into changes, in the order each change first appears. */
export class DayGroups {
  readonly #groups = new Map<string, RowGroup>();

  add(row: Mapped): void {
    const key = canonicalJson([row.sourceType, row.objectId, row.occurredAt, row.action, row.originator]);
    let group = this.#groups.get(key);
    if (!group) this.#groups.set(key, (group = { key, first: row, elements: [] }));
    group.elements.push({ element: row.element, oldValue: row.oldValue, newValue: row.newValue });
  }

  get size(): number {
    return this.#groups.size;
  }

  /** The day's changes with their ids and body hashes, in order of first appearance. */
  changes(day: string): ImportedChange[] {
    const seen = new Map<string, number>();
    const out: ImportedChange[] = [];
    for (const group of this.#groups.values()) {
      // What LivePerson said, in its own words: the same rows give the same digest on every import.
      const content = {
        objectType: group.first.sourceType,
        objectId: group.first.objectId,
        objectName: group.first.objectName,
        action: group.first.action,
        occurredAt: group.first.occurredAt,
        originator: group.first.originator,
        elements: group.elements.map((e) => [e.element, e.oldValue, e.newValue]),
      };
      const digest = sha256Hex(canonicalJson(content));
      const position = seen.get(digest) ?? 0;
      seen.set(digest, position + 1);
      const changeId = `lp-${day}-${digest.slice(0, 40)}-${position}`;
      out.push({ change: toChange(changeId, group), bodyHash: digest });
    }
    return out;
  }
}

export interface ImportedChange {
  change: ChangeInput;
  /** What idempotency compares: the digest of LivePerson's rows. */
  bodyHash: string;
}

const cut = (text: string, max: number) => truncate(text, max, '…');

/** The change as our write path takes it: explicit elements, so our secret rules redact them
 *  (normalizeElements), values cut to our limits, empty values as "not set". */
function toChange(changeId: string, group: RowGroup): ChangeInput {
  const { first } = group;
  const value = (text: string) => (text === '' ? undefined : truncate(text, LIMITS.valueChars));
  const originator = first.originator || 'LivePerson';
  return {
    changeId,
    objectType: first.objectType,
    objectId: first.objectId,
    objectName: first.objectName ? cut(first.objectName, LIMITS.objectNameChars) : undefined,
    action: first.action,
    // LivePerson's export names the originator (login name) but gives no user id: the name is the id.
    originator: { id: cut(originator.replace(/\s+/g, '_'), 200), name: cut(originator, 200) },
    occurredAt: new Date(first.occurredAt).toISOString(),
    elements: group.elements.map((e) => ({
      element: cut(e.element || 'Object', LIMITS.elementNameChars),
      oldValue: value(e.oldValue),
      newValue: value(e.newValue),
    })),
  };
}
