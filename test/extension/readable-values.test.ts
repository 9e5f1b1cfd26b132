// Values people can read: units, enum labels, yes/no, names without their ids, word diffs of
// long texts, a delete as its last state; relative times.
import { describe, expect, it } from 'vitest';
import { fieldDisplay, formatDuration, readableValue, splitReference } from '../../shared/field-display';
import { formatDateTimeWithZone, formatRelative } from '../../extension/format/time';
import { cellValue, lastState, valueText, valueView, wordDiff } from '../../extension/format/values';
import { event } from './support';

describe('durations', () => {
  it('reads seconds as hours, minutes and seconds', () => {
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(1800)).toBe('30 min');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(3725)).toBe('1 h 2 min 5 s');
    expect(formatDuration(90000)).toBe('25 h');
    expect(formatDuration(1.5)).toBe('1.5 s');
    expect(formatDuration(-60)).toBe('−1 min');
  });
});

describe('readable values', () => {
  it('says the unit of a duration field: "SLA default response time 3600 → 1800" reads 1 h → 30 min', () => {
    const sla = event({
      objectType: 'skill',
      element: 'SLA default response time',
      valueType: 'number',
      oldValue: '3600',
      newValue: '1800',
    });
    expect(valueText(valueView(sla))).toBe('1 h → 30 min');
    expect(cellValue(sla, 'old')).toBe('1 h');
    expect(readableValue('skill', 'Agent survey timeout (minutes)', 'number', '90')).toBe('1 h 30 min');
    // Not a number after all: shown as stored, never guessed.
    expect(readableValue('skill', 'Max wait time', 'text', 'soon')).toBe('soon');
  });

  it('maps enum codes to labels, and unknown codes stay as they are', () => {
    const type = event({ element: 'User type', valueType: 'number', oldValue: '1', newValue: '2' });
    expect(valueText(valueView(type))).toBe('Human → Bot');
    expect(readableValue('user', 'User type', 'number', '7')).toBe('7');
    expect(readableValue('profile', 'Role', 'number', '4')).toBe('Admin');
    // Element names compare case-insensitively, as the API's element filter does.
    expect(fieldDisplay('user', 'user TYPE')?.kind).toBe('enum');
  });

  it('shows booleans as yes/no, keeping the stored value in the title', () => {
    const api = event({ element: 'API user', valueType: 'boolean', oldValue: 'false', newValue: 'true' });
    const view = valueView(api);
    expect(valueText(view)).toBe('No → Yes');
    expect(view.kind === 'scalar' && view.newValue).toEqual({ text: 'Yes', raw: 'true' });
  });

  it('names references without their ids, the id kept beside them', () => {
    expect(splitReference('Billing Team (1234567890)')).toEqual({ name: 'Billing Team', id: '1234567890' });
    expect(splitReference('1234567890')).toEqual({ name: null, id: '1234567890' });
    const member = event({ element: 'Member of', oldValue: 'Tier 1 (1000000001)', newValue: 'Tier 2 (1000000002)' });
    const view = valueView(member);
    expect(valueText(view)).toBe('Tier 1 → Tier 2');
    expect(view.kind === 'scalar' && view.newValue).toEqual({ text: 'Tier 2', raw: 'Tier 2 (1000000002)', id: '1000000002' });
    const skills = event({ element: 'Skills', valueType: 'list', oldValue: '["Sales (11)"]', newValue: '["Billing (12)","13"]' });
    expect(valueText(valueView(skills))).toBe('added: Billing, 13; removed: Sales');
    expect(cellValue(skills, 'new')).toBe('added: Billing, 13');
    expect(cellValue(skills, 'new', 'stored')).toBe('added: Billing (12), 13');
    expect(cellValue(member, 'old', 'stored')).toBe('Tier 1 (1000000001)');
    // Outside a reference field a parenthesis is just text.
    expect(cellValue(event({ element: 'Nickname', oldValue: null, newValue: 'Jo (2)' }), 'new')).toBe('Jo (2)');
  });

  it('shows what changed inside a long text as a word diff', () => {
    const description = event({
      element: 'Description',
      oldValue: 'Handles billing questions for private customers in Germany',
      newValue: 'Handles billing and payment questions for private customers in Austria',
    });
    const view = valueView(description);
    expect(view.kind).toBe('words');
    expect(valueText(view)).toBe('Handles billing [+and payment ]questions for private customers in [−Germany][+Austria]');
    expect(wordDiff('a b', 'a c').filter((part) => part.change !== 'same')).toEqual([
      { text: 'b', change: 'removed' },
      { text: 'c', change: 'added' },
    ]);
    // Short texts, and texts set or cleared, read old → new.
    expect(valueView(event({ element: 'Description', oldValue: 'a', newValue: 'b' })).kind).toBe('scalar');
    expect(valueView(event({ element: 'Description', oldValue: null, newValue: 'x'.repeat(80) })).kind).toBe('scalar');
  });

  it("reads a delete's rows as the object's last state", () => {
    const rows = [
      event({ action: 'delete', element: 'Name', oldValue: 'Jane', newValue: null }),
      event({ action: 'delete', element: 'User type', valueType: 'number', oldValue: '1', newValue: null }),
      event({ action: 'delete', element: 'Skills', valueType: 'list', oldValue: '["Sales (11)"]', newValue: '[]' }),
      event({ action: 'delete', element: 'Password', redacted: true, oldValue: null, newValue: null }),
    ];
    expect(lastState(rows)).toEqual([
      { element: 'Name', text: 'Jane' },
      { element: 'User type', text: 'Human' },
      { element: 'Skills', text: 'Sales' },
      { element: 'Password', text: '(changed)' },
    ]);
  });
});

describe('times', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it('says how long ago, in the largest unit that fits', () => {
    expect(formatRelative('2026-11-26T09:00:00Z', now, 'en')).toBe('3 hours ago');
    expect(formatRelative('2026-11-26T11:59:30Z', now, 'en')).toBe('30 seconds ago');
    expect(formatRelative('2026-11-25T12:00:00Z', now, 'en')).toBe('yesterday');
    expect(formatRelative('2026-11-12T12:00:00Z', now, 'en')).toBe('2 weeks ago');
    expect(formatRelative('2025-11-26T12:00:00Z', now, 'en')).toBe('last year');
  });

  it('names the zone on every full date', () => {
    expect(formatDateTimeWithZone('2026-11-26T09:15:00Z', 'UTC', 'en-US')).toBe('Nov 26, 2026, 09:15 AM UTC');
    expect(formatDateTimeWithZone('2026-07-01T09:15:00Z', 'Europe/Berlin', 'en-GB')).toMatch(/1 Jul 2026, 11:15 (CEST|GMT\+2)/);
  });
});
