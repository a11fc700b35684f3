// Issue #15, item 12: guests could pose as members. One display-name rule now holds for accounts,
// guests and room renames alike, and the room marks guests as guests.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, newAccount, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump } from '../support/firestore.js';
import { guest, newSession, poll, teammate, type Person } from '../support/rooms.js';

let reckon: Reckon;
let owner: Person;
let session: { id: string; joinCode: string };
beforeAll(async () => {
  reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0' });
  owner = await registeredClient(reckon, { displayName: 'Ann Lee' });
  session = await newSession(owner);
});
afterAll(async () => { await reckon.close(); });

/** Names that look like "Ann Lee" (or like nothing) but are not. */
const HOSTILE: [string, string][] = [
  ['a zero-width space', 'Ann\u200b Lee'],
  ['a zero-width joiner', 'Ann Lee\u200d'],
  ['a right-to-left override', '\u202eeeL nnA'],
  ['a bidi isolate', 'Ann Lee\u2066'],
  ['a C1 control (NEL)', 'Ann\u0085Lee'],
  ['a C0 control', 'Ann\u0007Lee'],
  ['a soft hyphen', 'Ann Le\u00ade'],
  ['a word joiner', 'Ann\u2060 Lee'],
  ['a Hangul filler (blank letter)', '\u3164'],
  ['a Braille blank', 'Ann Lee \u2800'],
  ['a combining grapheme joiner', 'Ann\u034f Lee'],
  ['a tag character', 'Ann Lee\u{e0041}'],
  ['an interlinear annotation', 'Ann\ufff9Lee'],
  ['a private-use character', 'Ann Lee\ue000'],
  ['a lone surrogate', 'Ann Lee\ud800'],
  ['only spaces', ' \u3000 '],
  ['a pile of combining marks that spills over the rows around it', `Ann Lee${'\u0301\u0316'.repeat(10)}`],
  ['only an emoji selector (it draws nothing without an emoji)', '\ufe0f'],
  ['an emoji selector after a letter', 'Ann Lee\ufe0f'],
  ['a Khitan filler', 'Ann Lee 1\u{16fe4}'],
  ['only a Khitan filler', '\u{16fe4}'],
  ['a Duployan letter selector', 'Ann\u{1bc9d} Lee'],
  ['five accents on one letter, one of which NFC folds into it', `Ann Le${'o'}${'\u0301'.repeat(5)}`],
  ['only combining marks', '\u0301\u0302'],
];

/** The three ways a name enters a room or an account. */
const ENTRANCES: [string, (name: string) => Promise<{ status: number; json: any }>][] = [
  ['register', (displayName) => new ApiClient(reckon).post('/api/auth/register', { ...newAccount(), displayName })],
  ['guest join', (displayName) => new ApiClient(reckon).post('/api/auth/guest', { joinCode: session.joinCode, displayName })],
  ['room join / rename', async (displayName) => {
    const mate = await teammate(reckon, owner);
    return mate.client.post(`/api/sessions/${session.id}/join`, { role: 'voter', displayName });
  }],
];

describe('item 12: one display-name rule for everyone', () => {
  describe.each(ENTRANCES)('%s', (_entrance, enter) => {
    it.each(HOSTILE)('refuses a name with %s, and writes nothing', async (_what, name) => {
      const before = await databaseDump(reckon.projectId);
      const res = await enter(name);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
      expect(res.json.error.issues[0].path).toBe('body.displayName');
      // The teammate of the room entrance is seeded by the test; the room itself is untouched.
      const after = await databaseDump(reckon.projectId);
      expect(after.split('\n').filter((l) => l.startsWith('sessions/'))).toEqual(before.split('\n').filter((l) => l.startsWith('sessions/')));
      if (_entrance !== 'room join / rename') expect(after).toBe(before);
    });

    it('accepts names in any script, with accents, apostrophes and emoji, and makes any run of spaces one space', async () => {
      for (const [typed, kept] of <[string, string][]>[['José Núñez', 'José Núñez'], ['Nguyễn Thị Ánh', 'Nguyễn Thị Ánh'], ['अनुष्का', 'अनुष्का'], ['李雷', '李雷'], ["Ann-Marie O'Neil 🙂", "Ann-Marie O'Neil 🙂"], ['  Bo\u2002\u00a0 Ek ', 'Bo Ek'], ['\ufeffBo\u2028Ek', 'Bo Ek'], ['Zoe\u0301', 'Zoé'], ['Bo 1\ufe0f\u20e3', 'Bo 1\ufe0f\u20e3'], ['Bo ❤\ufe0f', 'Bo ❤\ufe0f'], ['Trần Quốc Tuấn', 'Trần Quốc Tuấn']]) {
        const res = await enter(typed);
        expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
        expect(res.json.user?.displayName ?? res.json.participant.displayName).toBe(kept);
      }
    });

    it('accepts emoji joined by a zero-width joiner (👩‍💻, 👩🏽‍💻, 🏳️‍🌈): the joiner is refused only outside an emoji', async () => {
      for (const name of ['👩\u200d💻 Dev', 'Ann 👩🏽\u200d💻', 'Bo 🏳\ufe0f\u200d🌈']) {
        const res = await enter(name);
        expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
        expect(res.json.user?.displayName ?? res.json.participant.displayName).toBe(name);
      }
      for (const name of ['Ann\u200d💻', '👩\u200dLee', '👩\u200d\u200d💻']) expect((await enter(name)).status).toBe(400);
    });

    it('refuses a name over 60 characters', async () => {
      expect((await enter('x'.repeat(61))).status).toBe(400);
      expect((await enter('x'.repeat(60))).status).toBeLessThan(300);
    });
  });

  it('marks guests as guests in the room, so "Ann Lee" the guest is not Ann Lee the member', async () => {
    const s = await newSession(owner);
    await owner.client.post(`/api/sessions/${s.id}/join`, { role: 'voter' });
    await guest(reckon, s.joinCode, 'Ann Lee');
    const people = (await poll(owner.client, s.id)).json.participants;
    expect(people.map((p: { displayName: string; kind: string }) => [p.displayName, p.kind])).toEqual([['Ann Lee', 'user'], ['Ann Lee', 'guest']]);
  });
});
