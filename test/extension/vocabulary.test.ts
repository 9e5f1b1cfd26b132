// The extension's copies of shared lists stay equal to their sources.
import { describe, expect, it } from 'vitest';
import { ACTIONS as SCHEMA_ACTIONS, OBJECT_TYPES as SCHEMA_TYPES, SCOPES as SCHEMA_SCOPES } from '../../drizzle/schema';
import { HOST_MATCHES } from '../../extension/host/agent-workspace';
import { ACTIONS, OBJECT_TYPES, SCOPES } from '../../extension/lib/vocabulary';
import { cellValue, groupByChange, valueText, valueView } from '../../extension/lib/format';
import { normalizeApiUrl, originPattern } from '../../extension/lib/api';
import { HOSTS } from '../../wxt.config';
import { event } from './support';

describe('shared vocabularies', () => {
  it('match drizzle/schema.ts and the manifest', () => {
    expect(OBJECT_TYPES).toEqual(SCHEMA_TYPES);
    expect(ACTIONS).toEqual(SCHEMA_ACTIONS);
    expect(SCOPES).toEqual(SCHEMA_SCOPES);
    expect(HOST_MATCHES).toEqual(HOSTS);
  });
});

describe('formatting', () => {
  it('reads list values as added/removed and secrets as changed', () => {
    const list = event({ valueType: 'list', oldValue: '["a"]', newValue: '["b","c"]' });
    expect(valueText(valueView(list))).toBe('added b, c; removed a');
    expect(cellValue(list, 'old')).toBe('removed: a');
    expect(cellValue(list, 'new')).toBe('added: b, c');
    expect(valueText(valueView(event({ redacted: true, oldValue: null, newValue: null })))).toBe('changed');
    expect(valueText(valueView(event({ oldValue: null, newValue: 'x' })))).toBe('(empty) → x');
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
