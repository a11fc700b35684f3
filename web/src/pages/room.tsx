// The room: the current issue and its round, the deck, the people, the agenda, and (for the
// moderator) the controls. Everything shown comes from the last poll; actions go to the server
// and the next poll shows their effect.
import { useEffect, useState } from 'preact/hooks';
import { roomApi, ApiError, type Role } from '../api.js';
import { useRoomPoll, type RoomState } from '../poll.js';
import { Deck } from '../components/room/deck.js';
import { Participants } from '../components/room/participants.js';
import { Results } from '../components/room/results.js';
import { IssueList } from '../components/room/issue-list.js';
import { ModeratorBar } from '../components/room/moderator-bar.js';
import { FormError } from '../components/field.js';
import { JiraImport } from '../components/room/jira-import.js';
import { NoteField, RevealedNotes, RoundSummary, SuggestionChip } from '../components/ai/room-ai.js';
import { SessionSummary } from '../components/ai/session-summary.js';

function JoinLink({ code }: { code: string }) {
  const [copied, setCopied] = useState(false);
  const link = `${location.origin}/#/join/${code}`;
  const copy = async () => {
    try { await navigator.clipboard.writeText(link); setCopied(true); setTimeout(() => setCopied(false), 2000); } catch { setCopied(false); }
  };
  return (
    <div class="join-link">
      <label for="join-link">Invite with this link (code {code})</label>
      <input id="join-link" readOnly value={link} onFocus={(e) => (e.target as HTMLInputElement).select()} />
      <button type="button" class="secondary" onClick={copy}>{copied ? 'Copied' : 'Copy link'}</button>
    </div>
  );
}

function roundStatus(state: RoomState): string {
  if (!state.currentIssue) return state.me.canModerate ? 'Pick an issue to estimate.' : 'Waiting for the moderator to pick an issue.';
  if (state.revealed) return `Round ${state.round}: cards revealed.`;
  if (state.everyoneVoted) return `Round ${state.round}: everyone has voted${state.session.autoReveal ? '.' : ' — ready to reveal.'}`;
  return `Round ${state.round}: voting.`;
}

function minutesAgo(at: number, serverTime: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(serverTime) - at) / 60_000));
  return minutes === 0 ? 'just now' : minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
}

function nextIssueId(state: RoomState): string | undefined {
  const at = state.issues.findIndex((i) => i.id === state.currentIssue?.id);
  const later = state.issues.slice(at + 1).find((i) => i.finalEstimate === null);
  return (later ?? state.issues.find((i) => i.finalEstimate === null && i.id !== state.currentIssue?.id))?.id;
}

