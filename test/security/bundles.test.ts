// Issue #15 item 17: the votes bundle was 897 KiB, 414 KiB of it @grpc/grpc-js pulled in by a
// test-only import, and firebase-admin was a dependency nothing deployed imports. Bundles now hold
// only what runs in production, and the build refuses code a bundle must not contain.
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions, confinementViolations } from '../../scripts/build.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-bundles-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
const rootPkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));

describe('issue #15 item 17: function bundles carry no test-only code and no unused dependencies', () => {
  it('votes bundles neither gRPC nor any test, emulator or script code, and declares only what it loads', async () => {
    const [votes] = await buildFunctions(out, [{ name: 'votes', entry: path.resolve('functions/votes/index.ts') }]);
    expect(votes!.inputs.filter((i) => /@grpc|google-gax|^test\/|^emulator\/|^scripts\//.test(i))).toEqual([]);
    expect(votes!.bytes).toBeLessThan(600 * 1024); // 897 KiB with gRPC (146 KiB since zod's translations left)
    // google-gax is the copy Firestore's client runs on (shared/store/firestore.ts takes its GoogleAuth), never bundled.
    expect(votes!.runtimeDeps).toEqual(['@google-cloud/firestore', '@google-cloud/functions-framework', '@google-cloud/secret-manager', 'google-gax']);
  }, 60_000);

  it('only auth, which sets passwords, depends on the common-password list, and no bundle contains it', async () => {
    const [auth] = await buildFunctions(out, [{ name: 'auth', entry: path.resolve('functions/auth/index.ts') }]);
    expect(auth!.runtimeDeps).toContain('@zxcvbn-ts/language-common');
    expect(auth!.inputs.filter((i) => i.includes('@zxcvbn-ts'))).toEqual([]);
  }, 60_000);

  it('deploys no dependency that no function imports (firebase-admin, gRPC are for tests and the emulator)', () => {
    for (const unused of ['firebase-admin', '@grpc/grpc-js', '@grpc/proto-loader']) expect(rootPkg.dependencies[unused]).toBeUndefined();
  });

  it('the build fails when a function bundles code it must not (jira.js outside jira, jobs and forge)', async () => {
    const entry = path.resolve('test/fixtures/bundles/imports-jira.ts');
    await expect(buildFunctions(out, [{ name: 'votes', entry }])).rejects.toThrow(/functions\/votes must not contain the Jira client/);
    for (const allowed of ['jira', 'jobs', 'forge']) expect(confinementViolations(allowed, ['node_modules/jira.js/dist/index.js'])).toEqual([]);
    expect(confinementViolations('sessions', ['test/support/reckon.ts'])).toHaveLength(1);
  }, 60_000);

  it("the sessions bundle carries no zod translation, and the build refuses them outside the functions that bundle jira.js", async () => {
    const [sessions] = await buildFunctions(out, [{ name: 'sessions', entry: path.resolve('functions/sessions/index.ts') }]);
    expect(sessions!.inputs.filter((i) => i.includes('zod/v4/locales/'))).toEqual(['node_modules/zod/v4/locales/en.js']);
    expect(sessions!.bytes).toBeLessThan(250 * 1024); // 522 KiB with every translation
    expect(confinementViolations('sessions', ['node_modules/zod/v4/locales/de.js'])).toHaveLength(1);
    expect(confinementViolations('sessions', ['node_modules/zod/v4/locales/en.js'])).toEqual([]);
  }, 60_000);

  it('only the ai function may bundle the Gemini client (@google/genai) and its auth library', () => {
    for (const input of ['node_modules/@google/genai/dist/node/index.mjs', 'node_modules/google-auth-library/build/src/index.js']) {
      expect(confinementViolations('ai', [input])).toEqual([]);
      for (const other of ['sessions', 'votes', 'auth', 'jira', 'jobs', 'forge', 'teams', 'portal']) expect(confinementViolations(other, [input])).toHaveLength(1);
    }
  });
});
