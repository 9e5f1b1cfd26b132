import { describe, expect, it } from 'vitest';
import { FIELD_DISPLAY, type FieldDisplay } from '../../shared/field-display';
import { OBJECT_TYPES, VALUE_TYPES, type ObjectType } from '../../shared/vocabulary';
import { catalogField, fieldFor, humanizeKey, OBJECT_CATALOG, objectSpec } from '../../worker/domain/object-catalog';
import { isSecretName } from '../../worker/domain/secret-fields';
import {
  diffSnapshots,
  normalizeElements,
  referencedObjects,
  snapshotName,
  type DerivedElement,
  type NameOf,
  type Snapshot,
} from '../../worker/domain/snapshot-diff';

const NAMES = new Map<string, string>([
  ['skill:1', 'Sales'],
  ['skill:2', 'Support'],
  ['skill:3', 'Billing'],
  ['profile:10', 'Agent'],
  ['profile:11', 'Agent Manager'],
  ['lob:100', 'Retail'],
  ['agentGroup:12', 'Tier 1'],
  ['agentGroup:15', 'Tier 2'],
  ['agentGroup:20', 'Escalations'],
]);
const nameOf: NameOf = ({ objectType, objectId }) => NAMES.get(`${objectType}:${objectId}`);
const noNames: NameOf = () => undefined;

const PASSWORD = 'S3cr3t-Hunter2!';
const NEW_PASSWORD = 'Even-More-S3cr3t-42';

/** A LivePerson user (Account Config API v4) as JSON.parse returns it. */
function user(overrides: Snapshot = {}): Snapshot {
  return {
    id: 4711,
    deleted: false,
    loginName: 'jane.doe',
    fullName: 'Jane Doe',
    nickname: 'Jane',
    email: 'jane@example.com',
    passwordSh: PASSWORD,
    isEnabled: true,
    maxChats: 3,
    maxAsyncChats: 5,
    skillIds: [1, 2],
    profileIds: [10],
    lobIds: [],
    memberOf: { agentGroupId: '12', assignmentDate: '2026-01-02 10:00:00' },
    managerOf: [],
    employeeId: 'E-100',
    userTypeId: 1,
    isApiUser: false,
    dateUpdated: '2026-11-01 08:00:00',
    lastPwdChangeDate: '2026-10-01 08:00:00',
    ...overrides,
  };
}

const byElement = (rows: DerivedElement[]) => new Map(rows.map((row) => [row.element, row]));