export function Room({ sessionId }: { sessionId: string }) {
  const { state, status, refresh } = useRoomPoll(sessionId);
  const [error, setError] = useState<string>();
  const [pendingVote, setPendingVote] = useState<{ value: string | null; version: string }>();
  const [importing, setImporting] = useState(false);
  const room = roomApi(sessionId);
  useEffect(() => { setPendingVote(undefined); }, [state?.version]);

  const act = async (action: () => Promise<unknown>): Promise<boolean> => {
    setError(undefined);
    try { await action(); return true; } catch (e) { setError(e instanceof ApiError ? e.message : 'Reckon could not be reached. Try again.'); return false; } finally { refresh(); }
  };

  if (status === 'gone') return <main class="card"><h1>Session not found</h1><p>This session does not exist, or it is not open to you.</p><a href="#/">Your sessions</a></main>;
  if (status === 'unauthorized') return <main class="card"><h1>Join this session</h1><p>Open the join link you were given, or <a href="#/signin">sign in</a>.</p></main>;
  if (!state) return <p class="loading" role="status">{status === 'reconnecting' ? 'Reconnecting…' : 'Loading the room…'}</p>;

  const { me, currentIssue } = state;
  const open = state.session.status === 'open';
  const myVote = pendingVote && pendingVote.version === state.version ? pendingVote.value : me.vote;
  const vote = (value: string | null) => {
    if (!currentIssue) return;
    setPendingVote({ value, version: state.version });
    void act(() => (value === null ? room.retract(currentIssue.id, state.round) : room.vote(currentIssue.id, state.round, value, me.note)));
  };
  const saveNote = (note: string) => { if (currentIssue && myVote) void act(() => room.vote(currentIssue.id, state.round, myVote, note.trim() || null)); };
  const move = (issueId: string, by: -1 | 1) => {
    const ids = state.issues.map((i) => i.id);
    const at = ids.indexOf(issueId);
    [ids[at], ids[at + by]] = [ids[at + by]!, ids[at]!];
    void act(() => room.reorder(ids));
  };

  return (
    <main class="room">
      <header class="room-head">
        <div>
          <h1>{state.session.name}</h1>
          <p class="muted" role="status" aria-live="polite">{open ? roundStatus(state) : 'This session is closed.'}</p>
        </div>
        <div class="connection" role="status">{status === 'reconnecting' ? <span class="reconnecting">Reconnecting…</span> : <span class="live">Live</span>}</div>
      </header>
      <FormError message={error} />
      <div class="room-grid">
        <section class="panel table" aria-labelledby="current-title">
          <h2 id="current-title">{currentIssue ? currentIssue.title : 'No issue being estimated'}</h2>
          {currentIssue?.jira && <p><a href={currentIssue.jira.url} target="_blank" rel="noopener noreferrer">{currentIssue.jira.key}</a> <span class="muted">{currentIssue.jira.status}{currentIssue.jira.storyPoints !== null ? ` · ${currentIssue.jira.storyPoints} points in Jira` : ''}{currentIssue.jira.syncedAt ? ` · synced ${minutesAgo(currentIssue.jira.syncedAt, state.serverTime)}` : ''}</span></p>}
          {currentIssue?.description && <p class="description">{currentIssue.description}</p>}
          {state.everyoneVoted && !state.revealed && <p class="all-voted" role="status">Everyone has voted.</p>}
          {(me.canModerate || state.revealed) && <SuggestionChip state={state} sessionId={sessionId} />}
          {state.revealed && <Results state={state} />}
          {state.revealed && <RevealedNotes state={state} />}
          <RoundSummary state={state} sessionId={sessionId} />
          {currentIssue && me.role === 'voter' && open && (
            <Deck values={state.session.deck.values} selected={myVote} disabled={state.revealed} onPick={vote} />
          )}
          {currentIssue && me.role === 'voter' && open && !state.revealed && myVote && <NoteField note={me.note} disabled={false} onSave={saveNote} />}
          {me.canModerate && open && <ModeratorBar state={state} actions={{
            reveal: () => void act(() => room.reveal(state.round)),
            revote: () => void act(() => room.revote(state.round)),
            finalize: (estimate) => void act(() => room.finalize(currentIssue!.id, estimate)),
            next: () => { const id = nextIssueId(state); if (id) void act(() => room.setCurrent(id)); else setError('Every issue has an estimate.'); },
          }} />}
        </section>
        <aside>
          <Participants state={state} />
          <div class="panel you">
            {me.participantId === null
              ? open && <><button type="button" onClick={() => void act(() => room.join('voter'))}>Join as voter</button><button type="button" class="secondary" onClick={() => void act(() => room.join('spectator'))}>Watch</button></>
              : <>
                  <button type="button" class="secondary" onClick={() => void act(() => room.join((me.role === 'voter' ? 'spectator' : 'voter') as Role))}>{me.role === 'voter' ? 'Watch instead' : 'Vote instead'}</button>
                  <button type="button" class="link" onClick={() => void act(() => room.leave())}>Leave</button>
                </>}
          </div>
          {state.session.joinCode && open && <JoinLink code={state.session.joinCode} />}
        </aside>
      </div>
      <IssueList state={state} actions={{
        estimate: (id) => void act(() => room.setCurrent(id)),
        move,
        remove: (id) => { if (confirm('Remove this issue from the session?')) void act(() => room.deleteIssue(id)); },
        add: (text) => act(() => room.addIssues(text)),
      }} />
      {me.canModerate && open && (importing
        ? <JiraImport sessionId={sessionId} tenantId={state.session.tenantId} onImported={refresh} />
        : <p><button type="button" class="secondary" onClick={() => setImporting(true)}>Import from Jira</button></p>)}
      {me.canModerate && (
        <p class="session-actions">
          {!state.session.joinCode ? null : <a href={room.resultsUrl} download>Download results (CSV)</a>}
          {open ? <button type="button" class="link" onClick={() => { if (confirm('Close this session? Nobody can vote or join until it is reopened.')) void act(() => room.close()); }}>Close session</button>
            : <button type="button" class="secondary" onClick={() => void act(() => room.reopen())}>Reopen session</button>}
        </p>
      )}
      {me.canModerate && <SessionSummary sessionId={sessionId} />}
    </main>
  );
}
