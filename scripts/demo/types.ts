// A change as the batch API takes it, inferred from the Worker's own schema (type-only
// imports: nothing of the Worker is bundled into the scripts).
import type { z } from 'zod';
import type { Change, ElementChange } from '../../worker/schemas/changes';

/** The demo always names its ids as text and says when each change happened. */
export type DemoChange = Omit<z.input<typeof Change>, 'objectId' | 'occurredAt' | 'originator'> & {
  objectId: string;
  occurredAt: string;
  originator: Originator;
};
export type DemoElement = z.input<typeof ElementChange>;
export type DemoObjectType = DemoChange['objectType'];
export type Originator = { id: string; name: string };
export type Snapshot = Record<string, unknown>;
