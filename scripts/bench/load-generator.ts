// The participants' side of the benchmark, in a process of its own so that the browsers' work
// does not share Reckon's event loop: polls every interval (and, when asked, a voter per room
// changing a card now and then), then writes every sample as JSON to the result file.
import fs from 'node:fs';
import { BenchClient } from './client.js';
import { pollLoops, voteLoops, type BenchRoom, type PollSample } from './rooms.js';

export interface LoadSpec {
  url: string;
  rooms: { sessionId: string; issueId: string; round: number; cookies: string[] }[];
  intervalMs: number;
  durationMs: number;
  /** 0: nobody votes. */
  voteEveryMs: number;
}
export interface LoadResult { polls: PollSample[]; votes: number[] }

const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
const rooms: BenchRoom[] = spec.rooms.map((r) => ({
  sessionId: r.sessionId, issueId: r.issueId, round: r.round, owner: new BenchClient(spec.url),
  guests: r.cookies.map((cookie) => Object.assign(new BenchClient(spec.url), { cookie })),
}));
const polls: PollSample[] = [];
const votes: number[] = [];
const until = performance.now() + spec.durationMs;
await Promise.all([
  pollLoops(rooms, spec.intervalMs, until, polls),
  spec.voteEveryMs > 0 ? voteLoops(rooms, spec.voteEveryMs, until, votes, 2 * spec.intervalMs) : Promise.resolve(),
]);
fs.writeFileSync(process.argv[3]!, JSON.stringify({ polls, votes } satisfies LoadResult));
process.exit(0);
