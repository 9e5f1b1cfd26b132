// Event ids: ULIDs, sortable by the time they were recorded and unique across writers.
import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** An id generator for one write, stamped with the write's time. */
export const newEventIds = (now: number) => () => 'evt_' + nextUlid(now);
