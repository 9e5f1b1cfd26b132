// Where a change came from, when it is not our own API: a small badge ("LivePerson") with a
// title that says what it means. Events recorded through the API carry none (most rows).
import { SOURCE_LABELS, type EventSource } from '../../shared/vocabulary';

const TITLES: Record<EventSource, string> = {
  api: 'Recorded through the Audit Trail API',
  liveperson: 'Imported from LivePerson’s own audit trail by the LivePerson connection',
};

export function SourceBadge({ source }: { source: EventSource }) {
  if (source === 'api') return null;
  return (
    <span class={`source source-${source}`} title={TITLES[source]} data-source={source}>
      {SOURCE_LABELS[source]}
    </span>
  );
}
