// LivePerson's rows in our words: the type and action tables, wall times, grouping and change ids.
import { describe, expect, it } from 'vitest';
import { OBJECT_TYPES } from '../../shared/vocabulary';
import { normalizeElements } from '../../worker/domain/snapshot-diff';
import { objectSpec } from '../../worker/domain/object-catalog';
import {
  DayGroups,
  LIVEPERSON_TYPE_NAMES,
  actionOf,
  mapRow,
  objectTypeOf,
  type LivePersonRow,
} from '../../worker/sources/liveperson/mapping';

const row = (overrides: Partial<LivePersonRow> = {}): LivePersonRow => ({
  objectType: 'Users',
  objectId: '4711',
  objectName: 'Jane Doe',
  actionType: 'Edit',
  element: 'Nickname',
  oldValue: 'Jane',
  newValue: 'JD',
  dateAndTime: '2026-11-26 09:15:00',
  originator: 'dana.levi@example.com',
  originatorEmployeeId: 'E1',
  originatorProfiles: 'Administrator',
  ...overrides,
});
const mapped = (overrides: Partial<LivePersonRow> = {}, zone = 'UTC') => {
  const result = mapRow(row(overrides), zone, 0);
  if (!result.ok) throw new Error(result.reason);
  return result;
};

describe('LivePerson object and action types', () => {
  it('maps display names and the internal names of Search Criteria, whatever the case', () => {
    const table: [string, string][] = [
      ['Users', 'user'],
      ['ACUserObject', 'user'],
      ['Skills', 'skill'],
      ['ACSkillObject', 'skill'],
      ['Agent Groups', 'agentGroup'],
      ['agent groups', 'agentGroup'],
      ['ACAgentGroupObject', 'agentGroup'],
      ['Profiles', 'profile'],
      ['LOBs', 'lob'],
      ['ACLobObject', 'lob'],
      ['Predefined Content', 'predefinedContent'],
      ['Working Hours', 'workingHours'],
      ['Automatic Messages', 'automaticMessage'],
      ['ACAutomaticMessageObject', 'automaticMessage'],
      ['Special Occasions', 'specialOccasion'],
      ['Surveys', 'agentSurvey'],
    ];
    for (const [name, type] of table) expect([name, objectTypeOf(name)]).toEqual([name, type]);
    expect(objectTypeOf('Secure Forms')).toBeUndefined();
    expect(objectTypeOf('constructor')).toBeUndefined();
  });

  it('knows LivePerson names for every object type of ours, each name for one type only', () => {
    for (const type of OBJECT_TYPES) {
      expect(LIVEPERSON_TYPE_NAMES[type].length, type).toBeGreaterThan(0);
      for (const name of LIVEPERSON_TYPE_NAMES[type]) expect(objectTypeOf(name), name).toBe(type);
    }
  });

  it('maps action types to add, edit and delete; anything else is unknown', () => {
    expect(['Add new', 'Edit', 'Delete', 'add NEW'].map(actionOf)).toEqual(['add', 'edit', 'delete', 'add']);
    expect(actionOf('Approve')).toBeUndefined();
  });

  it('counts what it cannot read under a reason, never failing', () => {
    expect(mapRow(row({ objectType: 'Secure Forms' }), 'UTC', 0)).toEqual({ ok: false, reason: 'unknown object type: Secure Forms' });
    expect(mapRow(row({ actionType: 'Approve' }), 'UTC', 0)).toEqual({ ok: false, reason: 'unknown action type: Approve' });
    expect(mapRow(row({ dateAndTime: '26/11/2026 9:15' }), 'UTC', 0)).toEqual({ ok: false, reason: 'unreadable date and time' });
    expect(mapRow(row({ dateAndTime: '2026-02-30 09:15:00' }), 'UTC', 0)).toEqual({ ok: false, reason: 'unreadable date and time' });
    expect(mapRow(row({ objectId: 'a b' }), 'UTC', 0)).toEqual({ ok: false, reason: 'no usable object id' });
    expect(mapRow(row(), 'UTC', Date.parse('2027-01-01T00:00:00Z'))).toEqual({ ok: false, reason: "older than the account's retention" });
  });
});

