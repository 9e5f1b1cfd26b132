// Changes, newest first: when (admin's time zone), who, what action, then each element old → new.
import { ACTION_LABELS, LIST_LABELS, OBJECT_TYPE_LABELS, REDACTED_LABEL } from '../../shared/vocabulary';
import type { AuditEvent } from '../api/types';
import { groupByChange } from '../format/changes';
import { formatDateTime } from '../format/time';
import { valueView } from '../format/values';
import { SourceBadge } from './source-badge';

function Value({ event }: { event: AuditEvent }) {
  const view = valueView(event);
  if (view.kind === 'redacted') return <span class="value redacted">{REDACTED_LABEL}</span>;
  if (view.kind === 'list')
    return (
      <span class="value">
        {view.added.length > 0 && (
          <span class="added">
            <span class="tag">{LIST_LABELS.added}:</span> {view.added.join(', ')}
          </span>
        )}
        {view.removed.length > 0 && (
          <span class="removed">
            <span class="tag">{LIST_LABELS.removed}:</span> {view.removed.join(', ')}
          </span>
        )}
      </span>
    );
  return (
    <span class="value">
      <span class="old">{view.oldValue ?? <em>empty</em>}</span>
      <span class="arrow" aria-label="changed to">
        {' → '}
      </span>
      <span class="new">{view.newValue ?? <em>empty</em>}</span>
    </span>
  );
}

export function ChangeList(props: { events: readonly AuditEvent[]; timeZone?: string; showObject: boolean }) {
  const groups = groupByChange(props.events);
  return (
    <ol class="changes">
      {groups.map((group) => (
        <li class="change" key={`${group.changeId}:${group.objectType}:${group.objectId}`}>
          <p class="change-head">
            <time dateTime={group.occurredAt}>{formatDateTime(group.occurredAt, props.timeZone)}</time>
            <span class="who">{group.originator.name}</span>
            <span class={`action action-${group.action}`}>{ACTION_LABELS[group.action]}</span>
            <SourceBadge source={group.source} />
          </p>
          {props.showObject && (
            <p class="change-object">
              {OBJECT_TYPE_LABELS[group.objectType]}: {group.objectName}
            </p>
          )}
          <dl class="elements">
            {group.events.map((event) => (
              <div class="element" key={event.id} data-element={event.element}>
                <dt>{event.element}</dt>
                <dd>
                  <Value event={event} />
                </dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ol>
  );
}
