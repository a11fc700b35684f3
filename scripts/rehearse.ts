// `npm run rehearse`: the deploy rehearsed on this machine. Builds every function and the site
// into a temp folder, installs each function from its own lockfile with production flags (from
// the npm cache only), checks what got installed, starts each with the Cloud Functions runtime's
// command on a port of its own against the embedded emulator, puts the site and firebase.json's
// rewrites in front of them on one port, runs the smoke (scripts/rehearse/smoke.ts) through it,
// stops everything it started, and prints PASS or FAIL (exit 0 or 1).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { buildFunctions, buildWeb, type BuiltFunction } from './build.js';
import { installArtifact, installedPackages, freePort, startFunction, waitUntilServing, stopFunction, type RunningFunction } from './rehearse/artifacts.js';
import { createHostingProxy } from './rehearse/hosting-proxy.js';
import { smoke, type Step } from './rehearse/smoke.js';
import { startEmulator, type RunningEmulator } from '../emulator/src/index.js';
import { DEPLOY, type FunctionName } from '../deploy/settings.js';
import { functionEnvironment } from './deploy-plan.js';
import { startFakeJira, type FakeJira } from '../test/support/fakes/jira.js';
import { startFakeGoogleOidc, type FakeGoogleOidc } from '../test/support/fakes/google-oidc.js';
import { startFakeForge, type FakeForge } from '../test/support/fakes/forge.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const JIRA = { site: 'https://acme-poker.atlassian.net', email: 'rehearsal@acme.example', apiToken: 'ATATT3x-rehearsal-token-0001' };
const SCHEDULER = 'reckon-scheduler@demo-rehearsal.iam.gserviceaccount.com';
/** Packages no deployed function may carry: tooling, test SDKs, and code that is bundled where it is used. */
const NEVER_INSTALLED = ['jira.js', 'firebase', 'firebase-admin', '@firebase/rules-unit-testing', 'vitest', 'esbuild', 'tsx', 'typescript', 'playwright-core', 'preact', 'zod', 'jose', '@google/genai'];
const DEADLINE_MS = 5 * 60_000;

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-rehearsal-'));
const logs = path.join(temp, 'logs');
fs.mkdirSync(logs);
const started = Date.now();
const results: { name: string; ok: boolean; detail?: string }[] = [];
const step: Step = async (name, check) => {
  const t = Date.now();
  try {
    await check();
    results.push({ name, ok: true });
    console.log(`  ok    ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    results.push({ name, ok: false, detail });
    console.log(`  FAIL  ${name}\n        ${detail}`);
    throw e;
  }
};

/** The installed version of a package in a node_modules tree. */
const versionIn = (dir: string, pkg: string) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;

function checkArtifact(fn: BuiltFunction): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(fn.dir, 'package.json'), 'utf8'));
  const installed = installedPackages(fn.dir);
  for (const [dep, version] of Object.entries<string>(pkg.dependencies)) {
    const tested = versionIn(ROOT, dep);
    if (versionIn(fn.dir, dep) !== tested || version !== tested) throw new Error(`${fn.name}: ${dep} ${versionIn(fn.dir, dep)} installed, the tests ran ${tested}`);
  }
  const forbidden = installed.filter((p) => NEVER_INSTALLED.includes(p));
  if (forbidden.length) throw new Error(`${fn.name} installs ${forbidden.join(', ')}`);
  if (!fn.runtimeDeps.includes('@node-rs/argon2') && installed.includes('@node-rs/argon2')) throw new Error(`${fn.name} installs argon2 without checking passwords`);
  const strays = fn.inputs.filter((i) => /^(test|emulator|scripts|web)\//.test(i));
  if (strays.length) throw new Error(`${fn.name} bundles ${strays.slice(0, 3).join(', ')}`);
}

/** Runs `work` over `items`, at most `width` at a time (the machine has few cores). */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => { for (let item = queue.shift(); item; item = queue.shift()) await work(item); }));
}

let emulator: RunningEmulator | undefined;
let jira: FakeJira | undefined;
let google: FakeGoogleOidc | undefined;
let forge: FakeForge | undefined;
let proxy: http.Server | undefined;
const running: RunningFunction[] = [];

async function rehearse(): Promise<void> {
  console.log(`Rehearsing the deploy in ${temp} with Node ${process.version}`);
  if (!process.version.startsWith('v22.')) throw new Error(`Cloud Functions runs nodejs22; this is ${process.version} (run through npm run)`);
  let built: BuiltFunction[] = [];
  await step('build every function and the site', async () => {
    await buildWeb(path.join(temp, 'web'));
    built = await buildFunctions(path.join(temp, 'functions'));
  });
  await step('install each function from its lockfile (npm ci --omit=dev --offline)', async () => {
    await inParallel(built, 2, (fn) => installArtifact(fn.dir, path.join(logs, `${fn.name}-install.log`)));
  });
  await step('each artifact has the tested versions and nothing it does not need', async () => { for (const fn of built) checkArtifact(fn); });

  emulator = await startEmulator();
  jira = await startFakeJira({ email: JIRA.email, apiToken: JIRA.apiToken });
  google = await startFakeGoogleOidc();
  forge = await startFakeForge();
  const proxyPort = await freePort();
  const siteOrigin = `http://127.0.0.1:${proxyPort}`;
  const env = {
    FIRESTORE_EMULATOR_HOST: emulator.host, GOOGLE_CLOUD_PROJECT: 'demo-rehearsal', METADATA_SERVER_DETECTION: 'none',
    RECKON_SITE_ORIGIN: siteOrigin, RECKON_JIRA_FAKE_URL: jira.url, RECKON_SCHEDULER_SA: SCHEDULER, RECKON_OIDC_JWKS_URL: google.jwksUrl, RECKON_LOG_LEVEL: 'warn',
    ...forge.env,
  };
  await step('start each function with `npx functions-framework --target=<name> --signature-type=http` and its deploy settings\' Firestore transport', async () => {
    for (const fn of built) {
      const settings = DEPLOY.functions[fn.name as FunctionName];
      if (!settings) throw new Error(`functions/${fn.name} has no deploy settings (deploy/settings.ts)`);
      running.push(startFunction(fn.name, fn.dir, await freePort(), functionEnvironment(env, settings), path.join(logs, `${fn.name}.log`)));
    }
    await Promise.all(running.map((fn) => waitUntilServing(fn)));
  });
  proxy = http.createServer(createHostingProxy(path.join(temp, 'web'), new Map(running.map((fn) => [fn.name, fn.port]))));
  await new Promise<void>((resolve) => proxy!.listen(proxyPort, '127.0.0.1', resolve));
  const [oidc, platform] = [google, forge];
  await smoke({ url: siteOrigin, projectId: 'demo-rehearsal', close: async () => {} }, {
    jira: JIRA, schedulerToken: (aud) => oidc.sign({ aud, email: SCHEDULER }),
    forgeToken: () => { const site = platform.newSite(); return platform.invocationToken(site).then((token) => ({ cloudId: site.cloudId, token })); },
  }, step);
}

async function stopEverything(): Promise<void> {
  await Promise.all(running.map(stopFunction));
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await jira?.close();
  await google?.close();
  await forge?.close();
  await emulator?.stop();
}

const timer = setTimeout(() => { console.log(`  FAIL  the rehearsal took longer than ${DEADLINE_MS / 1000} s`); void stopEverything().finally(() => process.exit(1)); }, DEADLINE_MS);
let failure: unknown;
try {
  await rehearse();
} catch (e) {
  failure = e;
} finally {
  await stopEverything();
  clearTimeout(timer);
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (failure) {
  if (!results.some((r) => !r.ok)) console.log(`  FAIL  ${failure instanceof Error ? failure.stack : String(failure)}`);
  for (const fn of running) {
    const log = fs.existsSync(fn.logFile) ? fs.readFileSync(fn.logFile, 'utf8').trim().split('\n').slice(-5).join('\n        ') : '';
    if (log) console.log(`  ${fn.name} log (last lines):\n        ${log}`);
  }
  for (const entry of fs.readdirSync(temp)) if (entry !== 'logs') fs.rmSync(path.join(temp, entry), { recursive: true, force: true });
  console.log(`\nREHEARSAL FAILED after ${seconds} s (${results.filter((r) => r.ok).length} steps passed). Logs kept in ${logs}`);
  process.exit(1);
}
fs.rmSync(temp, { recursive: true, force: true }); // seven installs: this takes a while on a busy disk
console.log(`\nREHEARSAL PASSED: ${results.length} steps in ${((Date.now() - started) / 1000).toFixed(0)} s; every process it started is stopped and its temp folder removed.`);
process.exit(0);
