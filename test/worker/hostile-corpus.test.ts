// A corpus of edge cases, each with its exact answer: limits exactly and one over, deep nesting
// in every place, unstorable text, byte-level oddities; input-edge-cases.test.ts pins the same
// answers with plain examples.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FieldError,
  MAX_JSON_DEPTH,
  TOO_DEEP_ERRORS,
  brief,
  deepJsonText,
  deepMarker,
  jsonDepth,
  serialize,
  unstorableText,
} from './arbitraries';
import { A, LIMITS, Req, changesPath, checkAnswer, runPrefix, send, useHostileRun } from './hostile-harness';
import { expectD1HoldsTheModel, expectVerdictErrors, observeWrite } from './hostile-model';

useHostileRun('corpus');

describe('hostile input: corpus', () => {
  it('a corpus of edge cases: limits exactly, deep nesting, unstorable text, byte-level oddities', async () => {
    type Expectation = { status: number[]; errors?: FieldError[] };
    const corpus: { req: Req; expect: Expectation }[] = [];
    const w = (body: string | Uint8Array, options: { batch?: boolean; status: number[]; errors?: FieldError[]; ct?: string }) =>
      corpus.push({
        req: new Req('corpus', 'POST', changesPath(A.id, options.batch), 'writer', body, options.ct ?? 'application/json'),
        expect: options,
      });
    const base = (id: string) => ({
      changeId: `${runPrefix}corpus-${id}`,
      objectType: 'user',
      objectId: '1',
      action: 'edit',
      originator: { id: '1', name: 'A' },
    });
    const notAllowed = (path: string): FieldError => ({ path, message: 'is not an allowed field name' });
    const lone = (path: string): FieldError => ({ path, message: 'contains a lone UTF-16 surrogate (not valid Unicode text)' });
    const loneKey = (path: string): FieldError => ({ path, message: 'has a key with a lone UTF-16 surrogate (not valid Unicode text)' });

    // Size limits, exactly at and one byte over.
    // JSON allows whitespace after the value: pad a small change to exactly `bytes`.
    const pad = (id: string, bytes: number) => {
      const start = serialize({ ...base(id), elements: [{ element: 'e', newValue: 'v' }] });
      return start + ' '.repeat(bytes - new TextEncoder().encode(start).length);
    };
    w(pad('exact-1mb', LIMITS.change), { status: [201] });
    w(pad('over-1mb', LIMITS.change + 1), { status: [413] });
    w(
      serialize({
        changes: Array.from({ length: 1000 }, (_, i) => ({ ...base(`k${i}`), elements: [{ element: 'e', newValue: String(i) }] })),
      }),
      { batch: true, status: [201] },
    );
    w(
      serialize({
        changes: Array.from({ length: 1001 }, (_, i) => ({ ...base(`l${i}`), elements: [{ element: 'e', newValue: String(i) }] })),
      }),
      { batch: true, status: [422] },
    );
    w('{"changes":[' + ' '.repeat(LIMITS.batch) + ']}', { batch: true, status: [413] });
    w(serialize({ ...base('v65536'), elements: [{ element: 'e', newValue: 'v'.repeat(65_536) }] }), { status: [201] });
    w(serialize({ ...base('v65537'), elements: [{ element: 'e', newValue: 'v'.repeat(65_537) }] }), { status: [422] });
    w(serialize({ ...base('e500'), elements: Array.from({ length: 500 }, (_, i) => ({ element: `e${i}`, newValue: '=1+1' })) }), {
      status: [201],
    });
    w(serialize({ ...base('e501'), elements: Array.from({ length: 501 }, (_, i) => ({ element: `e${i}` })) }), { status: [422] });
    w(serialize({ ...base('list10000'), elements: [{ element: 'e', newValue: Array.from({ length: 10_000 }, (_, i) => i) }] }), {
      status: [201],
    });

    // Deep nesting, counted over the whole body: exactly 64 levels are accepted and 65 refused
    // before parsing (400), in every place a value may be, alone and in a batch; and far deeper.
    // 'mixed' nests through "__proto__" keys: refused as unstorable (422) while within the
    // limit, as too deep (400) beyond it.
    const withValue = (id: string, place: 'element' | 'snapshot', value: string) =>
      place === 'element'
        ? { ...base(id), elements: [{ element: 'e', newValue: value }] }
        : { ...base(id), before: { a: 1 }, after: { a: value } };
    for (const place of ['element', 'snapshot'] as const) {
      for (const batch of [false, true]) {
        for (const kind of ['array', 'object', 'mixed'] as const) {
          const body = (depth: number) => {
            const change = withValue(`deep-${place}-${batch ? 'batch' : 'single'}-${kind}-${depth}`, place, deepMarker(depth, kind));
            return serialize(batch ? { changes: [change] } : change);
          };
          const room = MAX_JSON_DEPTH - jsonDepth(body(0)); // what the value may use here
          expect(jsonDepth(body(room))).toBe(MAX_JSON_DEPTH);
          w(body(room), {
            batch,
            ...(kind === 'mixed' ? { status: [422], errors: unstorableText(JSON.parse(body(room))) } : { status: [201] }),
          });
          for (const depth of [room + 1, room + 2, 10_000, 100_000]) w(body(depth), { batch, status: [400], errors: TOO_DEEP_ERRORS });
        }
      }
    }
    for (const kind of ['array', 'object', 'mixed'] as const) {
      // Within the limit: not a change (422), or "__proto__" keys (422, named).
      w(deepJsonText(MAX_JSON_DEPTH, kind), {
        status: [422],
        ...(kind === 'mixed' ? { errors: unstorableText(JSON.parse(deepJsonText(MAX_JSON_DEPTH, kind))) } : {}),
      });
      w(deepJsonText(MAX_JSON_DEPTH + 1, kind), { status: [400], errors: TOO_DEEP_ERRORS });
    }
    // Brackets inside strings (and keys, and after escaped quotes) are text, not nesting.
    w(
      serialize({
        ...base('brackets-in-strings'),
        elements: [{ element: '[[[{{{', newValue: '\\"' + '['.repeat(1_000) + '{'.repeat(1_000) }],
      }),
      { status: [201] },
    );
    w(serialize({ ...base('brackets-in-keys'), before: { a: 1 }, after: { ['['.repeat(100)]: '}'.repeat(100), '\\"{{': '\\' } }), {
      status: [201],
    });

    // Text that cannot be stored as sent: lone surrogates in strings and keys, "__proto__" keys.
    w(serialize({ ...base('lone-strings'), objectName: 'a\ud800b', elements: [{ element: 'e\udc00', newValue: ['x', '\udfff'] }] }), {
      status: [422],
      errors: [lone('/objectName'), lone('/elements/0/element'), lone('/elements/0/newValue/1')],
    });
    w(serialize({ ...base('lone-key'), before: { a: 1 }, after: { ['k\ud800']: 1, b: { ['\udc00']: 2 } } }), {
      status: [422],
      errors: [loneKey('/after'), loneKey('/after/b')],
    });
    w(
      serialize({
        changes: [
          { ...base('lone-batch-ok'), elements: [{ element: 'e' }] },
          { ...base('lone-batch\ud800'), elements: [{ element: 'e' }] },
        ],
      }),
      {
        batch: true,
        status: [422],
        errors: [lone('/changes/1/changeId')],
      },
    );
    w(serialize({ ...base('pair-escaped'), elements: [{ element: 'e', newValue: 'PAIR' }] }).replace('PAIR', '\\ud83d\\ude00'), {
      status: [201],
    });
    w(
      new Uint8Array([
        ...new TextEncoder().encode(serialize({ ...base('cesu'), objectName: 'Nx' }).replace('Nx', '')).slice(0, -2),
        0xed,
        0xa0,
        0x80,
        0x22,
        0x7d,
      ]),
      { status: [400] },
    );
    w(
      serialize({
        ...base('proto'),
        before: JSON.parse('{"__proto__":{"polluted":"yes"},"a":1}'),
        after: JSON.parse('{"a":2,"__proto__":{"polluted":"no"}}'),
      }),
      {
        status: [422],
        errors: [notAllowed('/before/__proto__'), notAllowed('/after/__proto__')],
      },
    );
    w(
      serialize({
        ...base('proto-like'),
        before: JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}},"toString":1,"a":1}'),
        after: JSON.parse('{"prototype":{"polluted":"yes"},"valueOf":[],"a":2}'),
      }),
      { status: [201] },
    );
    w(`{"__proto__":{"polluted":"yes"},${serialize({ ...base('proto-top'), elements: [{ element: 'e' }] }).slice(1)}`, {
      status: [422],
      errors: [notAllowed('/__proto__')],
    });
    w(
      `{"changes":[${serialize({ ...base('proto-el'), elements: [JSON.parse('{"element":"e","newValue":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}')] })}]}`,
      {
        batch: true,
        status: [422],
        errors: [notAllowed('/changes/0/elements/0/newValue/__proto__')],
      },
    );
    w(serialize({ ...base('proto-escaped'), before: { a: 1 }, after: { a: 2 } }).replace('"after":{', '"after":{"\\u005f_proto__":1,'), {
      status: [422],
      errors: [notAllowed('/after/__proto__')],
    });
    // Numbers beyond double range (JSON.parse makes them ±Infinity): 422 naming each, anywhere.
    const huge = (path: string): FieldError => ({
      path,
      message: 'is a number beyond what can be stored (an IEEE 754 double, at most about ±1.8e308); send it as a string',
    });
    w(
      serialize({ ...base('huge-snapshot'), before: { n: 'HUGE' }, after: { n: [1, 'NEG'] } })
        .replace('"HUGE"', '1e400')
        .replace('"NEG"', '-1E999'),
      { status: [422], errors: [huge('/before/n'), huge('/after/n/1')] },
    );
    w(
      serialize({
        changes: [
          { ...base('huge-ok'), elements: [{ element: 'e' }] },
          { ...base('huge-el'), elements: [{ element: 'e', newValue: 'HUGE' }] },
        ],
      }).replace('"HUGE"', '1e309'),
      {
        batch: true,
        status: [422],
        errors: [huge('/changes/1/elements/0/newValue')],
      },
    );
    w(serialize({ ...base('max-double'), elements: [{ element: 'e', newValue: 'MAX' }] }).replace('"MAX"', '1.7976931348623157e308'), {
      status: [201],
    });

    // Bytes and other text.
    w(
      new Uint8Array([
        0xef,
        0xbb,
        0xbf,
        ...new TextEncoder().encode(serialize({ ...base('bom'), elements: [{ element: 'e', newValue: 'v' }] })),
      ]),
      { status: [201] },
    );
    w(
      new Uint8Array([...new TextEncoder().encode(serialize({ ...base('nul-byte'), elements: [{ element: 'e', newValue: 'v' }] })), 0x00]),
      { status: [400] },
    );
    w(
      serialize({
        ...base('nul-escapes'),
        objectName: 'a\u0000b',
        elements: [{ element: 'x\u0000y', oldValue: '\u0000', newValue: 'a\u0000b' }],
      }),
      { status: [201] },
    );
    w(
      serialize({
        ...base('formulas'),
        objectName: "=cmd|' /C calc'!A0",
        originator: { id: '=1', name: '@SUM(1)' },
        elements: [{ element: '=x', oldValue: '+1', newValue: "=cmd|' /C calc'!A0" }],
      }),
      { status: [201] },
    );
    w(serialize({ ...base('emoji'), objectName: '👩‍👩‍👧‍👦', elements: [{ element: '🏳️‍🌈', oldValue: '\ud83d\ude00', newValue: '𝕏' }] }), {
      status: [201],
    });
    // 2 ** 53: the first integer past Number.MAX_SAFE_INTEGER (a literal 2 ** 53 + 1 would round to it).
    w(serialize({ ...base('huge-numbers'), objectId: 2 ** 53, elements: [{ element: 'e', oldValue: 1e308, newValue: -1e-308 }] }), {
      status: [201, 422],
    });
    w(serialize({ ...base('num'), elements: [{ element: 'e', newValue: 1 }] }).replace('"newValue":1', '"newValue":1e400'), {
      status: [422],
    });
    w(serialize({ ...base('ct-nojson'), elements: [{ element: 'e' }] }), { status: [415], ct: 'text/plain' });
    for (const c of corpus) {
      const res = (await send(c.req, 'loopback'))!;
      checkAnswer(c.req, res);
      const where = `${c.req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 300)}`;
      expect(c.expect.status, where).toContain(res.status);
      if (c.expect.errors) expectVerdictErrors({ status: res.status, errors: c.expect.errors }, res, where);
      observeWrite(c.req, res);
    }
  }, 180_000);

  it('afterwards, D1 holds exactly what the accepted requests wrote, the chain verifies, every status is declared, nothing is polluted', async () => {
    await expectD1HoldsTheModel({ accepted: 1000, formulaText: true });
  }, 120_000);
});
