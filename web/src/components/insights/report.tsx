// The insights of a team or a client (issue #19): summary, box plot per card, trend, outliers, with
// a table view of the same numbers and a CSV export. Used by the team's Insights page and, without
// session links, for a client's portal users.
import { useState } from 'preact/hooks';
import type { InsightsView } from '../../../../shared/schemas/insights.js';
import { insightsCsv } from '../../../../shared/domain/insights-csv.js';
import { BoxPlot } from './box-plot.js';
import { TrendChart } from './trend-chart.js';

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const num = (x: number | null) => (x === null ? '–' : String(x));

function download(data: InsightsView): void {
  const url = URL.createObjectURL(new Blob([insightsCsv(data)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `insights-${data.period.from}-to-${data.period.to}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Tables({ data }: { data: InsightsView }) {
  return (
    <div class="table-view" data-testid="insights-tables">
      <table>
        <caption>Hours logged per card</caption>
        <thead><tr><th scope="col">Card</th><th scope="col">Issues</th><th scope="col">With time</th><th scope="col">Q1 h</th><th scope="col">Median h</th><th scope="col">Q3 h</th><th scope="col">h / point</th></tr></thead>
        <tbody>{data.cards.map((c) => <tr key={c.card}><th scope="row">{c.card}</th><td>{c.count}</td><td>{c.timed}</td><td>{num(c.q1Hours)}</td><td>{num(c.medianHours)}</td><td>{num(c.q3Hours)}</td><td>{num(c.hoursPerPoint)}</td></tr>)}</tbody>
      </table>
      <table>
        <caption>By month</caption>
        <thead><tr><th scope="col">Month</th><th scope="col">Finalized</th><th scope="col">With time</th><th scope="col">Held</th><th scope="col">Held share</th></tr></thead>
        <tbody>{data.trend.map((t) => <tr key={t.month}><th scope="row">{t.month}</th><td>{t.finalized}</td><td>{t.timed}</td><td>{t.held}</td><td>{pct(t.heldShare)}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

function Outliers({ data }: { data: InsightsView }) {
  const list = data.calibration.outliers;
  if (list.length === 0) return <p class="muted">No issue lies far outside the others with the same estimate.</p>;
  return (
    <table class="outliers">
      <caption>Issues far from the others with the same estimate</caption>
      <thead><tr><th scope="col">Issue</th><th scope="col">Card</th><th scope="col">Hours</th><th scope="col">Month</th><th scope="col">Links</th></tr></thead>
      <tbody>
        {list.map((o) => (
          <tr key={`${o.session?.issueId ?? ''}${o.title}${o.month}`}>
            <td>{o.title} <span class="muted">{o.direction === 'over' ? '(took far longer)' : '(took far less)'}</span></td>
            <td>{o.card}</td><td>{o.hours}</td><td>{o.month}</td>
            <td>
              {o.session && <a href={o.session.path.replace(/^\//, '')}>Session</a>}{o.session && o.jira && ' · '}
              {o.jira && <a href={o.jira.url} rel="noopener noreferrer" target="_blank">{o.jira.key}</a>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InsightsReport({ data }: { data: InsightsView }) {
  const [asTable, setAsTable] = useState(false);
  const { coverage, consensus, calibration } = data;
  return (
    <section aria-label="Insights" class="insights">
      {data.empty && <p class="panel empty-state" role="status">{data.empty.message}</p>}
      <dl class="facts">
        <dt>Finalized estimates</dt><dd>{coverage.finalized}</dd>
        <dt>With time logged in Jira</dt><dd>{coverage.withTimeLogged} of {coverage.linkedToJira} linked to Jira</dd>
        <dt>Still open in Jira</dt><dd>{coverage.openInJira}</dd>
        <dt>Estimates that held</dt><dd>{pct(calibration.heldShare)} <span class="muted">(time within the middle half of the same card)</span></dd>
        <dt>First round agreed</dt><dd>{pct(consensus.firstRoundAgreedShare)} <span class="muted">of {consensus.voted} voted</span></dd>
        <dt>Rounds per issue</dt><dd>{num(consensus.averageRounds)}</dd>
      </dl>
      <div class="insights-actions">
        <button type="button" class="secondary" onClick={() => setAsTable(!asTable)}>{asTable ? 'Show the charts' : 'Show the numbers as tables'}</button>
        <button type="button" class="secondary" onClick={() => download(data)}>Export CSV</button>
      </div>
      {asTable ? <Tables data={data} /> : (
        <>
          <h2>Hours logged per card</h2>
          <p class="muted">Box: the middle half of the issues; line: the median.</p>
          <BoxPlot data={data} />
          <h2>By month</h2>
          <p class="muted">Bars: estimates finalized; line: the share that held.</p>
          <TrendChart data={data} />
        </>
      )}
      <h2>Outliers</h2>
      <Outliers data={data} />
    </section>
  );
}
