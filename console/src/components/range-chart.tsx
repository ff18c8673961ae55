/**
 * The request's value against the agent's usual range for this tool and operation, on a logarithmic axis
 * (amounts and volumes span orders of magnitude): the usual band, its typical value, the agent's recent
 * values, and this request. The same facts are written out below the chart.
 */
import { formatApprox, formatNumber } from '../format';
import type { UsualRange } from '../queries';

const W = 560;
const H = 120;
const PAD = 24;
const AXIS_Y = 80;

export function RangeChart({
  range,
  value,
  metric,
  recent,
  opKey,
}: {
  range: UsualRange | null;
  value: number;
  metric: 'AMOUNT' | 'VOLUME';
  recent: number[];
  opKey: string;
}) {
  const what = metric === 'AMOUNT' ? `an amount of ${formatNumber(value)}` : `${formatNumber(value)} records`;
  const top = Math.max(value, range?.high ?? 0, ...recent, 10) * 1.5;
  const scale = (v: number) => PAD + (Math.log10(1 + Math.max(0, v)) / Math.log10(1 + top)) * (W - 2 * PAD);
  const ticks = [0, ...[1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9].filter((t) => t <= top)];
  const above = range ? value > range.high : false;
  const summary = range
    ? `This request: ${what}. Usually ${formatApprox(range.low)} to ${formatApprox(range.high)} for ${opKey} (typically ${formatApprox(range.typical)}, from ${range.samples} earlier requests)${above ? `: ${formatApprox(value / Math.max(range.high, 1))}× the top of the usual range` : ''}.`
    : `This request: ${what}. The agent has no usual range for ${opKey} yet: it has not done this before.`;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="range-title range-desc"
        class={above ? 'above' : undefined}
        data-testid="range-chart"
      >
        <title id="range-title">
          {metric === 'AMOUNT' ? 'Amount' : 'Volume'} of this request against the agent's usual range
        </title>
        <desc id="range-desc">{summary}</desc>
        <line class="axis" x1={PAD} x2={W - PAD} y1={AXIS_Y} y2={AXIS_Y} />
        {ticks.map((t) => (
          <g key={t}>
            <line class="tick" x1={scale(t)} x2={scale(t)} y1={AXIS_Y} y2={AXIS_Y + 5} />
            <text class="tick-label" x={scale(t)} y={AXIS_Y + 18} text-anchor="middle">
              {t >= 1e6 ? `${t / 1e6}M` : t >= 1e3 ? `${t / 1e3}k` : t}
            </text>
          </g>
        ))}
        {range && (
          <>
            <rect
              class="usual"
              x={scale(range.low)}
              y={AXIS_Y - 34}
              width={Math.max(2, scale(range.high) - scale(range.low))}
              height={28}
            />
            <line
              class="typical"
              x1={scale(range.typical)}
              x2={scale(range.typical)}
              y1={AXIS_Y - 38}
              y2={AXIS_Y - 2}
            />
            <text class="band-label" x={scale(range.low)} y={AXIS_Y - 40}>
              usual
            </text>
          </>
        )}
        {recent.map((v, i) => (
          <circle key={i} class="recent" cx={scale(v)} cy={AXIS_Y - 20} r={4} />
        ))}
        <line class="value" x1={scale(value)} x2={scale(value)} y1={AXIS_Y - 60} y2={AXIS_Y} />
        <circle class="value" cx={scale(value)} cy={AXIS_Y - 20} r={7} />
        <text
          class="value-label"
          x={Math.min(scale(value), W - PAD)}
          y={AXIS_Y - 64}
          text-anchor={scale(value) > W - 120 ? 'end' : 'middle'}
        >
          this request: {formatNumber(value)}
        </text>
      </svg>
      <figcaption>
        {summary}
        <span class="legend">
          <span class="key usual-key" /> usual range <span class="key typical-key" /> typical
          <span class="key recent-key" /> recent requests <span class="key value-key" /> this request
        </span>
      </figcaption>
    </figure>
  );
}
