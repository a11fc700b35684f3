// Sets up rooms for the benchmark over the real HTTP API: an owner, sessions with issues, and
// guests who joined by code; and the participants' polling loops.
import { BenchClient, sleep, type Timed } from './client.js';

export interface BenchRoom { sessionId: string; issueId: string; round: number; owner: BenchClient; guests: BenchClient[] }

export async function newOwner(url: string, n: number): Promise<BenchClient> {
  const owner = new BenchClient(url);
  await owner.json('POST', '/api/auth/register', { email: `bench-owner-${n}-${Date.now()}@example.com`, password: 'benchmark password', displayName: `Owner ${n}` });
  return owner;
}

export async function newRoom(url: string, owner: BenchClient, participants: number, autoReveal: boolean): Promise<BenchRoom> {
  const me = await owner.json('GET', '/api/auth/me');
  const { session } = await owner.json('POST', '/api/sessions', { tenantId: me.memberships[0].tenantId, name: 'Bench', deck: 'fibonacci', autoReveal });
  const { issues } = await owner.json('POST', `/api/sessions/${session.id}/issues`, { text: 'One\nTwo\nThree\nFour\nFive' });
  const guests: BenchClient[] = [];
  for (let i = 0; i < participants; i++) {
    const g = new BenchClient(url);
    await g.json('POST', '/api/auth/guest', { joinCode: session.joinCode, displayName: `P${i}` });
    guests.push(g);
  }
  const { round } = await owner.json('POST', `/api/sessions/${session.id}/current`, { issueId: issues[0].id });
  return { sessionId: session.id, issueId: issues[0].id, round, owner, guests };
}

/**
 * A room whose participants are signed-in members of the owner's team (not guests), so every poll
 * also passes the access-epoch check (shared/access/epochs.ts). Memberships are written directly,
 * as team management would, then each member refreshes into a token with the team and joins.
 */
export async function newMemberRoom(url: string, owner: BenchClient, participants: number, projectId: string): Promise<BenchRoom> {
  const { Firestore, Timestamp } = await import('@google-cloud/firestore');
  const db = new Firestore({ projectId });
  const room = await newRoom(url, owner, 0, false);
  const me = await owner.json('GET', '/api/auth/me');
  const tenantId = me.memberships[0].tenantId;
  const members: BenchClient[] = [];
  for (let i = 0; i < participants; i++) {
    const m = new BenchClient(url);
    const { user } = await m.json('POST', '/api/auth/register', { email: `bench-member-${i}-${Date.now()}@example.com`, password: 'benchmark password', displayName: `M${i}` });
    await db.doc(`memberships/${tenantId}_${user.uid}`).set({ tenantId, uid: user.uid, role: 'member', createdAt: Timestamp.now() });
    await m.json('POST', '/api/auth/refresh');
    await m.json('POST', `/api/sessions/${room.sessionId}/join`, { role: 'voter' });
    members.push(m);
  }
  await db.terminate();
  return { ...room, guests: members };
}

export interface PollSample { status: number; ms: number }

/** Each participant polls every `intervalMs` (jittered start) with If-None-Match until `until`. */
export async function pollLoops(rooms: BenchRoom[], intervalMs: number, until: number, samples: PollSample[]): Promise<void> {
  const loops = rooms.flatMap((room) => room.guests.map(async (g) => {
    // Arrive like people do (spread over one interval) and get the room once before measuring.
    await sleep(Math.random() * intervalMs);
    const first = await g.request('GET', `/api/sessions/${room.sessionId}/state`);
    let etag = first.headers.etag as string | undefined;
    await sleep(intervalMs);
    while (performance.now() < until) {
      const started = performance.now();
      const res: Timed = await g.request('GET', `/api/sessions/${room.sessionId}/state`, undefined, etag ? { 'if-none-match': etag } : {});
      if (res.status === 200) etag = res.headers.etag as string;
      samples.push({ status: res.status, ms: res.ms });
      await sleep(Math.max(0, intervalMs - (performance.now() - started)));
    }
  }));
  await Promise.all(loops);
}

/** Voters in each room change their card now and then, so rooms are not idle. */
export async function voteLoops(rooms: BenchRoom[], everyMs: number, until: number, latencies: number[], warmUpMs: number): Promise<void> {
  const cards = ['1', '2', '3', '5', '8'];
  await Promise.all(rooms.map(async (room) => {
    // Start once everyone is in the room, as the polls do: the first votes otherwise open their
    // connections in the arrival storm and measure the kernel's SYN retries, not Reckon.
    await sleep(warmUpMs + Math.random() * everyMs);
    for (let n = 0; performance.now() < until; n++) {
      const g = room.guests[n % room.guests.length]!;
      const res = await g.request('PUT', `/api/votes/${room.sessionId}`, { issueId: room.issueId, round: room.round, value: cards[(n + Math.floor(n / room.guests.length)) % cards.length] });
      if (res.status !== 200) throw new Error(`vote → ${res.status} ${res.text}`);
      latencies.push(res.ms);
      await sleep(everyMs);
    }
  }));
}

/** Runs the participants in a separate process (see load-generator.ts) and collects their samples. */
export async function runLoad(url: string, rooms: BenchRoom[], intervalMs: number, durationMs: number, voteEveryMs: number): Promise<{ polls: PollSample[]; votes: number[] }> {
  const { spawn } = await import('node:child_process');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const specFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-bench-')), 'load.json');
  fs.writeFileSync(specFile, JSON.stringify({
    url, intervalMs, durationMs, voteEveryMs,
    rooms: rooms.map((r) => ({ sessionId: r.sessionId, issueId: r.issueId, round: r.round, cookies: r.guests.map((g) => g.cookie!) })),
  }));
  const resultFile = `${specFile}.result.json`;
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./load-generator.ts', import.meta.url).pathname, specFile, resultFile], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(fs.readFileSync(resultFile, 'utf8'));
}
