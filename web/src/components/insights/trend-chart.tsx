// The monthly trend (issue #19): bars for the estimates finalized each month, a line for the share
// that held (time logged within the card's quartiles). SVG; the numbers are in the table view.
import type { InsightsView } from '../../../../shared/schemas/insights.js';

const W = 400, H = 220, LEFT = 44, RIGHT = 34, TOP = 12, BOTTOM = 30;

export function TrendChart({ data }: { data: InsightsView }) {
  const t = data.trend;
  const maxN = Math.max(1, ...t.map((p) => p.finalized));
  const step = (W - LEFT - RIGHT) / Math.max(1, t.length);
  const x = (i: number) => LEFT + step * (i + 0.5);
  const yShare = (s: number) => TOP + (1 - s) * (H - TOP - BOTTOM);
  const yCount = (n: number) => TOP + (1 - n / maxN) * (H - TOP - BOTTOM);
  const points = t.flatMap((p, i) => (p.heldShare === null ? [] : [`${x(i)},${yShare(p.heldShare)}`]));
  const label = `By month: ${t.map((p) => `${p.month}: ${p.finalized} finalized${p.heldShare === null ? '' : `, ${Math.round(p.heldShare * 100)}% held`}`).join('; ')}.`;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-testid="trend-chart">
      {[0, 0.5, 1].map((s) => <g key={s}><line x1={LEFT} x2={W - RIGHT} y1={yShare(s)} y2={yShare(s)} class="grid" /><text x={LEFT - 6} y={yShare(s) + 4} class="tick" text-anchor="end">{s * 100}%</text></g>)}
      <text x={W - RIGHT + 6} y={TOP + 4} class="tick">{maxN}</text>
      {t.map((p, i) => <rect key={p.month} x={x(i) - step * 0.3} y={yCount(p.finalized)} width={step * 0.6} height={H - BOTTOM - yCount(p.finalized)} class="count-bar" />)}
      {points.length > 1 && <polyline points={points.join(' ')} class="trend-line" />}
      {t.map((p, i) => (p.heldShare === null ? null : <circle key={p.month} cx={x(i)} cy={yShare(p.heldShare)} r={3.5} class="trend-dot" />))}
      {t.map((p, i) => (i % Math.ceil(t.length / 4) === 0 ? <text key={p.month} x={x(i)} y={H - 10} class="tick" text-anchor="middle">{p.month}</text> : null))}
    </svg>
  );
}
