// The shape of a change as the batch API takes it (POST /v1/accounts/{a}/changes/batch).
// Kept here rather than imported from worker/ so the Node scripts stay independent of the
// Worker's build; test/node/demo-seed.test.ts checks it against the Worker's schema.

import { OBJECT_TYPES } from '../../shared/vocabulary';

/** The closed list of object types. */
export const DEMO_OBJECT_TYPES = OBJECT_TYPES;
export type DemoObjectType = (typeof DEMO_OBJECT_TYPES)[number];

export type Snapshot = Record<string, unknown>;

export interface Originator {
  id: string;
  name: string;
}

export interface DemoElement {
  element: string;
  oldValue?: unknown;
  newValue?: unknown;
  redacted?: boolean;
}

export interface DemoChange {
  changeId: string;
  objectType: DemoObjectType;
  objectId: string;
  objectName?: string;
  action: 'add' | 'edit' | 'delete';
  originator: Originator;
  occurredAt: string;
  elements?: DemoElement[];
  before?: Snapshot;
  after?: Snapshot;
}
