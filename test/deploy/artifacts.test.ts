// Issue #20 item 2: what deploys is what was tested. Each function ships a lockfile cut from the
// project's (same versions, same integrity hashes) holding only its own runtime dependencies.
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../scripts/build.js';
import { resolveIn, subsetLockfile, type Lockfile } from '../../scripts/lockfile.js';
import { sessionCookieOnly } from '../../scripts/rehearse/hosting-proxy.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-artifacts-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
const rootLock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as Lockfile;

describe('a function artifact pins what the tests ran', () => {
  it('votes ships package.json and package-lock.json with the exact versions and hashes of the project lockfile, and nothing from devDependencies', async () => {
    const [votes] = await buildFunctions(out, [{ name: 'votes', entry: path.resolve('functions/votes/index.ts') }]);
    const pkg = JSON.parse(fs.readFileSync(path.join(votes!.dir, 'package.json'), 'utf8'));
    const lock = JSON.parse(fs.readFileSync(path.join(votes!.dir, 'package-lock.json'), 'utf8')) as Lockfile;
    expect(Object.keys(pkg.dependencies)).toEqual(votes!.runtimeDeps);
    for (const [dep, version] of Object.entries<string>(pkg.dependencies)) expect(version).toBe(rootLock.packages[`node_modules/${dep}`]!.version);
    expect(lock.packages['']!.dependencies).toEqual(pkg.dependencies);
    for (const [at, entry] of Object.entries(lock.packages)) {
      if (!at) continue;
      expect([at, entry.version, entry.integrity]).toEqual([at, rootLock.packages[at]!.version, rootLock.packages[at]!.integrity]);
      expect(entry.dev).toBeUndefined();
      for (const dep of Object.keys(entry.dependencies ?? {})) expect(resolveIn(lock.packages, at, dep), `${at} needs ${dep}`).toBeDefined();
    }
    for (const devOnly of ['node_modules/vitest', 'node_modules/firebase-admin', 'node_modules/jira.js', 'node_modules/@node-rs/argon2', 'node_modules/esbuild']) expect(lock.packages[devOnly]).toBeUndefined();
  }, 60_000);
});

describe('cutting a lockfile', () => {
  const root: Lockfile = { name: 'r', lockfileVersion: 3, packages: {
    '': { name: 'r' },
    'node_modules/a': { version: '1.0.0', dependencies: { b: '^2' }, optionalDependencies: { 'a-linux': '1.0.0' } },
    'node_modules/a/node_modules/b': { version: '2.0.0', dependencies: { c: '^1' } },
    'node_modules/a-linux': { version: '1.0.0', optional: true },
    'node_modules/b': { version: '1.0.0', dev: true },
    'node_modules/c': { version: '1.0.0' },
    'node_modules/d': { version: '1.0.0', dependencies: { missing: '^1' } },
  } };
  it('follows Node resolution (a nested copy before the hoisted one) and keeps optional platform packages', () => {
    const { lockfile, dependencies } = subsetLockfile(root, 'fn', ['a']);
    expect(dependencies).toEqual({ a: '1.0.0' });
    expect(Object.keys(lockfile.packages)).toEqual(['', 'node_modules/a', 'node_modules/a-linux', 'node_modules/a/node_modules/b', 'node_modules/c']);
  });
  it('refuses a dependency the project lockfile does not have', () => {
    expect(() => subsetLockfile(root, 'fn', ['d'])).toThrow(/node_modules\/d needs missing/);
    expect(() => subsetLockfile(root, 'fn', ['zzz'])).toThrow(/zzz is not in package-lock.json/);
  });
});

describe('the rehearsal hosting proxy', () => {
  it('passes only the __session cookie to functions, as Firebase Hosting does', () => {
    expect(sessionCookieOnly('a=1; __session=tok; b=2')).toBe('__session=tok');
    expect(sessionCookieOnly('a=1')).toBeUndefined();
    expect(sessionCookieOnly(undefined)).toBeUndefined();
  });
});
