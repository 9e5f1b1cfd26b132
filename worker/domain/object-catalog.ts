// What the objects of a LivePerson-style account look like, field by field, as the Account
// Config APIs return them: which fields are worth an audit row, how each is labelled (the
// element names admins know from LivePerson's own audit page) and how its value is shown.
// Snapshot fields that are not listed here are still audited, with a label made from the
// key and a kind guessed from the values (see `fieldFor`).
import { fieldDisplay, type FieldDisplay } from '../../shared/field-display';
import { OBJECT_TYPES, type ObjectType } from '../../shared/vocabulary';
import { isSecretName } from './secret-fields';

/**
 * How a field's value is compared and shown:
 * - text / number / boolean: one scalar value (the stored type follows the actual value);
 * - secret: never shown, a change is recorded as redacted;
 * - ref: the id of one other object, possibly inside a nested object (memberOf.agentGroupId);
 * - refList: an array of ids, or of objects holding the id under `idKey`;
 * - list: an array of primitives or objects, shown as removed / added items;
 * - json: a nested object compared and shown as a whole;
 * - ignore: metadata the platform maintains itself (ids, revisions, timestamps).
 */
export type FieldKind = 'text' | 'number' | 'boolean' | 'secret' | 'ref' | 'refList' | 'list' | 'json' | 'ignore';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  /** ref / refList: the type of the object the id points at. */
  refType?: ObjectType;
  /** ref / refList: the key of the id when the value (or each item) is an object. */
  idKey?: string;
  /** Overrules the secret-name detector for this field: true, never stored whatever its name;
   *  false, stored although its name sounds like a secret ("Change password at next login"). */
  secret?: boolean;
  /** How its values read (unit, enum labels, reference): from shared/field-display.ts, which the extension reads too. */
  display?: FieldDisplay;
}

export interface ObjectSpec {
  type: ObjectType;
  label: string;
  /** Snapshot fields holding the display name, first set one wins; dotted paths reach into nested values. */
  nameFields: readonly string[];
  /** In the order rows are listed. */
  fields: readonly FieldSpec[];
}

const text = (key: string, label: string): FieldSpec => ({ key, label, kind: 'text' });
const number = (key: string, label: string): FieldSpec => ({ key, label, kind: 'number' });
const boolean = (key: string, label: string): FieldSpec => ({ key, label, kind: 'boolean' });
const secret = (key: string, label: string): FieldSpec => ({ key, label, kind: 'secret', secret: true });
/** A field whose name sounds like a secret but whose value is a setting about one. */
const notSecret = (field: FieldSpec): FieldSpec => ({ ...field, secret: false });
const list = (key: string, label: string): FieldSpec => ({ key, label, kind: 'list' });
const json = (key: string, label: string): FieldSpec => ({ key, label, kind: 'json' });
const ignore = (key: string, label: string): FieldSpec => ({ key, label, kind: 'ignore' });
const ref = (key: string, label: string, refType: ObjectType, idKey?: string): FieldSpec => ({ key, label, kind: 'ref', refType, idKey });
const refList = (key: string, label: string, refType: ObjectType, idKey?: string): FieldSpec => ({
  key,
  label,
  kind: 'refList',
  refType,
  idKey,
});

// Every Account Config object carries these; they change on every save, so rows for them are noise.
const METADATA: readonly FieldSpec[] = [
  ignore('id', 'ID'),
  ignore('deleted', 'Deleted'),
  ignore('revision', 'Revision'),
  ignore('dateCreated', 'Date created'),
  ignore('dateUpdated', 'Date updated'),
];

const NAME_AND_DESCRIPTION: readonly FieldSpec[] = [text('name', 'Name'), text('description', 'Description')];
// The same LivePerson reference fields, on several object types.
const SKILL_IDS = refList('skillIds', 'Skills', 'skill');
const LOB_IDS = refList('lobIds', 'LoBs', 'lob');