describe('object catalog', () => {
  it('describes every object type, with a label for every field', () => {
    expect(OBJECT_CATALOG.map((spec) => spec.type)).toEqual([...OBJECT_TYPES]);
    for (const type of OBJECT_TYPES) {
      const spec = objectSpec(type);
      expect(spec.label.trim()).not.toBe('');
      expect(spec.nameFields.length).toBeGreaterThan(0);
      const keys = spec.fields.map((field) => field.key);
      expect(new Set(keys).size, `${type} has duplicate keys`).toBe(keys.length);
      for (const field of spec.fields) {
        expect(field.label.trim(), `${type}.${field.key}`).not.toBe('');
        if (field.kind === 'ref' || field.kind === 'refList') expect(OBJECT_TYPES).toContain(field.refType);
      }
      // Real fields beyond the metadata every object carries.
      expect(spec.fields.filter((field) => field.kind !== 'ignore').length).toBeGreaterThan(1);
    }
  });

  it('labels the LivePerson user fields as the audit page does', () => {
    const label = (key: string) => catalogField(objectSpec('user'), key)?.label;
    expect(label('loginName')).toBe('Login name');
    expect(label('fullName')).toBe('Name');
    expect(label('passwordSh')).toBe('Password');
    expect(label('memberOf')).toBe('Member of');
    expect(label('managerOf')).toBe('Manager of');
    expect(label('skillIds')).toBe('Skills');
    expect(label('profileIds')).toBe('Profiles');
    expect(label('lobIds')).toBe('LoBs');
    expect(label('employeeId')).toBe('Employee ID');
    expect(label('isApiUser')).toBe('API user');
    expect(catalogField(objectSpec('user'), 'memberOf')).toMatchObject({ kind: 'ref', refType: 'agentGroup', idKey: 'agentGroupId' });
    expect(catalogField(objectSpec('user'), 'allowedAppKeys')?.kind).toBe('secret');
    expect(catalogField(objectSpec('skill'), 'skillTransferList')).toMatchObject({ kind: 'refList', refType: 'skill' });
    expect(catalogField(objectSpec('predefinedContent'), 'categoriesIds')).toMatchObject({ kind: 'refList', refType: 'contentCategory' });
  });

  it('takes its display facts from shared/field-display.ts, each matching a field of its kind', () => {
    for (const [type, fields] of Object.entries(FIELD_DISPLAY) as [ObjectType, Record<string, FieldDisplay>][]) {
      for (const [label, display] of Object.entries(fields)) {
        const field = objectSpec(type).fields.find((candidate) => candidate.label === label);
        expect(field, `${type}: "${label}" is not a catalog field`).toBeDefined();
        expect(field!.display).toEqual(display);
        const kinds = display.kind === 'ref' ? ['ref', 'refList'] : ['number'];
        expect(kinds, `${type}.${field!.key}`).toContain(field!.kind);
      }
    }
    // Every reference field says so, so the extension can keep its ids one click away.
    for (const spec of OBJECT_CATALOG)
      for (const field of spec.fields.filter((f) => f.kind === 'ref' || f.kind === 'refList'))
        expect(field.display, `${spec.type}.${field.key}`).toEqual({ kind: 'ref' });
    expect(catalogField(objectSpec('skill'), 'slaDefaultResponseTime')?.display).toEqual({ kind: 'duration', unit: 'seconds' });
    expect(catalogField(objectSpec('user'), 'userTypeId')?.display).toMatchObject({ kind: 'enum', labels: { '1': 'Human', '2': 'Bot' } });
  });

  it('humanizes unknown keys and spots secret-looking ones', () => {
    expect(humanizeKey('maxAsyncChats')).toBe('Max async chats');
    expect(humanizeKey('skillIds')).toBe('Skill ids');
    expect(humanizeKey('snake_case_key')).toBe('Snake case key');
    expect(humanizeKey('pictureURL')).toBe('Picture url');
    for (const key of ['passwordSh', 'password', 'appSecret', 'accessToken', 'apiKey', 'api_key', 'privateKey', 'credentials']) {
      expect(isSecretName(key), key).toBe(true);
      expect(fieldFor(objectSpec('skill'), key, ['x']).kind, key).toBe('secret');
    }
    expect(isSecretName('loginName')).toBe(false);
    // Inherited names are not catalog entries.
    expect(catalogField(objectSpec('user'), 'constructor')).toBeUndefined();
    expect(catalogField(objectSpec('user'), '__proto__')).toBeUndefined();
  });
});

