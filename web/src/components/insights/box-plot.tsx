// Box plot per card (issue #19): the middle half of the hours logged (q1 to q3) as a box, the
// median as a line, outliers as dots. Drawn as SVG that scales to the screen; the same numbers are
// in the page's table view.
import type { InsightsView } from '../../../../shared/schemas/insights.js';

const W = 400, ROW = 34, LEFT = 40, RIGHT = 22, TOP = 10, AXIS = 28;

export function BoxPlot({ data }: { data: InsightsView }) {
  const cards = data.cards.filter((c) => c.medianHours !== null);
  if (cards.length === 0) return <p class="muted">No card has 4 or more issues with time logged yet: the boxes appear once they do.</p>;
  const outliers = data.calibration.outliers;
  const max = Math.max(1, ...cards.map((c) => c.q3Hours!), ...outliers.map((o) => o.hours)) * 1.05;
  const x = (h: number) => LEFT + (h / max) * (W - LEFT - RIGHT);
  const height = TOP + cards.length * ROW + AXIS;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  const label = `Hours logged per card: ${cards.map((c) => `${c.card}: median ${c.medianHours} h, middle half ${c.q1Hours}–${c.q3Hours} h`).join('; ')}.`;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${height}`} role="img" aria-label={label} data-testid="box-plot">
      {ticks.map((t) => <g key={t}><line x1={x(t)} x2={x(t)} y1={TOP} y2={height - AXIS} class="grid" /><text x={x(t)} y={height - 8} class="tick" text-anchor="middle">{t} h</text></g>)}
      {cards.map((c, i) => {
        const y = TOP + i * ROW;
        return (
          <g key={c.card}>
            <text x={LEFT - 10} y={y + ROW / 2 + 5} class="card-label" text-anchor="end">{c.card}</text>
            <rect x={x(c.q1Hours!)} y={y + 6} width={Math.max(2, x(c.q3Hours!) - x(c.q1Hours!))} height={ROW - 12} class="box" />
            <line x1={x(c.medianHours!)} x2={x(c.medianHours!)} y1={y + 4} y2={y + ROW - 4} class="median" />
            {outliers.filter((o) => o.card === c.card).map((o, n) => <circle key={n} cx={x(o.hours)} cy={y + ROW / 2} r={4} class="outlier" />)}
          </g>
        );
      })}
    </svg>
  );
}