const SPECS_WITHOUT_DISPLAY: readonly ObjectSpec[] = [
  {
    type: 'user',
    label: 'User',
    nameFields: ['fullName', 'loginName'],
    fields: [
      ...METADATA,
      ignore('pid', 'Internal ID'),
      ignore('lastPwdChangeDate', 'Last password change'),
      text('loginName', 'Login name'),
      text('fullName', 'Name'),
      text('nickname', 'Nickname'),
      text('email', 'Email'),
      secret('passwordSh', 'Password'),
      notSecret(boolean('changePwdNextLogin', 'Change password at next login')),
      boolean('isEnabled', 'Enabled'),
      boolean('disabledManually', 'Disabled manually'),
      number('userTypeId', 'User type'),
      boolean('isApiUser', 'API user'),
      secret('allowedAppKeys', 'Allowed app keys'),
      text('employeeId', 'Employee ID'),
      text('description', 'Description'),
      text('mobileNumber', 'Mobile number'),
      text('pictureUrl', 'Picture URL'),
      text('backgndImgUri', 'Background image URL'),
      text('pnCertName', 'Push notification certificate'),
      number('maxChats', 'Max chats'),
      number('maxAsyncChats', 'Max async chats'),
      SKILL_IDS,
      refList('profileIds', 'Profiles', 'profile'),
      LOB_IDS,
      ref('memberOf', 'Member of', 'agentGroup', 'agentGroupId'),
      refList('managerOf', 'Manager of', 'agentGroup', 'agentGroupId'),
      list('permissionGroups', 'Permission groups'),
      // v4 also returns skillIds / profileIds expanded with names; auditing both would
      // record every skill change twice.
      ignore('skills', 'Skills (expanded)'),
      ignore('profiles', 'Profiles (expanded)'),
    ],
  },
  {
    type: 'skill',
    label: 'Skill',
    nameFields: ['name'],
    fields: [
      ...METADATA,
      ...NAME_AND_DESCRIPTION,
      number('maxWaitTime', 'Max wait time'),
      number('skillOrder', 'Skill order'),
      boolean('canTransfer', 'Can transfer'),
      refList('skillTransferList', 'Transfer to skills', 'skill'),
      LOB_IDS,
      number('wrapUpTime', 'Wrap-up time'),
      number('slaDefaultResponseTime', 'SLA default response time'),
      number('slaUrgentResponseTime', 'SLA urgent response time'),
      number('slaFirstTimeResponseTime', 'SLA first-time response time'),
      number('transferToAgentMaxWaitInSeconds', 'Transfer to agent max wait (seconds)'),
      number('autoCloseInSeconds', 'Auto close (seconds)'),
      ref('workingHoursId', 'Working hours', 'workingHours'),
      text('specialOccasionId', 'Special occasions'),
      ref('fallbackSkill', 'Fallback skill', 'skill'),
      boolean('fallbackWhenAllAgentsAreAway', 'Fall back when all agents are away'),
      boolean('redistributeLoadToConnectedAgentGroups', 'Redistribute load to connected agent groups'),
      list('skillRoutingConfiguration', 'Skill routing configuration'),
      ref('agentSurveyForMsgId', 'Agent survey', 'agentSurvey'),
      number('agentSurveyForMsgTimeoutInMinutes', 'Agent survey timeout (minutes)'),
      text('defaultPostChatSurveyId', 'Default post-chat survey'),
      text('defaultOfflineSurveyId', 'Default offline survey'),
      text('defaultAgentSurveyId', 'Default agent survey'),
    ],
  },
  {
    type: 'agentGroup',
    label: 'Agent group',
    nameFields: ['name'],
    fields: [...METADATA, ...NAME_AND_DESCRIPTION, ref('parentGroupId', 'Parent group', 'agentGroup'), boolean('isEnabled', 'Enabled')],
  },
  {
    type: 'profile',
    label: 'Profile',
    nameFields: ['name'],
    fields: [
      ...METADATA,
      ...NAME_AND_DESCRIPTION,
      number('roleTypeId', 'Role'),
      list('permissions', 'Permissions'),
      list('permissionPackages', 'Permission packages'),
      boolean('isAssignedToLPA', 'Assigned to LPA'),
    ],
  },
  {
    type: 'lob',
    label: 'LoB',
    nameFields: ['name'],
    fields: [...METADATA, ...NAME_AND_DESCRIPTION],
  },
  {
    type: 'postConversationSurvey',
    label: 'Post conversation survey',
    nameFields: ['name'],
    fields: [
      ...METADATA,
      ...NAME_AND_DESCRIPTION,
      boolean('enabled', 'Enabled'),
      SKILL_IDS,
      text('botId', 'Survey bot'),
      number('timeoutInMinutes', 'Survey timeout (minutes)'),
      list('questions', 'Questions'),
    ],
  },
  {
    type: 'campaignSchedule',
    label: 'Campaign schedule',
    nameFields: ['name'],
    fields: [
      ...METADATA,
      ...NAME_AND_DESCRIPTION,
      boolean('isDefault', 'Default'),
      text('timeZone', 'Time zone'),
      text('startDate', 'Start date'),
      text('expirationDate', 'End date'),
      list('events', 'Time frames'),
    ],
  },
  {
    type: 'workingHours',
    label: 'Working hours',
    nameFields: ['name'],
    fields: [...METADATA, ...NAME_AND_DESCRIPTION, boolean('isDefault', 'Default'), list('events', 'Hours')],
  },
  {
    type: 'predefinedContent',
    label: 'Predefined content',
    // No name field: the title of the first text stands for it.
    nameFields: ['data.0.title'],
    fields: [
      ...METADATA,
      list('data', 'Text'),
      boolean('enabled', 'Enabled'),
      json('hotkey', 'Hot key'),
      refList('categoriesIds', 'Categories', 'contentCategory'),
      SKILL_IDS,
      LOB_IDS,
    ],
  },
  {
    type: 'contentCategory',
    label: 'Content category',
    nameFields: ['name'],
    fields: [...METADATA, text('name', 'Name'), text('type', 'Type')],
  },
  {
    type: 'agentSurvey',
    label: 'Agent survey',
    nameFields: ['name'],
    fields: [
      ...METADATA,
      ...NAME_AND_DESCRIPTION,
      boolean('enabled', 'Enabled'),
      boolean('isMandatory', 'Mandatory'),
      SKILL_IDS,
      list('questions', 'Questions'),
    ],
  },
  {
    // LivePerson's automatic messages (greeting, away, transfer notices …), per skill or account.
    type: 'automaticMessage',
    label: 'Automatic message',
    nameFields: ['name', 'messageEventId'],
    fields: [
      ...METADATA,
      ...NAME_AND_DESCRIPTION,
      text('messageEventId', 'Message event'),
      boolean('enabled', 'Enabled'),
      list('data', 'Text'),
      refList('skillIds', 'Skills', 'skill'),
    ],
  },
  {
    // Days that override working hours (holidays), referenced by skills.
    type: 'specialOccasion',
    label: 'Special occasion',
    nameFields: ['name'],
    fields: [...METADATA, ...NAME_AND_DESCRIPTION, boolean('isDefault', 'Default'), list('events', 'Occasions')],
  },
];

