// Values read as people expect, in the words the exported files use.
import { describe, expect, it } from 'vitest';
import * as SHARED from '../../shared/vocabulary';
import { normalizeApiUrl, originPattern } from '../../extension/api/client';
import { groupByChange } from '../../extension/format/changes';
import { cellValue, valueText, valueView } from '../../extension/format/values';
import { event } from './support';

describe('formatting', () => {
  it('reads list values as added/removed and secrets as changed', () => {
    const list = event({ valueType: 'list', oldValue: '["a"]', newValue: '["b","c"]' });
    expect(valueText(valueView(list))).toBe('added: b, c; removed: a');
    expect(cellValue(list, 'old')).toBe('removed: a');
    expect(cellValue(list, 'new')).toBe('added: b, c');
    expect(valueText(valueView(event({ redacted: true, oldValue: null, newValue: null })))).toBe('(changed)');
    expect(valueText(valueView(event({ oldValue: null, newValue: 'x' })))).toBe('(empty) → x');
  });

  it('words the table as the exported files word them: labels come from the vocabulary the Worker exports with', () => {
    expect(SHARED.ACTION_LABELS.add).toBe('Add new');
    expect(cellValue(event({ redacted: true, oldValue: null, newValue: null }), 'new')).toBe(SHARED.REDACTED_LABEL);
    const list = event({ valueType: 'list', oldValue: '["a"]', newValue: '["b"]' });
    expect([cellValue(list, 'old'), cellValue(list, 'new')]).toEqual([
      `${SHARED.LIST_LABELS.removed}: a`,
      `${SHARED.LIST_LABELS.added}: b`,
    ]);
  });

  it('groups consecutive rows of one change', () => {
    const groups = groupByChange([event({ changeId: 'a' }), event({ changeId: 'a' }), event({ changeId: 'b' }), event({ changeId: 'a' })]);
    expect(groups.map((g) => [g.changeId, g.events.length])).toEqual([
      ['a', 2],
      ['b', 1],
      ['a', 1],
    ]);
  });

  it('accepts only plain http(s) API URLs; the permission pattern has no port', () => {
    expect(normalizeApiUrl('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(normalizeApiUrl('https://x.example/api/')).toBe('https://x.example/api');
    expect(normalizeApiUrl('ftp://x')).toBeNull();
    expect(normalizeApiUrl('https://u:p@x.example')).toBeNull();
    expect(normalizeApiUrl('not a url')).toBeNull();
    expect(originPattern('http://127.0.0.1:8787')).toBe('http://127.0.0.1/*');
  });
});
