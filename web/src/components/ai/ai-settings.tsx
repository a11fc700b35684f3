// AI on the Team page (admins): on/off (off by default), the daily request quota, and usage per day.
import { useEffect, useState } from 'preact/hooks';
import { aiSettingsApi, type AiSettingsView } from '../../ai-api.js';
import { ApiError } from '../../api.js';

export function AiSettings({ tenantId }: { tenantId: string }) {
  const [view, setView] = useState<AiSettingsView>();
  const [enabled, setEnabled] = useState(false);
  const [quota, setQuota] = useState('200');
  const [message, setMessage] = useState<string>();
  const show = (v: AiSettingsView) => { setView(v); setEnabled(v.settings.enabled); setQuota(String(v.settings.dailyQuota)); };
  useEffect(() => { aiSettingsApi.get(tenantId).then(show, () => setView(undefined)); }, [tenantId]);
  const save = async (e: Event) => {
    e.preventDefault();
    setMessage(undefined);
    try { show(await aiSettingsApi.put(tenantId, enabled, Number(quota))); setMessage('AI settings saved.'); } catch (err) { setMessage(err instanceof ApiError ? err.message : 'Reckon could not be reached.'); }
  };
  if (!view) return null;
  return (
    <section aria-labelledby="ai-title">
      <h2 id="ai-title">AI (Gemini)</h2>
      <p class="muted">Round summaries and estimate suggestions by {view.deployment.model} in {view.deployment.location}. Only issue text, cards and reasons leave Reckon — never names or emails. Off, the room uses statistics instead.</p>
      <form onSubmit={save} aria-label="AI settings">
        <label><input type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)} /> Use Gemini for this team</label>
        <label for="ai-quota">Requests per day</label>
        <input id="ai-quota" type="number" min={1} max={10000} value={quota} onInput={(e) => setQuota((e.target as HTMLInputElement).value)} />
        <button type="submit">Save AI settings</button>
      </form>
      {message && <p role="status">{message}</p>}
      {view.usage.length > 0 && (
        <table aria-label="AI usage">
          <thead><tr><th>Day</th><th>Requests</th><th>Input tokens</th><th>Output tokens</th></tr></thead>
          <tbody>{view.usage.map((u) => <tr key={u.day}><td>{u.day}</td><td>{u.requests}</td><td>{u.inputTokens}</td><td>{u.outputTokens}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