// The display facts are stated once, in the shared module, and attached here.
const SPECS: readonly ObjectSpec[] = SPECS_WITHOUT_DISPLAY.map((spec) => ({
  ...spec,
  fields: spec.fields.map((field) => {
    const display = field.kind === 'ignore' ? undefined : fieldDisplay(spec.type, field.label);
    return display ? { ...field, display } : field;
  }),
}));

// Maps, not plain objects: a snapshot key such as "constructor" or "__proto__" must never
// find something inherited from Object.prototype.
const SPEC_BY_TYPE = new Map<ObjectType, ObjectSpec>(SPECS.map((spec) => [spec.type, spec]));
const FIELD_BY_TYPE = new Map<ObjectType, Map<string, FieldSpec>>(
  SPECS.map((spec) => [spec.type, new Map(spec.fields.map((field) => [field.key, field]))]),
);

/** The catalog, one spec per object type, in `OBJECT_TYPES` order. */
export const OBJECT_CATALOG: readonly ObjectSpec[] = OBJECT_TYPES.map((type) => objectSpec(type));

/** The object type's spec: looked up once per change, then handed to every step that reads its fields. */
export function objectSpec(type: ObjectType): ObjectSpec {
  const spec = SPEC_BY_TYPE.get(type);
  if (!spec) throw new Error(`No catalog entry for object type "${type}"`);
  return spec;
}

/** The catalog entry of a field of the object, if the catalog knows it. */
export function catalogField(spec: ObjectSpec, key: string): FieldSpec | undefined {
  return FIELD_BY_TYPE.get(spec.type)?.get(key);
}

/**
 * How to treat one snapshot field: the catalog entry, or for an unknown key a humanized label
 * and a kind inferred from the values seen on either side. Whether it is a secret is the
 * catalog's word where it has one, else the secret-name detector's.
 */
export function fieldFor(spec: ObjectSpec, key: string, values: readonly unknown[]): FieldSpec {
  const known = catalogField(spec, key);
  if (known?.kind === 'ignore') return known; // no row at all: nothing of it is stored
  if (known?.secret ?? isSecretName(key)) return { key, label: known?.label ?? humanizeKey(key), kind: 'secret', secret: true };
  return known ?? { key, label: humanizeKey(key), kind: inferKind(values) };
}

/** Whether an element a client listed itself is a secret: the catalog decides for a field of
 *  this object type it knows by label or key ("Password", "Change password at next login"),
 *  the secret-name detector for any other name. */
export function isSecretElement(spec: ObjectSpec, element: string): boolean {
  const name = element.trim().toLowerCase();
  const known = spec.fields.find((field) => field.label.toLowerCase() === name || field.key.toLowerCase() === name);
  return known?.secret ?? isSecretName(element);
}

/** A kind for values the catalog does not describe. */
export function inferKind(values: readonly unknown[]): FieldKind {
  const set = values.filter((value) => value !== null && value !== undefined);
  if (set.length === 0) return 'text';
  if (set.every(Array.isArray)) return 'list';
  if (set.every((value) => typeof value !== 'object')) return 'text';
  return 'json';
}

/** "maxAsyncChats" → "Max async chats", "skill_ids" → "Skill ids", "pictureURL" → "Picture url". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-.\s]+/g, ' ')
    .trim()
    .toLowerCase();
  if (!words) return key;
  return words.charAt(0).toUpperCase() + words.slice(1);
}
