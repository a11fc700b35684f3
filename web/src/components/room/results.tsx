// A revealed round: a bar per card played, and for numeric decks the average and the median.
import type { RoomState } from '../../poll.js';

export function Results({ state }: { state: RoomState }) {
  const stats = state.statistics;
  if (!stats) return null;
  const most = Math.max(1, ...stats.distribution.map((d) => d.count));
  return (
    <section aria-labelledby="results-title" class="results">
      <h3 id="results-title">Results {stats.consensus && <span class="consensus">Consensus!</span>}</h3>
      {stats.votes === 0 ? <p>No cards were played.</p> : (
        <ul class="bars" aria-label="Cards played">
          {stats.distribution.map((d) => (
            <li key={d.value}>
              <span class="bar-label">{d.value}</span>
              <span class="bar" style={{ width: `${(d.count / most) * 100}%` }} />
              <span class="bar-count">{d.count} {d.count === 1 ? 'vote' : 'votes'}</span>
            </li>
          ))}
        </ul>
      )}
      <dl class="facts">
        {stats.average !== null && <><dt>Average</dt><dd>{stats.average}</dd></>}
        {stats.median !== null && <><dt>Median</dt><dd>{stats.median}</dd></>}
        {stats.spread && stats.spread.steps > 0 && <><dt>Spread</dt><dd>{stats.spread.lowest} – {stats.spread.highest}</dd></>}
      </dl>
    </section>
  );
}
