import { z } from 'zod';
import { ACTIONS, OBJECT_TYPES } from '../../shared/vocabulary';
import { LIMITS } from '../domain/limits';
import { IdLike, Identifier, Timestamp } from './common';

// Re-exported for the write path's routes and domain, which import it from here.
export { LIMITS };

const ElementValue = z
  .union([
    z.string().max(LIMITS.valueChars, `must be at most ${LIMITS.valueChars} characters`),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.unknown()).max(LIMITS.listItems),
    z.record(z.string(), z.unknown()),
  ])
  .meta({ description: 'Display text, a number, a boolean, null, a full list (stored as added/removed) or an object (stored as JSON).' });

export const ElementChange = z
  .strictObject({
    element: z.string().trim().min(1).max(LIMITS.elementNameChars).meta({
      description:
        "The element's display name. A name that is a secret's (password, pwd, token, api key, session id, pin, …, read as words) is recorded redacted, without values.",
    }),
    oldValue: ElementValue.optional(),
    newValue: ElementValue.optional(),
    redacted: z.boolean().optional().meta({ description: 'A secret: recorded as changed, its values are never stored.' }),
  })
  .meta({ id: 'ElementChange' });

const Snapshot = z.record(z.string(), z.unknown()).meta({
  description:
    "A full snapshot of the object as the platform's config API returns it. Fields, nested keys and name/value pairs " +
    '({name|key|id|field: "<name>", value|val: …}) whose names are secrets\' are never stored.',
});

export const Change = z
  .strictObject({
    changeId: Identifier.meta({ description: 'Idempotency key: a replay with the same body returns the stored events.' }),
    objectType: z.enum(OBJECT_TYPES),
    objectId: IdLike,
    objectName: z.string().trim().min(1).max(LIMITS.objectNameChars).optional(),
    action: z.enum(ACTIONS),
    originator: z.strictObject({ id: IdLike, name: z.string().trim().min(1).max(200) }),
    occurredAt: Timestamp.optional().meta({ description: 'Default: when the Worker receives the change.' }),
    elements: z.array(ElementChange).min(1).max(LIMITS.elementsPerChange).optional(),
    before: Snapshot.optional(),
    after: Snapshot.optional(),
  })
  .superRefine((change, ctx) => {
    const snapshots = change.before !== undefined || change.after !== undefined;
    if (change.elements && snapshots) {
      ctx.addIssue({ code: 'custom', path: ['elements'], message: 'give either elements or before/after snapshots, not both' });
    }
    if (!change.elements && !snapshots) {
      ctx.addIssue({ code: 'custom', path: ['elements'], message: 'give elements, or before/after snapshots' });
    }
    if (change.elements) return;
    if (change.action === 'add' && change.before !== undefined)
      ctx.addIssue({ code: 'custom', path: ['before'], message: 'an add has no before snapshot' });
    if (change.action === 'delete' && change.after !== undefined)
      ctx.addIssue({ code: 'custom', path: ['after'], message: 'a delete has no after snapshot' });
    if (change.action !== 'delete' && change.after === undefined && snapshots)
      ctx.addIssue({ code: 'custom', path: ['after'], message: `an ${change.action} needs an after snapshot` });
    if (change.action !== 'add' && change.before === undefined && snapshots)
      ctx.addIssue({
        code: 'custom',
        path: ['before'],
        message: `a${change.action === 'edit' ? 'n' : ''} ${change.action} needs a before snapshot`,
      });
  })
  .meta({ id: 'Change' });
export type ChangeInput = z.output<typeof Change>;

export const ChangeBatch = z
  .strictObject({
    changes: z.array(Change).min(1).max(LIMITS.batchChanges, `at most ${LIMITS.batchChanges} changes a batch`),
  })
  .meta({ id: 'ChangeBatch' });
