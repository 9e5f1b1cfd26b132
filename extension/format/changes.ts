// Events grouped into the changes they came from, and pages of them put together.
import type { AuditEvent } from '../api/types';

/** One change as the panel shows it: who, when, what, and each element's old → new. */
export interface ChangeGroup {
  changeId: string;
  occurredAt: string;
  action: AuditEvent['action'];
  originator: AuditEvent['originator'];
  objectType: AuditEvent['objectType'];
  objectId: string;
  objectName: string;
  /** Where the change came from: our API, or LivePerson's audit trail (imported). */
  source: AuditEvent['source'];
  events: AuditEvent[];
}

/** Consecutive events of the same change (the API returns them newest first, a change's rows together). */
export function groupByChange(events: readonly AuditEvent[]): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  for (const event of events) {
    const last = groups[groups.length - 1];
    if (last && last.changeId === event.changeId && last.objectId === event.objectId && last.objectType === event.objectType) {
      last.events.push(event);
      continue;
    }
    groups.push({
      changeId: event.changeId,
      occurredAt: event.occurredAt,
      action: event.action,
      originator: event.originator,
      objectType: event.objectType,
      objectId: event.objectId,
      objectName: event.objectName,
      source: event.source,
      events: [event],
    });
  }
  return groups;
}

/** Adds a page to what is shown, dropping events already there (a page boundary may repeat none, but be safe). */
export function appendPage(shown: readonly AuditEvent[], page: readonly AuditEvent[]): AuditEvent[] {
  const seen = new Set(shown.map((event) => event.id));
  return [...shown, ...page.filter((event) => !seen.has(event.id))];
}

const sameChange = (a: AuditEvent, b: AuditEvent) =>
  a.changeId === b.changeId && a.objectId === b.objectId && a.objectType === b.objectType;

/**
 * A page split before its last change, which may go on in the next page: `complete` ends
 * with a whole change, `partial` is the last change's rows (held back until the next page,
 * so a change is never shown half). All of it is `partial` when the page is one change.
 */
export function splitTrailingChange(events: readonly AuditEvent[]): { complete: AuditEvent[]; partial: AuditEvent[] } {
  const last = events[events.length - 1];
  if (!last) return { complete: [], partial: [] };
  let start = events.length - 1;
  while (start > 0 && sameChange(events[start - 1]!, last)) start--;
  return { complete: events.slice(0, start), partial: events.slice(start) };
}
