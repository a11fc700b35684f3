// Follows a room by polling its state: every ~2 s while the tab is visible, every 15 s when it
// is hidden, at once when it becomes visible again (a phone waking up), and with a growing pause
// after errors or a poll unanswered for 10 s while the room shows "reconnecting". The server is
// the only source of truth: the view is always the last state it sent.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomView } from '../../shared/domain/room-state.js';
import { request, ApiError } from './api.js';

export type RoomState = RoomView & { version: string; serverTime: string };
export type PollStatus = 'loading' | 'live' | 'reconnecting' | 'gone' | 'unauthorized';

const VISIBLE_MS = 2000;
const HIDDEN_MS = 15_000;
const MAX_BACKOFF_MS = 30_000;
// A poll that has not been answered by then is given up: a phone that slept, or a network that
// dropped, can leave a request hanging for minutes, and the room would neither say it is
// reconnecting nor look again.
const POLL_TIMEOUT_MS = 10_000;

async function fetchState(sessionId: string, etag: string | undefined): Promise<{ state?: RoomState; etag?: string }> {
  const url = `/api/sessions/${encodeURIComponent(sessionId)}/state`;
  const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: etag ? { 'If-None-Match': etag } : {}, signal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
  if (res.status === 304) return {};
  if (res.status === 401) {
    // An expired access token: let the shared client refresh it and fetch once more.
    const state = await request<RoomState>('GET', url);
    return { state, etag: state.version };
  }
  if (!res.ok) {
    const body = await res.json().catch(() => undefined);
    throw new ApiError(res.status, body?.error?.code ?? 'network', body?.error?.message ?? `The server answered ${res.status}.`);
  }
  const state = (await res.json()) as RoomState;
  return { state, etag: res.headers.get('ETag') ?? state.version };
}

export function useRoomPoll(sessionId: string) {
  const [state, setState] = useState<RoomState>();
  const [status, setStatus] = useState<PollStatus>('loading');
  const etag = useRef<string | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const failures = useRef(0);
  const running = useRef(false);

  const pollNow = async () => {
    clearTimeout(timer.current);
    if (running.current) return;
    running.current = true;
    let next = document.hidden ? HIDDEN_MS : VISIBLE_MS;
    try {
      const got = await fetchState(sessionId, etag.current);
      if (got.state) { setState(got.state); etag.current = got.etag; }
      failures.current = 0;
      setStatus('live');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) { setStatus('gone'); running.current = false; return; }
      if (e instanceof ApiError && e.status === 401) { setStatus('unauthorized'); running.current = false; return; }
      failures.current++;
      setStatus('reconnecting');
      next = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures.current);
    }
    running.current = false;
    timer.current = setTimeout(pollNow, next);
  };

  useEffect(() => {
    etag.current = undefined;
    setState(undefined);
    setStatus('loading');
    void pollNow();
    const onVisible = () => { if (!document.hidden) void pollNow(); };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onVisible);
    return () => { clearTimeout(timer.current); document.removeEventListener('visibilitychange', onVisible); window.removeEventListener('online', onVisible); };
  }, [sessionId]);

  /** After the user's own action: look now, and again once the server's one-second cache has passed. */
  const refresh = () => { void pollNow(); setTimeout(() => void pollNow(), 1100); };
  return { state, status, refresh };
}