describe('diffSnapshots: a realistic LivePerson user edit', () => {
  const before = user();
  const after = user({
    fullName: 'Jane Smith',
    loginName: 'jane.smith',
    email: 'jane.smith@example.com',
    nickname: 'Janie',
    passwordSh: NEW_PASSWORD,
    profileIds: [11],
    skillIds: [2, 3],
    memberOf: { agentGroupId: 15, assignmentDate: '2026-11-26 09:15:00' },
    managerOf: [{ agentGroupId: 20, assignmentDate: '2026-11-26 09:15:00' }],
    lobIds: [100],
    maxChats: 5,
    isEnabled: false,
    dateUpdated: '2026-11-26 09:15:00',
    lastPwdChangeDate: '2026-11-26 09:15:00',
  });
  const rows = diffSnapshots(objectSpec('user'), 'edit', before, after, nameOf);
  const row = byElement(rows);

  it('makes one row per changed element, in catalog order', () => {
    expect(rows.map((r) => r.element)).toEqual([
      'Login name',
      'Name',
      'Nickname',
      'Email',
      'Password',
      'Enabled',
      'Max chats',
      'Skills',
      'Profiles',
      'LoBs',
      'Member of',
      'Manager of',
    ]);
  });

  it('shows text, numbers and booleans with their types', () => {
    expect(row.get('Name')).toEqual({ element: 'Name', valueType: 'text', oldValue: 'Jane Doe', newValue: 'Jane Smith', redacted: false });
    expect(row.get('Login name')).toMatchObject({ oldValue: 'jane.doe', newValue: 'jane.smith' });
    expect(row.get('Email')).toMatchObject({ oldValue: 'jane@example.com', newValue: 'jane.smith@example.com' });
    expect(row.get('Nickname')).toMatchObject({ oldValue: 'Jane', newValue: 'Janie' });
    expect(row.get('Max chats')).toMatchObject({ valueType: 'number', oldValue: '3', newValue: '5' });
    expect(row.get('Enabled')).toMatchObject({ valueType: 'boolean', oldValue: 'true', newValue: 'false' });
  });

  it('shows references with their names, lists as removed and added', () => {
    expect(row.get('Member of')).toMatchObject({ valueType: 'text', oldValue: 'Tier 1 (12)', newValue: 'Tier 2 (15)' });
    expect(row.get('Skills')).toMatchObject({ valueType: 'list', oldValue: '["Sales (1)"]', newValue: '["Billing (3)"]' });
    expect(row.get('Profiles')).toMatchObject({ oldValue: '["Agent (10)"]', newValue: '["Agent Manager (11)"]' });
    expect(row.get('Manager of')).toMatchObject({ valueType: 'list', oldValue: '[]', newValue: '["Escalations (20)"]' });
    expect(row.get('LoBs')).toMatchObject({ oldValue: '[]', newValue: '["Retail (100)"]' });
  });

  it('redacts the password and leaves no trace of it', () => {
    expect(row.get('Password')).toEqual({ element: 'Password', valueType: 'text', oldValue: null, newValue: null, redacted: true });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(NEW_PASSWORD);
  });

  it('shows bare ids when names are unknown', () => {
    const plain = byElement(diffSnapshots(objectSpec('user'), 'edit', before, after, noNames));
    expect(plain.get('Member of')).toMatchObject({ oldValue: '12', newValue: '15' });
    expect(plain.get('Skills')).toMatchObject({ oldValue: '["1"]', newValue: '["3"]' });
  });

  it('lists the referenced objects so their names can be looked up', () => {
    const refs = referencedObjects(objectSpec('user'), before, after).map((r) => `${r.objectType}:${r.objectId}`);
    expect(refs.sort()).toEqual(
      ['skill:1', 'skill:2', 'skill:3', 'profile:10', 'profile:11', 'lob:100', 'agentGroup:12', 'agentGroup:15', 'agentGroup:20'].sort(),
    );
    expect(referencedObjects(objectSpec('user'))).toEqual([]);
  });

  it('names the object from its snapshot', () => {
    expect(snapshotName(objectSpec('user'), before, after)).toBe('Jane Smith');
    expect(snapshotName(objectSpec('user'), before)).toBe('Jane Doe');
    expect(snapshotName(objectSpec('user'), undefined, { loginName: 'bot.one' })).toBe('bot.one');
    expect(snapshotName(objectSpec('skill'), undefined, { name: 'Sales' })).toBe('Sales');
    expect(snapshotName(objectSpec('predefinedContent'), undefined, { data: [{ title: 'Greeting', msg: 'Hi', lang: 'en-US' }] })).toBe(
      'Greeting',
    );
    expect(snapshotName(objectSpec('lob'), { id: 1 }, {})).toBeUndefined();
  });
});

