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

async function fetchState(sessionId: string, etag: string | undefined, stop: AbortSignal): Promise<{ state?: RoomState; etag?: string }> {
  const url = `/api/sessions/${encodeURIComponent(sessionId)}/state`;
  const signal = AbortSignal.any([stop, AbortSignal.timeout(POLL_TIMEOUT_MS)]);
  const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: etag ? { 'If-None-Match': etag } : {}, signal });
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

/**
 * One poll loop, for one room on screen. When the room leaves the screen (or another takes its
 * place) the loop is cancelled: its request in flight is aborted, its timers cleared, and a poll
 * that answers after that neither shows its state nor arms another.
 */
interface PollLoop {
  cancelled: boolean;
  stop: AbortController;
  timers: Set<ReturnType<typeof setTimeout>>;
  running: boolean;
  failures: number;
  etag: string | undefined;
}

function startLoop(sessionId: string, show: (state: RoomState) => void, setStatus: (s: PollStatus) => void): { loop: PollLoop; pollNow: () => void; later: (ms: number) => void } {
  const loop: PollLoop = { cancelled: false, stop: new AbortController(), timers: new Set(), running: false, failures: 0, etag: undefined };
  const later = (ms: number) => {
    const t = setTimeout(() => { loop.timers.delete(t); pollNow(); }, ms);
    loop.timers.add(t);
  };
  const pollNow = () => {
    if (loop.cancelled || loop.running) return;
    for (const t of loop.timers) clearTimeout(t);
    loop.timers.clear();
    loop.running = true;
    void once().then((next) => {
      loop.running = false;
      if (!loop.cancelled && next !== undefined) later(next);
    });
  };
  /** Polls once; the pause before the next poll, or undefined to stop (room gone, signed out). */
  const once = async (): Promise<number | undefined> => {
    try {
      const got = await fetchState(sessionId, loop.etag, loop.stop.signal);
      if (loop.cancelled) return undefined;
      if (got.state) { show(got.state); loop.etag = got.etag; }
      loop.failures = 0;
      setStatus('live');
      return document.hidden ? HIDDEN_MS : VISIBLE_MS;
    } catch (e) {
      if (loop.cancelled) return undefined;
      if (e instanceof ApiError && e.status === 404) { setStatus('gone'); return undefined; }
      if (e instanceof ApiError && e.status === 401) { setStatus('unauthorized'); return undefined; }
      loop.failures++;
      setStatus('reconnecting');
      return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** loop.failures);
    }
  };
  return { loop, pollNow, later };
}

export function useRoomPoll(sessionId: string) {
  const [state, setState] = useState<RoomState>();
  const [status, setStatus] = useState<PollStatus>('loading');
  const current = useRef<{ pollNow: () => void; later: (ms: number) => void } | undefined>(undefined);

  useEffect(() => {
    setState(undefined);
    setStatus('loading');
    const { loop, pollNow, later } = startLoop(sessionId, setState, setStatus);
    current.current = { pollNow, later };
    pollNow();
    const onVisible = () => { if (!document.hidden) pollNow(); };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onVisible);
    return () => {
      loop.cancelled = true;
      loop.stop.abort();
      for (const t of loop.timers) clearTimeout(t);
      loop.timers.clear();
      if (current.current?.pollNow === pollNow) current.current = undefined;
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onVisible);
    };
  }, [sessionId]);

  /** After the user's own action: look now, and again once the server's one-second cache has passed. */
  const refresh = () => { current.current?.pollNow(); current.current?.later(1100); };
  return { state, status, refresh };
}
