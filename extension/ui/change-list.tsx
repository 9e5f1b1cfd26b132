// Changes, newest first: when (relative, the exact time in the admin's zone on hover), who,
// what action, then each element old → new, readable (units, labels, names; ids one click
// away). A delete is one "Deleted" entry that opens on the object's last state.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ACTION_LABELS, LIST_LABELS, OBJECT_TYPE_LABELS, REDACTED_LABEL } from '../../shared/vocabulary';
import type { AuditEvent } from '../api/types';
import { groupByChange, type ChangeGroup } from '../format/changes';
import { formatDateTime, formatRelative } from '../format/time';
import { lastState, valueView, type ShownValue } from '../format/values';
import { SourceBadge } from './source-badge';

/** A value by its readable text; a reference's id is shown on a click (and always in the title). */
function Shown({ value }: { value: ShownValue }) {
  const [open, setOpen] = useState(false);
  const title = value.raw !== value.text ? value.raw : undefined;
  if (!value.id)
    return (
      <span class="shown" title={title}>
        {value.text}
      </span>
    );
  return (
    <span class="shown ref">
      <button type="button" class="ref-name" title={`ID ${value.id}`} aria-expanded={open} onClick={() => setOpen(!open)}>
        {value.text}
      </button>
      {open && <span class="ref-id"> (ID {value.id})</span>}
    </span>
  );
}

const joined = (values: readonly ShownValue[]) =>
  values.map((value, index) => (
    <Fragment key={index}>
      {index > 0 && ', '}
      <Shown value={value} />
    </Fragment>
  ));

function Value({ event }: { event: AuditEvent }) {
  const view = valueView(event);
  if (view.kind === 'redacted') return <span class="value redacted">{REDACTED_LABEL}</span>;
  if (view.kind === 'list')
    return (
      <span class="value">
        {view.added.length > 0 && (
          <span class="added">
            <span class="tag">{LIST_LABELS.added}:</span> {joined(view.added)}
          </span>
        )}
        {view.removed.length > 0 && (
          <span class="removed">
            <span class="tag">{LIST_LABELS.removed}:</span> {joined(view.removed)}
          </span>
        )}
      </span>
    );
  if (view.kind === 'words')
    return (
      <span class="value words">
        {view.parts.map((part, index) =>
          part.change === 'same' ? (
            <span key={index}>{part.text}</span>
          ) : part.change === 'added' ? (
            <ins key={index}>{part.text}</ins>
          ) : (
            <del key={index}>{part.text}</del>
          ),
        )}
      </span>
    );
  return (
    <span class="value">
      <span class="old">{view.oldValue ? <Shown value={view.oldValue} /> : <em>empty</em>}</span>
      <span class="arrow" aria-label="changed to">
        {' → '}
      </span>
      <span class="new">{view.newValue ? <Shown value={view.newValue} /> : <em>empty</em>}</span>
    </span>
  );
}

function Deleted({ group }: { group: ChangeGroup }) {
  const state = lastState(group.events).filter((entry) => entry.text !== '');
  return (
    <details class="deleted" data-element-count={group.events.length}>
      <summary>Deleted — show its last state ({state.length} elements)</summary>
      <dl class="elements">
        {state.map((entry) => (
          <div class="element" key={entry.element} data-element={entry.element}>
            <dt>{entry.element}</dt>
            <dd>{entry.text}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export function ChangeList(props: { events: readonly AuditEvent[]; timeZone?: string; showObject: boolean; now?: number }) {
  const groups = groupByChange(props.events);
  const now = props.now ?? Date.now();
  return (
    <ol class="changes">
      {groups.map((group) => (
        <li class="change" key={`${group.changeId}:${group.objectType}:${group.objectId}`} data-change-id={group.changeId}>
          <p class="change-head">
            <time dateTime={group.occurredAt} title={`${formatDateTime(group.occurredAt, props.timeZone)} (${props.timeZone ?? 'local'})`}>
              {formatRelative(group.occurredAt, now)}
            </time>
            <span class="who">{group.originator.name}</span>
            <span class={`action action-${group.action}`}>{ACTION_LABELS[group.action]}</span>
            <SourceBadge source={group.source} />
          </p>
          {props.showObject && (
            <p class="change-object">
              {OBJECT_TYPE_LABELS[group.objectType]}: {group.objectName}
            </p>
          )}
          {group.action === 'delete' ? (
            <Deleted group={group} />
          ) : (
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
          )}
        </li>
      ))}
    </ol>
  );
}