describe('diffSnapshots: add, delete, no change', () => {
  it('add: one row for every set field, old = null', () => {
    const rows = diffSnapshots(objectSpec('user'), 'add', undefined, user({ nickname: null, lobIds: [] }), nameOf);
    const row = byElement(rows);
    expect(row.has('Nickname')).toBe(false);
    expect(row.has('LoBs')).toBe(false);
    expect(row.has('Manager of')).toBe(false);
    expect(row.has('ID')).toBe(false);
    expect(row.get('Name')).toMatchObject({ valueType: 'text', oldValue: null, newValue: 'Jane Doe' });
    expect(row.get('Max chats')).toMatchObject({ valueType: 'number', oldValue: null, newValue: '3' });
    expect(row.get('API user')).toMatchObject({ valueType: 'boolean', oldValue: null, newValue: 'false' });
    expect(row.get('Skills')).toMatchObject({ valueType: 'list', oldValue: '[]', newValue: '["Sales (1)","Support (2)"]' });
    expect(row.get('Member of')).toMatchObject({ oldValue: null, newValue: 'Tier 1 (12)' });
    expect(row.get('Password')).toMatchObject({ redacted: true, oldValue: null, newValue: null });
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });

  it('delete: one row for every set field, new = null', () => {
    const rows = diffSnapshots(
      objectSpec('skill'),
      'delete',
      { id: 1, name: 'Sales', maxWaitTime: 120, skillTransferList: [2], canTransfer: true },
      undefined,
      nameOf,
    );
    expect(rows).toEqual([
      { element: 'Name', valueType: 'text', oldValue: 'Sales', newValue: null, redacted: false },
      { element: 'Max wait time', valueType: 'number', oldValue: '120', newValue: null, redacted: false },
      { element: 'Can transfer', valueType: 'boolean', oldValue: 'true', newValue: null, redacted: false },
      { element: 'Transfer to skills', valueType: 'list', oldValue: '["Support (2)"]', newValue: '[]', redacted: false },
    ]);
  });

  it('unchanged snapshots make no rows', () => {
    expect(diffSnapshots(objectSpec('user'), 'edit', user(), user(), nameOf)).toEqual([]);
    expect(diffSnapshots(objectSpec('user'), 'edit', user(), JSON.parse(JSON.stringify(user())) as Snapshot, nameOf)).toEqual([]);
  });

  it('metadata changes alone make no rows', () => {
    expect(
      diffSnapshots(objectSpec('user'), 'edit', user(), user({ dateUpdated: 'later', lastPwdChangeDate: 'later', revision: 9 }), nameOf),
    ).toEqual([]);
  });

  it('a new assignment date in the same group is not a change of group', () => {
    const after = user({ memberOf: { agentGroupId: 12, assignmentDate: '2026-11-26 09:15:00' } });
    expect(diffSnapshots(objectSpec('user'), 'edit', user(), after, nameOf)).toEqual([]);
  });

  it('reordered lists make no rows', () => {
    const before = { name: 'Support', permissions: [1, 2, 3], skillTransferList: [1, 2], tags: ['a', 'b'] };
    const after = { name: 'Support', permissions: [3, 1, 2], skillTransferList: [2, 1], tags: ['b', 'a'] };
    expect(diffSnapshots(objectSpec('profile'), 'edit', before, after, nameOf)).toEqual([]);
    expect(diffSnapshots(objectSpec('skill'), 'edit', before, after, nameOf)).toEqual([]);
    const hours = (events: unknown[]) => ({ name: 'Office', events });
    const monday = { start: { dateTime: '09:00' }, recurrence: ['MO', 'TU'] };
    const friday = { start: { dateTime: '10:00' }, recurrence: ['FR'] };
    expect(diffSnapshots(objectSpec('workingHours'), 'edit', hours([monday, friday]), hours([friday, monday]), nameOf)).toEqual([]);
  });

  it('a number and a numeric string are not equal', () => {
    expect(diffSnapshots(objectSpec('user'), 'edit', user(), user({ maxChats: '3' }), nameOf)).toEqual([
      { element: 'Max chats', valueType: 'text', oldValue: '3', newValue: '3', redacted: false },
    ]);
  });

  it('lists of objects show removed and added items as canonical JSON', () => {
    const before = { name: 'Greeting', data: [{ msg: 'Hi', lang: 'en-US', title: 'Greeting' }], hotkey: { prefix: 'g', suffix: '1' } };
    const after = { name: 'Greeting', data: [{ title: 'Greeting', lang: 'en-US', msg: 'Hello' }], hotkey: { suffix: '2', prefix: 'g' } };
    expect(diffSnapshots(objectSpec('predefinedContent'), 'edit', before, after, nameOf)).toEqual([
      {
        element: 'Text',
        valueType: 'list',
        oldValue: JSON.stringify(['{"lang":"en-US","msg":"Hi","title":"Greeting"}']),
        newValue: JSON.stringify(['{"lang":"en-US","msg":"Hello","title":"Greeting"}']),
        redacted: false,
      },
      {
        element: 'Hot key',
        valueType: 'json',
        oldValue: '{"prefix":"g","suffix":"1"}',
        newValue: '{"prefix":"g","suffix":"2"}',
        redacted: false,
      },
    ]);
  });
});

