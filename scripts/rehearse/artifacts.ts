// The built functions as Cloud Functions runs them: each copied into a clean folder, installed
// from its own lockfile with production flags, and started with the runtime's command.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

/** Node 22 (this process's) first on PATH, so `npx` and the framework's `#!/usr/bin/env node` use it. */
export const childPath = () => [path.dirname(process.execPath), process.env.PATH].join(path.delimiter);

export function run(command: string, args: string[], cwd: string, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(command, args, { cwd, stdio: ['ignore', out, out], env: { ...process.env, PATH: childPath() } });
    child.on('error', reject);
    child.on('exit', (code) => { fs.closeSync(out); if (code === 0) resolve(); else reject(new Error(`${command} ${args.join(' ')} in ${cwd} exited ${code} (see ${logFile})`)); });
  });
}

/** `npm ci` with production flags, from the npm cache only: the lockfile must name what the project installed. */
export const installArtifact = (dir: string, logFile: string) =>
  run('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], dir, logFile);

/** Top-level packages npm installed (scoped ones as `@scope/name`). */
export function installedPackages(dir: string): string[] {
  const nm = path.join(dir, 'node_modules');
  return fs.readdirSync(nm).filter((n) => !n.startsWith('.')).flatMap((n) => (n.startsWith('@') ? fs.readdirSync(path.join(nm, n)).map((m) => `${n}/${m}`) : [n])).sort();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address() as net.AddressInfo; server.close(() => resolve(port)); });
  });
}

export interface RunningFunction { name: string; port: number; child: ChildProcess; logFile: string }

/** `npx functions-framework --target=<name> --signature-type=http` in the artifact folder, on PORT. */
export function startFunction(name: string, dir: string, port: number, env: Record<string, string>, logFile: string): RunningFunction {
  const out = fs.openSync(logFile, 'a');
  const child = spawn('npx', ['functions-framework', `--target=${name}`, '--signature-type=http'], {
    cwd: dir, detached: true, stdio: ['ignore', out, out],
    env: { PATH: childPath(), HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', PORT: String(port), K_SERVICE: name, FUNCTION_TARGET: name, FUNCTION_SIGNATURE_TYPE: 'http', ...env },
  });
  child.on('exit', () => fs.closeSync(out));
  return { name, port, child, logFile };
}

/** Waits until the function answers HTTP at all (any status), or its process ends. */
export async function waitUntilServing(fn: RunningFunction, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fn.child.exitCode !== null) throw new Error(`${fn.name} exited with ${fn.child.exitCode} before serving (see ${fn.logFile})`);
    try {
      await fetch(`http://127.0.0.1:${fn.port}/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch { await new Promise((r) => setTimeout(r, 200)); }
  }
  throw new Error(`${fn.name} did not answer on port ${fn.port} within ${timeoutMs / 1000} s (see ${fn.logFile})`);
}

/** Ends a function's whole process group (npx and the node it started): TERM, then KILL after 3 s. */
export async function stopFunction(fn: RunningFunction): Promise<void> {
  if (fn.child.exitCode !== null || fn.child.signalCode !== null || !fn.child.pid) return;
  const exited = new Promise<void>((resolve) => fn.child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => { try { process.kill(-fn.child.pid!, s); } catch { /* already gone */ } };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // anything left in the group
}
