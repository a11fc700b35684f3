// `npm run build`: each function bundled on its own into dist/functions/<name> (with a
// package.json listing only the packages that bundle needs at run time, and a package-lock.json
// cut from the project's, so a deploy installs the versions the tests ran with), and the site into
// dist/web with content-hashed asset names. Prints every bundle's size.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { subsetLockfile, type Lockfile } from './lockfile.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');

/**
 * Left out of the bundles and installed by the runtime: native code, the framework the
 * runtime starts, and Google clients that read their protos from disk at run time (google-gax is
 * the one Firestore's client runs on; shared/store/firestore.ts takes its GoogleAuth from it, so
 * it must be that copy, not a second one bundled).
 */
const RUNTIME_PACKAGES = ['@google-cloud/functions-framework', '@google-cloud/firestore', '@google-cloud/secret-manager', 'google-gax', '@node-rs/argon2', '@zxcvbn-ts/language-common'];

/** Code that belongs in some bundles only (or none): the build fails when it shows up elsewhere. */
const CONFINED: { pattern: RegExp; only: string[]; what: string }[] = [
  { pattern: /node_modules\/jira\.js\//, only: ['jira', 'jobs', 'forge'], what: 'the Jira client (jira.js)' },
  { pattern: /node_modules\/(@google\/genai|google-auth-library|gaxios|gtoken)\//, only: ['ai'], what: 'the Gemini client (@google/genai) and its auth' },
  { pattern: /node_modules\/@grpc\//, only: [], what: 'gRPC (it comes with the Google clients at run time)' },
  { pattern: /node_modules\/(firebase-admin|firebase|@firebase)\//, only: [], what: 'Firebase SDKs (tests only)' },
  { pattern: /node_modules\/@zxcvbn-ts\//, only: [], what: 'the common-password list (auth loads it at run time)' },
  { pattern: /^(test|emulator|scripts|web)\//, only: [], what: 'test, emulator, script or site code' },
  // `import { z } from 'zod'` makes esbuild keep the whole namespace, every translation included
  // (258 KiB of a 522 KiB bundle, about 24 ms of a cold start); `import * as z from 'zod'` does not.
  // jira.js imports zod the first way, so the functions that bundle it carry them.
  { pattern: /node_modules\/zod\/v4\/locales\/(?!en\.js$)/, only: ['jira', 'jobs', 'forge'], what: "zod's translations (import zod as `import * as z from 'zod'`)" },
];

/** What a bundle contains that it must not, by the input files esbuild reports. */
export function confinementViolations(name: string, inputs: string[]): string[] {
  return CONFINED.filter((c) => !c.only.includes(name) && inputs.some((i) => c.pattern.test(i)))
    .map((c) => `functions/${name} must not contain ${c.what}: ${inputs.filter((i) => c.pattern.test(i)).slice(0, 3).join(', ')}`);
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export async function buildWeb(outDir = path.join(DIST, 'web')): Promise<void> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { app: path.join(ROOT, 'web/src/main.tsx'), styles: path.join(ROOT, 'web/src/styles.css') },
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true, minify: true, sourcemap: true, format: 'esm', target: 'es2022',
    jsx: 'automatic', jsxImportSource: 'preact',
    metafile: true, logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
  const js = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'))!;
  const css = outputs.find((f) => f.startsWith('styles-') && f.endsWith('.css'))!;
  const html = fs.readFileSync(path.join(ROOT, 'web/index.html'), 'utf8').replace('%JS%', js).replace('%CSS%', css);
  fs.writeFileSync(path.join(outDir, 'index.html'), html);
  for (const [file, out] of Object.entries(result.metafile.outputs)) if (!file.endsWith('.map')) console.log(`web  ${path.relative(DIST, file).padEnd(40)} ${kib(out.bytes)}`);
}

export interface BuiltFunction { name: string; dir: string; bytes: number; /** The source files bundled (esbuild's metafile). */ inputs: string[]; runtimeDeps: string[] }

/**
 * Bundles every function (or the given entry points) into `outRoot/<name>`. `confine: false` only
 * for the bench's comparison bundles (script code by design); `minify` and `banner` let the bench
 * build the variants it compares (docs/performance.md, "Cold start").
 */
export async function buildFunctions(outRoot = path.join(DIST, 'functions'), entries?: { name: string; entry: string }[], { confine = true, minify = true, banner = '' } = {}): Promise<BuiltFunction[]> {
  const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const rootLock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  const built: BuiltFunction[] = [];
  const names = fs.readdirSync(path.join(ROOT, 'functions')).filter((n) => fs.existsSync(path.join(ROOT, 'functions', n, 'index.ts')));
  for (const { name, entry } of entries ?? names.map((n) => ({ name: n, entry: path.join(ROOT, 'functions', n, 'index.ts') }))) {
    const outDir = path.join(outRoot, name);
    fs.rmSync(outDir, { recursive: true, force: true });
    const result = await esbuild.build({
      entryPoints: [entry],
      outfile: path.join(outDir, 'index.js'),
      bundle: true, platform: 'node', target: 'node22', format: 'esm', minify, sourcemap: 'linked',
      external: RUNTIME_PACKAGES,
      // Bundled CommonJS code may call require(); give ESM output one.
      banner: { js: `import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);${banner}` },
      metafile: true, logLevel: 'warning',
    });
    const inputs = Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
    const violations = confine ? confinementViolations(name, inputs) : [];
    if (violations.length > 0) throw new Error(violations.join('\n'));
    const imported = new Set<string>();
    for (const out of Object.values(result.metafile.outputs)) for (const i of out.imports) if (i.external) imported.add(i.path.startsWith('@') ? i.path.split('/').slice(0, 2).join('/') : i.path.split('/')[0]!);
    const needed = [...imported].filter((p) => RUNTIME_PACKAGES.includes(p)).sort();
    for (const p of needed) if (!rootPkg.dependencies[p]) throw new Error(`functions/${name} needs ${p} at run time, but it is not in package.json's dependencies`);
    // Exact versions in both files: what runs is what the tests ran, whatever the registry has since.
    const { lockfile, dependencies: deps } = subsetLockfile(rootLock, `reckon-${name}`, needed);
    fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify({ name: `reckon-${name}`, private: true, type: 'module', main: 'index.js', engines: { node: '22' }, dependencies: deps }, null, 2)}\n`);
    fs.writeFileSync(path.join(outDir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
    const bytes = fs.statSync(path.join(outDir, 'index.js')).size;
    console.log(`fn   ${`functions/${name}/index.js`.padEnd(40)} ${kib(bytes)}  runtime deps: ${Object.keys(deps).join(', ') || 'none'}`);
    built.push({ name, dir: outDir, bytes, inputs, runtimeDeps: Object.keys(deps) });
  }
  return built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const only = process.argv[2];
  if (only !== 'functions') await buildWeb();
  if (only !== 'web') await buildFunctions();
}