describe('diffSnapshots: unknown fields, secrets and hostile input', () => {
  it('audits unknown fields after the catalog ones, humanized and sorted by key', () => {
    const rows = diffSnapshots(
      objectSpec('agentGroup'),
      'edit',
      { name: 'Tier 1', zetaLevel: 1, alphaFlag: false, extraSkillIds: [1], settings: { theme: 'dark' } },
      { name: 'Tier One', zetaLevel: 2, alphaFlag: true, extraSkillIds: [1, 2], settings: { theme: 'light' } },
      nameOf,
    );
    expect(rows).toEqual([
      { element: 'Name', valueType: 'text', oldValue: 'Tier 1', newValue: 'Tier One', redacted: false },
      { element: 'Alpha flag', valueType: 'boolean', oldValue: 'false', newValue: 'true', redacted: false },
      { element: 'Extra skill ids', valueType: 'list', oldValue: '[]', newValue: '["2"]', redacted: false },
      { element: 'Settings', valueType: 'json', oldValue: '{"theme":"dark"}', newValue: '{"theme":"light"}', redacted: false },
      { element: 'Zeta level', valueType: 'number', oldValue: '1', newValue: '2', redacted: false },
    ]);
  });

  it('redacts unknown secret-looking fields', () => {
    const rows = diffSnapshots(
      objectSpec('skill'),
      'edit',
      { name: 'A', appSecret: 'old-secret-1' },
      { name: 'A', appSecret: 'new-secret-2' },
      nameOf,
    );
    expect(rows).toEqual([{ element: 'App secret', valueType: 'text', oldValue: null, newValue: null, redacted: true }]);
    expect(diffSnapshots(objectSpec('skill'), 'edit', { appSecret: 'same' }, { appSecret: 'same' }, nameOf)).toEqual([]);
  });

  it('strips secrets nested inside unknown objects and lists', () => {
    const before = {
      integration: { url: 'https://a.example', apiKey: 'sk-old-1234', auth: { password: 'pw-old-1' } },
      hooks: [{ url: 'x', token: 'tok-old' }],
    };
    const after = {
      integration: { url: 'https://b.example', apiKey: 'sk-new-5678', auth: { password: 'pw-new-2' } },
      hooks: [{ url: 'y', token: 'tok-new' }],
    };
    const rows = diffSnapshots(objectSpec('lob'), 'edit', before, after, nameOf);
    const text = JSON.stringify(rows);
    for (const secret of ['sk-old-1234', 'sk-new-5678', 'pw-old-1', 'pw-new-2', 'tok-old', 'tok-new', 'apiKey', 'password', 'token']) {
      expect(text).not.toContain(secret);
    }
    expect(byElement(rows).get('Integration')).toMatchObject({ valueType: 'json', oldValue: '{"auth":{},"url":"https://a.example"}' });
    expect(byElement(rows).get('Hooks')).toMatchObject({ valueType: 'list', oldValue: '["{\\"url\\":\\"x\\"}"]' });
  });

  it('name/value pairs naming a secret keep their name, never their value, in lists and nested objects', () => {
    const props = (password: string, apiKey: string, color: string) => ({
      name: 'A',
      properties: [
        { name: 'password', value: password },
        { key: 'apiKey', val: apiKey },
        { name: 'color', value: color },
      ],
      settings: { auth: { field: 'PIN', value: password } },
    });
    const rows = diffSnapshots(
      objectSpec('lob'),
      'edit',
      props('pw-old-1', 'sk-old-1', 'red'),
      props('pw-new-2', 'sk-new-2', 'blue'),
      nameOf,
    );
    expect(JSON.stringify(rows)).not.toMatch(/pw-old|pw-new|sk-old|sk-new/);
    expect(byElement(rows).get('Properties')).toMatchObject({
      valueType: 'list',
      oldValue: JSON.stringify(['{"name":"color","value":"red"}']),
      newValue: JSON.stringify(['{"name":"color","value":"blue"}']),
    });
    // Only the secrets of the pairs changed: recorded as changed, without values.
    expect(byElement(rows).get('Settings')).toEqual({
      element: 'Settings',
      valueType: 'text',
      oldValue: null,
      newValue: null,
      redacted: true,
    });
    const secretsOnly = diffSnapshots(
      objectSpec('lob'),
      'edit',
      props('pw-old-1', 'sk-old-1', 'red'),
      props('pw-new-2', 'sk-new-2', 'red'),
      nameOf,
    );
    expect(secretsOnly.map((r) => [r.element, r.redacted])).toEqual([
      ['Properties', true],
      ['Settings', true],
    ]);
  });

  it('fields named like secrets in words are redacted; settings about secrets and look-alikes are not', () => {
    const before = {
      name: 'A',
      accessKey: 'ak-1',
      sessionId: 's-1',
      otpSeed: 'o-1',
      pin: '1111',
      pwd: 'p-1',
      tokenExpiryMinutes: 30,
      passedSurvey: false,
    };
    const after = {
      name: 'A',
      accessKey: 'ak-2',
      sessionId: 's-2',
      otpSeed: 'o-2',
      pin: '2222',
      pwd: 'p-2',
      tokenExpiryMinutes: 60,
      passedSurvey: true,
    };
    const rows = byElement(diffSnapshots(objectSpec('lob'), 'edit', before, after, nameOf));
    for (const element of ['Access key', 'Session id', 'Otp seed', 'Pin', 'Pwd'])
      expect(rows.get(element), element).toMatchObject({ redacted: true, oldValue: null, newValue: null });
    expect(rows.get('Token expiry minutes')).toMatchObject({ redacted: false, oldValue: '30', newValue: '60' });
    expect(rows.get('Passed survey')).toMatchObject({ redacted: false, oldValue: 'false', newValue: 'true' });
    // "Change password at next login" is a setting the catalog knows: stored.
    expect(
      diffSnapshots(objectSpec('user'), 'edit', user({ changePwdNextLogin: false }), user({ changePwdNextLogin: true }), nameOf),
    ).toEqual([{ element: 'Change password at next login', valueType: 'boolean', oldValue: 'false', newValue: 'true', redacted: false }]);
  });

  it('a change of a nested secret only is recorded as redacted', () => {
    const rows = diffSnapshots(
      objectSpec('lob'),
      'edit',
      { integration: { url: 'u', apiKey: 'sk-old-1234' } },
      { integration: { url: 'u', apiKey: 'sk-new-5678' } },
      nameOf,
    );
    expect(rows).toEqual([{ element: 'Integration', valueType: 'text', oldValue: null, newValue: null, redacted: true }]);
  });

  it('treats __proto__, constructor and prototype as plain data', () => {
    const before = JSON.parse('{"name":"A","__proto__":{"isAdmin":true},"constructor":"x","prototype":[1]}') as Snapshot;
    const after = JSON.parse(
      '{"name":"A","__proto__":{"isAdmin":false},"constructor":{"polluted":true},"prototype":[1,2],"toString":"s"}',
    ) as Snapshot;
    const rows = diffSnapshots(objectSpec('skill'), 'edit', before, after, nameOf);
    expect(rows.map((r) => r.element)).toEqual(['Proto', 'Constructor', 'Prototype', 'To string']);
    expect(byElement(rows).get('Proto')).toMatchObject({ valueType: 'json', oldValue: '{"isAdmin":true}', newValue: '{"isAdmin":false}' });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(referencedObjects(objectSpec('skill'), before, after)).toEqual([]);
    expect(snapshotName(objectSpec('skill'), JSON.parse('{"__proto__":{"name":"evil"}}') as Snapshot)).toBeUndefined();
    // An id hidden behind "__proto__" is not an id.
    expect(
      diffSnapshots(objectSpec('user'), 'edit', JSON.parse('{"memberOf":{"__proto__":{"agentGroupId":1}}}') as Snapshot, {}, nameOf),
    ).toEqual([]);
  });

  it('survives deeply nested values', () => {
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000)) as unknown;
    const rows = diffSnapshots(objectSpec('lob'), 'edit', { nested: deep }, { nested: [] }, nameOf);
    expect(rows).toHaveLength(1);
  });

  it('cuts values longer than 65,536 characters', () => {
    const long = 'x'.repeat(70_000);
    const [row] = diffSnapshots(objectSpec('lob'), 'add', undefined, { description: long }, nameOf);
    expect(row?.newValue).toHaveLength(65_536);
    expect(row?.newValue?.endsWith('… [truncated]')).toBe(true);
    const [fits] = diffSnapshots(objectSpec('lob'), 'add', undefined, { description: 'y'.repeat(65_536) }, nameOf);
    expect(fits?.newValue).toHaveLength(65_536);
    expect(fits?.newValue?.endsWith('y')).toBe(true);
    const [keyed] = diffSnapshots(objectSpec('lob'), 'add', undefined, { ['k'.repeat(1000)]: 1 }, nameOf);
    expect(keyed?.element.length).toBeLessThanOrEqual(200);
    expect(snapshotName(objectSpec('lob'), undefined, { name: 'n'.repeat(10_000) })?.length).toBeLessThanOrEqual(500);
    const emoji = diffSnapshots(objectSpec('lob'), 'add', undefined, { description: '😀'.repeat(40_000) }, nameOf)[0]?.newValue ?? '';
    expect(emoji.endsWith('… [truncated]')).toBe(true);
    expect(emoji.length).toBeLessThanOrEqual(65_536);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const [listed] = normalizeElements(objectSpec('user'), [
      { element: 'Tags', newValue: Array.from({ length: 20_000 }, (_, i) => `tag-${i}`) },
    ]);
    expect(listed?.newValue).toHaveLength(65_536);
  });

  it('only ever produces known value types', () => {
    const rows = diffSnapshots(
      objectSpec('user'),
      'add',
      undefined,
      user({ whatever: { a: [1, { b: 2 }] }, list: [[1], { c: 3 }] }),
      nameOf,
    );
    for (const row of rows) expect(VALUE_TYPES).toContain(row.valueType);
  });
});

