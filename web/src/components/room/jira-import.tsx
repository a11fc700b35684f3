// "Import from Jira" in the room (moderators): by JQL with a preview count, by a board's sprint,
// or by issue keys. The result says what was added, what was updated, which keys Jira lacks and
// which it failed to return just now; a connection Jira no longer accepts offers to reconnect.
import { useEffect, useState } from 'preact/hooks';
import type { ConnectionView } from '../../../../shared/schemas/jira.js';
import { jiraApi, ApiError, type ImportSource } from '../../api.js';

type Mode = 'jql' | 'sprint' | 'keys';

export function JiraImport({ sessionId, tenantId, onImported }: { sessionId: string; tenantId: string; onImported: () => void }) {
  const [connections, setConnections] = useState<ConnectionView[]>();
  const [connectionId, setConnectionId] = useState('');
  const [mode, setMode] = useState<Mode>('jql');
  const [jql, setJql] = useState('');
  const [keys, setKeys] = useState('');
  const [boards, setBoards] = useState<{ id: number; name: string }[]>([]);
  const [boardId, setBoardId] = useState<number>();
  const [sprints, setSprints] = useState<{ id: number; name: string; state: string }[]>([]);
  const [sprintId, setSprintId] = useState<number>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [broken, setBroken] = useState(false);
  const fail = (e: unknown) => {
    setBroken(e instanceof ApiError && e.code === 'jira_connection_broken');
    setStatus(e instanceof ApiError ? e.message : 'Reckon could not be reached.');
  };

  useEffect(() => { jiraApi.list(tenantId).then((r) => { setConnections(r.connections); setConnectionId(r.connections[0]?.id ?? ''); }, fail); }, [tenantId]);
  useEffect(() => { if (connectionId && mode === 'sprint') jiraApi.boards(connectionId).then((r) => { setBoards(r.boards); setBoardId(r.boards[0]?.id); }, fail); }, [connectionId, mode]);
  useEffect(() => { if (connectionId && boardId) jiraApi.sprints(connectionId, boardId).then((r) => { setSprints(r.sprints); setSprintId(r.sprints[0]?.id); }, fail); }, [connectionId, boardId]);

  if (connections === undefined) return <p role="status">Loading Jira connections…</p>;
  if (connections.length === 0) return <p class="muted">No Jira site is connected to this team; a team admin can connect one under <a href="#/settings/jira">Jira settings</a>.</p>;

  const source = (): ImportSource | undefined => {
    if (mode === 'jql') return jql.trim() ? { jql } : undefined;
    if (mode === 'sprint') return boardId && sprintId ? { sprint: { boardId, sprintId } } : undefined;
    const list = keys.split(/[\s,;]+/).map((k) => k.trim().toUpperCase()).filter(Boolean);
    return list.length ? { keys: list } : undefined;
  };
  const preview = async () => { setStatus(undefined); setBroken(false); try { setStatus(`This finds ${(await jiraApi.count(connectionId, jql)).count} issues.`); } catch (e) { fail(e); } };
  const run = async (e: Event) => {
    e.preventDefault();
    const chosen = source();
    if (!chosen) return;
    setBusy(true);
    setBroken(false);
    setStatus('Importing…');
    try {
      const r = await jiraApi.import(connectionId, sessionId, chosen);
      setStatus(`Added ${r.created.length}, updated ${r.updated.length}.${r.missing.length ? ` Not found in Jira: ${r.missing.join(', ')}.` : ''}`
        + (r.unavailable.length ? ` Jira could not return ${r.unavailable.join(', ')} just now; import them again in a moment.` : ''));
      onImported();
    } catch (err) { fail(err); } finally { setBusy(false); }
  };
  return (
    <form class="panel jira-import" onSubmit={run} aria-label="Import from Jira">
      <h2>Import from Jira</h2>
      {connections.length > 1 && (
        <div class="field"><label for="jira-connection">Site</label>
          <select id="jira-connection" value={connectionId} onChange={(e) => setConnectionId((e.target as HTMLSelectElement).value)}>
            {connections.map((c) => <option key={c.id} value={c.id}>{c.siteUrl}</option>)}
          </select></div>
      )}
      <fieldset class="decks"><legend>Import by</legend>
        {([['jql', 'JQL query'], ['sprint', 'Board and sprint'], ['keys', 'Issue keys']] as const).map(([value, label]) => (
          <label class="choice" key={value}><input type="radio" name="import-mode" checked={mode === value} onChange={() => setMode(value)} /> {label}</label>
        ))}
      </fieldset>
      {mode === 'jql' && <div class="field"><label for="jira-jql">JQL</label><textarea id="jira-jql" rows={2} value={jql} onInput={(e) => setJql((e.target as HTMLTextAreaElement).value)} placeholder="project = PROJ AND sprint in openSprints()" />
        <button type="button" class="secondary" disabled={!jql.trim()} onClick={preview}>Preview count</button></div>}
      {mode === 'sprint' && <>
        <div class="field"><label for="jira-board">Board</label><select id="jira-board" value={boardId} onChange={(e) => setBoardId(Number((e.target as HTMLSelectElement).value))}>{boards.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}</select></div>
        <div class="field"><label for="jira-sprint">Sprint</label><select id="jira-sprint" value={sprintId} onChange={(e) => setSprintId(Number((e.target as HTMLSelectElement).value))}>{sprints.map((s) => <option key={s.id} value={s.id}>{s.name} ({s.state})</option>)}</select></div>
      </>}
      {mode === 'keys' && <div class="field"><label for="jira-keys">Issue keys</label><input id="jira-keys" value={keys} onInput={(e) => setKeys((e.target as HTMLInputElement).value)} placeholder="PROJ-12, PROJ-15" /></div>}
      {status && !broken && <p role="status">{status}</p>}
      {broken && <p role="alert">Jira no longer accepts this connection's API token (it was revoked or has expired), so nothing was imported. <a href="#/settings/jira">Reconnect the site in Jira settings</a> with a new API token (a team admin can).</p>}
      <button type="submit" disabled={busy || !source()}>Import</button>
    </form>
  );
}
