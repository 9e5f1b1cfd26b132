// The simulated account's configuration (users, skills, agent groups, profiles), written the
// way LivePerson's Account Configuration API is: `PUT /api/account/{site}/configuration/le-users/{type}/{id}`
// with the whole object and a Login Service bearer token. Each write records LivePerson audit
// rows — one per changed element, with old and new value as the Audit Trail shows them and the
// signed-in user as originator — so a save in the demo workspace reaches Audit Trail the way a
// save in the real workspace does: through LivePerson's audit trail and the connector.
// Independent of worker/ on purpose: it plays LivePerson.
import type { ObjectTypeName, SimRecord } from './contract';

type Json = Record<string, unknown>;

/** Who a bearer token signs in as (the Login Service's user). */
export interface SessionUser {
  id: string;
  name: string;
  employeeId: string;
  profiles: string;
}

/** The config types the simulator edits: path segment → audit object type, name field, elements. */
const TYPES = {
  users: {
    objectType: 'Users',
    name: (o: Json) => String(o.fullName ?? o.loginName ?? o.id),
    elements: {
      fullName: 'Name',
      loginName: 'Login name',
      nickname: 'Nickname',
      email: 'Email',
      profileIds: 'Profiles',
      skillIds: 'Skills',
      memberOf: 'Member of',
      managerOf: 'Manager of',
      maxChats: 'Max no. of chats',
      passwordSh: 'Password',
      isEnabled: 'Enabled',
    },
  },
  skills: {
    objectType: 'Skills',
    name: (o: Json) => String(o.name ?? o.id),
    elements: { name: 'Name', description: 'Description', maxWaitTime: 'Max wait time', canTransfer: 'Transfer to skill' },
  },
  agentGroups: {
    objectType: 'Agent Groups',
    name: (o: Json) => String(o.name ?? o.id),
    elements: { name: 'Name', description: 'Description', parentGroupId: 'Parent group', isEnabled: 'Enabled' },
  },
  profiles: {
    objectType: 'Profiles',
    name: (o: Json) => String(o.name ?? o.id),
    elements: { name: 'Name', description: 'Description' },
  },
} as const satisfies Record<string, { objectType: ObjectTypeName; name: (o: Json) => string; elements: Record<string, string> }>;

export type ConfigType = keyof typeof TYPES;
export const CONFIG_TYPES = Object.keys(TYPES) as ConfigType[];
export const isConfigType = (value: string): value is ConfigType => Object.hasOwn(TYPES, value);

/** The account's current configuration objects, by type and id. */
export class AccountConfig {
  readonly #objects = new Map<ConfigType, Map<string, Json>>(CONFIG_TYPES.map((t) => [t, new Map()]));

  /** Replaces the objects of the types given (the control API seeds them). */
  seed(objects: Partial<Record<ConfigType, Json[]>>): void {
    for (const type of CONFIG_TYPES) {
      const list = objects[type];
      if (list) this.#objects.set(type, new Map(list.map((o) => [String(o.id), o])));
    }
  }

  get(type: ConfigType, id: string): Json | undefined {
    return this.#objects.get(type)!.get(id);
  }

  /** Stores `after` as the object and answers the audit rows the change makes (none when nothing changed). */
  write(type: ConfigType, id: string, after: Json, user: SessionUser, at: Date): SimRecord[] {
    const spec = TYPES[type];
    const objects = this.#objects.get(type)!;
    const before = objects.get(id);
    const stored: Json = { ...after, id: before?.id ?? after.id ?? id };
    objects.set(id, stored);
    const actionType = before ? 'Edit' : 'Add new';
    const rows: SimRecord[] = [];
    for (const [field, element] of Object.entries(spec.elements) as [string, string][]) {
      const oldValue = before ? this.#show(field, before[field]) : '';
      const newValue = this.#show(field, stored[field]);
      if (oldValue === newValue) continue;
      // LivePerson records that a password changed, never the value.
      const secret = field === 'passwordSh';
      rows.push({
        objectType: spec.objectType,
        objectId: id,
        objectName: spec.name(stored),
        actionType,
        element,
        oldValue: secret ? '' : oldValue,
        newValue: secret ? '*****' : newValue,
        occurredAt: at.toISOString(),
        originator: user.name,
        originatorId: user.id,
        originatorEmployeeId: user.employeeId,
        originatorProfiles: user.profiles,
      });
    }
    return rows;
  }

  /** A value as LivePerson's audit trail shows it: referenced objects by name, lists comma-separated. */
  #show(field: string, value: unknown): string {
    const name = (type: ConfigType, ref: unknown) => {
      const object = this.get(type, String(ref));
      return object ? TYPES[type].name(object) : String(ref);
    };
    if (value === undefined || value === null) return '';
    if (field === 'skillIds' && Array.isArray(value)) return value.map((ref) => name('skills', ref)).join(', ');
    if (field === 'profileIds' && Array.isArray(value)) return value.map((ref) => name('profiles', ref)).join(', ');
    if (field === 'memberOf' && typeof value === 'object') return name('agentGroups', (value as Json).agentGroupId);
    if (field === 'managerOf' && Array.isArray(value)) return value.map((m) => name('agentGroups', (m as Json).agentGroupId)).join(', ');
    if (field === 'parentGroupId') return name('agentGroups', value);
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }
}