describe('normalizeElements', () => {
  it('keeps given text, trims names and types scalars', () => {
    expect(
      normalizeElements(objectSpec('user'), [
        { element: '  Member of ', oldValue: 'Tier 1', newValue: 'Tier 2' },
        { element: 'Max chats', oldValue: 3, newValue: 5 },
        { element: 'Enabled', oldValue: true, newValue: false },
        { element: 'Nickname', newValue: 'Jane' },
        { element: 'Email', oldValue: 'a@example.com', newValue: null },
      ]),
    ).toEqual([
      { element: 'Member of', valueType: 'text', oldValue: 'Tier 1', newValue: 'Tier 2', redacted: false },
      { element: 'Max chats', valueType: 'number', oldValue: '3', newValue: '5', redacted: false },
      { element: 'Enabled', valueType: 'boolean', oldValue: 'true', newValue: 'false', redacted: false },
      { element: 'Nickname', valueType: 'text', oldValue: null, newValue: 'Jane', redacted: false },
      { element: 'Email', valueType: 'text', oldValue: 'a@example.com', newValue: null, redacted: false },
    ]);
  });

  it('redacts secrets by name or on request', () => {
    const rows = normalizeElements(objectSpec('user'), [
      { element: 'Password', oldValue: 'old-pass-1', newValue: 'new-pass-2' },
      { element: 'appSecret', newValue: 'shh-123' },
      { element: 'Notes', oldValue: 'private note a', newValue: 'private note b', redacted: true },
      { element: 'PIN', oldValue: '1234', newValue: '5678' },
      { element: 'Pwd', newValue: 'pwd-9' },
    ]);
    expect(rows).toEqual([
      { element: 'Password', valueType: 'text', oldValue: null, newValue: null, redacted: true },
      { element: 'appSecret', valueType: 'text', oldValue: null, newValue: null, redacted: true },
      { element: 'Notes', valueType: 'text', oldValue: null, newValue: null, redacted: true },
      { element: 'PIN', valueType: 'text', oldValue: null, newValue: null, redacted: true },
      { element: 'Pwd', valueType: 'text', oldValue: null, newValue: null, redacted: true },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/old-pass|new-pass|shh-123|private note|1234|5678|pwd-9/);
  });

  it('treats settings as the snapshot path does: "Change password at next login", "Passed survey", "Token expiry minutes" are stored', () => {
    expect(
      normalizeElements(objectSpec('user'), [
        { element: 'Change password at next login', oldValue: false, newValue: true },
        { element: 'Passed survey', oldValue: 'no', newValue: 'yes' },
        { element: 'Token expiry minutes', oldValue: 30, newValue: 45 },
      ]).map((r) => [r.element, r.redacted, r.newValue]),
    ).toEqual([
      ['Change password at next login', false, 'true'],
      ['Passed survey', false, 'yes'],
      ['Token expiry minutes', false, '45'],
    ]);
  });

  it('stores full lists as removed and added items, objects as JSON', () => {
    expect(
      normalizeElements(objectSpec('user'), [
        { element: 'Skills', oldValue: ['Sales', 'Support'], newValue: ['Support', 'Billing'] },
        { element: 'LoBs', newValue: ['Retail'] },
        { element: 'Routing', oldValue: [{ b: 1, a: 2 }], newValue: [] },
        { element: 'Hot key', oldValue: { suffix: '1', prefix: 'g', token: 'tok-9' }, newValue: null },
      ]),
    ).toEqual([
      { element: 'Skills', valueType: 'list', oldValue: '["Sales"]', newValue: '["Billing"]', redacted: false },
      { element: 'LoBs', valueType: 'list', oldValue: '[]', newValue: '["Retail"]', redacted: false },
      { element: 'Routing', valueType: 'list', oldValue: '["{\\"a\\":2,\\"b\\":1}"]', newValue: '[]', redacted: false },
      { element: 'Hot key', valueType: 'json', oldValue: '{"prefix":"g","suffix":"1"}', newValue: null, redacted: false },
    ]);
  });

  it('keeps a row whose values are equal: the client said it changed', () => {
    expect(normalizeElements(objectSpec('user'), [{ element: 'Name', oldValue: 'Same', newValue: 'Same' }])).toEqual([
      { element: 'Name', valueType: 'text', oldValue: 'Same', newValue: 'Same', redacted: false },
    ]);
    expect(normalizeElements(objectSpec('user'), [{ element: 'Skills', oldValue: ['a', 'b'], newValue: ['b', 'a'] }])).toEqual([
      { element: 'Skills', valueType: 'list', oldValue: '[]', newValue: '[]', redacted: false },
    ]);
  });
});
