// Changes per day of the filtered set, as inline SVG bars; each bar is a button that filters
// to its day. Every bar says its day and count to a screen reader (and on hover).
export interface DayChartProps {
  days: readonly { day: string; count: number }[];
  /** The zone the days are in (the page's), named in the caption. */
  zone: string;
  /** The day filtered to, if from = to: its bar is marked. */
  selected?: string;
  onPick: (day: string) => void;
}

const HEIGHT = 64;

const label = (day: string, count: number) => `${day}: ${count.toLocaleString('en-US')} ${count === 1 ? 'change' : 'changes'}`;

export function DayChart(props: DayChartProps) {
  const days = [...props.days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const highest = Math.max(1, ...days.map((day) => day.count));
  const first = days[0]?.day;
  const last = days[days.length - 1]?.day;
  return (
    <figure class="day-chart" aria-labelledby="day-chart-caption">
      <figcaption id="day-chart-caption">
        Changes per day ({props.zone}){first && last && first !== last ? `, ${first} to ${last}` : ''}. Choose a day to see only its
        changes.
      </figcaption>
      <div class="bars" role="group" aria-label="Changes per day">
        {days.map(({ day, count }) => {
          const height = Math.max(2, Math.round((count / highest) * HEIGHT));
          return (
            <button
              type="button"
              class="bar"
              key={day}
              data-day={day}
              aria-label={label(day, count)}
              aria-pressed={props.selected === day}
              title={label(day, count)}
              onClick={() => props.onPick(day)}
            >
              <svg
                width="100%"
                height={HEIGHT}
                viewBox={`0 0 10 ${HEIGHT}`}
                preserveAspectRatio="none"
                aria-hidden="true"
                focusable="false"
              >
                <rect x="1" y={HEIGHT - height} width="8" height={height} />
              </svg>
            </button>
          );
        })}
      </div>
    </figure>
  );
}