describe('LivePerson date and time', () => {
  it('is wall time in the zone asked, by its real rules', () => {
    expect(mapped({}, 'UTC').occurredAt).toBe(Date.parse('2026-11-26T09:15:00Z'));
    expect(mapped({}, 'US/Eastern').occurredAt).toBe(Date.parse('2026-11-26T14:15:00Z'));
    expect(mapped({ dateAndTime: '2026-07-01 09:15:00' }, 'US/Eastern').occurredAt).toBe(Date.parse('2026-07-01T13:15:00Z'));
    expect(mapped({ dateAndTime: '2026-07-01T09:15:00.250' }, 'UTC').occurredAt).toBe(Date.parse('2026-07-01T09:15:00.250Z'));
  });
});

describe('grouping a day into changes', () => {
  const day = (rows: LivePersonRow[]) => {
    const groups = new DayGroups();
    for (const r of rows) groups.add(mapped(r));
    return groups.changes('2026-11-26');
  };

  it('makes one change of the rows of one object with the same time, action and originator', () => {
    const changes = day([
      row({ element: 'Nickname' }),
      row({ objectId: '99', element: 'Email' }),
      row({ element: 'Email', oldValue: '', newValue: 'jd@example.com' }),
      row({ element: 'Email', originator: 'other@example.com' }),
      row({ element: 'Email', dateAndTime: '2026-11-26 09:15:01' }),
      row({ element: 'Email', actionType: 'Delete' }),
    ]);
    expect(changes.map((c) => [c.change.objectId, c.change.elements!.length])).toEqual([
      ['4711', 2],
      ['99', 1],
      ['4711', 1],
      ['4711', 1],
      ['4711', 1],
    ]);
    expect(changes[0]!.change).toMatchObject({
      objectType: 'user',
      objectName: 'Jane Doe',
      action: 'edit',
      occurredAt: '2026-11-26T09:15:00.000Z',
      originator: { id: 'dana.levi@example.com', name: 'dana.levi@example.com' },
      elements: [
        { element: 'Nickname', oldValue: 'Jane', newValue: 'JD' },
        { element: 'Email', oldValue: undefined, newValue: 'jd@example.com' },
      ],
    });
  });

  it('gives the same rows the same change ids on every import, and identical rows stay two', () => {
    const rows = [row(), row({ objectId: '99' }), row()];
    const first = day(rows);
    expect(day(rows).map((c) => c.change.changeId)).toEqual(first.map((c) => c.change.changeId));
    expect(first[0]!.change.elements).toHaveLength(2);
    expect(new Set(first.map((c) => c.change.changeId)).size).toBe(first.length);
    expect(first[0]!.change.changeId).toMatch(/^lp-2026-11-26-[0-9a-f]{40}-0$/);
    // Another value is another change.
    expect(day([row({ newValue: 'JDX' })])[0]!.change.changeId).not.toBe(first[0]!.change.changeId);
  });

  it('hands imported values to our secret rules', () => {
    const [change] = day([row({ element: 'Password', oldValue: 'hunter2', newValue: 's3cret' })]);
    const [stored] = normalizeElements(objectSpec('user'), change!.change.elements!);
    expect(stored).toMatchObject({ element: 'Password', redacted: true, oldValue: null, newValue: null });
  });

  it('cuts values to our limits', () => {
    const [change] = day([row({ newValue: 'x'.repeat(70_000), objectName: 'n'.repeat(600) })]);
    expect((change!.change.elements![0]!.newValue as string).length).toBe(65_536);
    expect(change!.change.objectName!.length).toBe(500);
  });
});
