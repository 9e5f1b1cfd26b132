// Writes: valid changes are stored once (replays answer the same, conflicts are 409), and
// near-valid ones (one field mutated) are refused whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChangeBody, type Mutation, brief, mutation, serialize, validChange } from './arbitraries';
import { A, Req, changesPath, checkAnswer, countVerdict, fcOptions, runPrefix, send, useHostileRun } from './hostile-harness';
import {
  acceptedBodies,
  expectD1HoldsTheModel,
  expectRows,
  expectVerdictErrors,
  expectedRows,
  expectedStatus,
  model,
  observeWrite,
} from './hostile-model';

useHostileRun('writes');

describe('hostile input: writes', () => {
  it('writes: valid changes are stored once, near-valid ones (one field mutated) are refused whole', async () => {
    /** Writes the contract refuses whatever the schema says (too deep: 400; unstorable text: 422), by status. */
    const refused = new Map<number, number>();
    type Item = { change: ChangeBody; mutation?: Mutation };
    const item: fc.Arbitrary<Item> = fc.oneof(
      { arbitrary: validChange(runPrefix).map((change) => ({ change })), weight: 3 },
      { arbitrary: fc.tuple(validChange(runPrefix), mutation).map(([change, m]) => ({ change: m.apply(change), mutation: m })), weight: 2 },
      // A change sent before, exactly (a replay) or with another body under its changeId (a conflict).
      {
        arbitrary: fc.tuple(fc.nat(), fc.boolean(), validChange(runPrefix)).map(([i, same, other]): Item => {
          const previous = acceptedBodies.length ? acceptedBodies[i % acceptedBodies.length]! : other;
          return { change: same ? previous : { ...other, changeId: previous.changeId } };
        }),
        weight: 1,
      },
    );
    const arb = fc.oneof(
      item.map((it) => ({ batch: false as const, items: [it] })),
      fc.array(item, { minLength: 1, maxLength: 8 }).map((items) => ({ batch: true as const, items })),
      // The same change twice in one batch (a replay inside the batch), or one changeId with two bodies.
      fc.tuple(validChange(runPrefix), validChange(runPrefix), fc.boolean()).map(([a, b, same]) => ({
        batch: true as const,
        items: [{ change: a }, { change: same ? a : { ...b, changeId: a.changeId } }] as Item[],
      })),
    );
    const labelled = arb.map(({ batch, items }) => {
      const body = batch ? serialize({ changes: items.map((i) => i.change) }) : serialize(items[0]!.change);
      const req = new Req('writes', 'POST', changesPath(A.id, batch), 'writer', body, 'application/json');
      return {
        batch,
        items,
        req,
        [fc.toStringMethod]: () => `${req[fc.toStringMethod]()} mutations=${brief(items.map((i) => i.mutation?.what ?? 'none'))}`,
      };
    });

    await fc.assert(
      fc.asyncProperty(labelled, async ({ batch, items, req }) => {
        const stored = model.get(A.id)!;
        const expected = expectedStatus(batch, items, req.body as string, stored);
        const res = (await send(req))!;
        checkAnswer(req, res);
        const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 500)}`;
        expect(expected.statuses, `expected ${expected.statuses.join('/')} (${expected.why}): ${where}`).toContain(res.status);
        expectVerdictErrors({ status: res.status, errors: expected.errors }, res, where);
        if (expected.errors) refused.set(expected.statuses[0]!, (refused.get(expected.statuses[0]!) ?? 0) + 1);
        countVerdict('writes', expected.kind);
        observeWrite(req, res);
        if (res.status === 201 || res.status === 200) {
          for (const { change, mutation } of items) {
            if (mutation) continue;
            if (!acceptedBodies.some((b) => b.changeId === change.changeId)) acceptedBodies.push(change);
            if (res.status === 201) {
              const outcome = batch ? res.json.changes.find((o: any) => o.changeId === change.changeId) : res.json;
              if (outcome && !outcome.replayed && !expectedRows.has(change.changeId)) expectRows(A.id, change);
            }
          }
        }
      }),
      fcOptions(1500),
    );
    // The model's refusals were exercised, not just possible.
    expect(refused.get(400) ?? 0, 'writes refused as nested too deep').toBeGreaterThan(10);
    expect(refused.get(422) ?? 0, 'writes refused for unstorable text').toBeGreaterThan(50);
  }, 180_000);

  it('afterwards, D1 holds exactly what the accepted requests wrote, the chain verifies, every status is declared, nothing is polluted', async () => {
    await expectD1HoldsTheModel({ accepted: 200, comparedChanges: 20 });
  }, 120_000);
});
