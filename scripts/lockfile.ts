// A function's lockfile, cut from the project's: the packages a bundle needs at run time and
// everything they depend on, at the versions and places (node_modules paths) the tests ran with.
// `npm ci` on it installs exactly those, and nothing the function does not need.

export interface LockEntry {
  version?: string; resolved?: string; integrity?: string; license?: string;
  dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean; devOptional?: boolean; optional?: boolean; peer?: boolean; link?: boolean;
  [key: string]: unknown;
}
export interface Lockfile { name: string; version?: string; lockfileVersion: number; requires?: boolean; packages: Record<string, LockEntry> }

/** Where Node (and npm) find `name` from the package at `from`: its own node_modules, then each parent's. */
export function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** What an entry needs installed beside it: required deps must resolve; optional ones may be absent. */
function needs(entry: LockEntry): { name: string; required: boolean }[] {
  const peersOptional = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, required: true })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, required: false })),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => ({ name, required: !peersOptional[name]?.optional })),
  ];
}

/**
 * The lockfile of a package named `name` depending on `direct` (package names) only, cut from
 * `root`. The direct dependencies are pinned to the exact versions in `root`; throws when one of
 * them, or anything they require, is missing from it.
 */
export function subsetLockfile(root: Lockfile, name: string, direct: string[]): { lockfile: Lockfile; dependencies: Record<string, string> } {
  const all = root.packages;
  const kept = new Set<string>();
  const queue: string[] = [];
  const dependencies: Record<string, string> = {};
  for (const dep of [...direct].sort()) {
    const at = `node_modules/${dep}`;
    const entry = all[at];
    if (!entry?.version) throw new Error(`${dep} is not in package-lock.json (run npm install)`);
    dependencies[dep] = entry.version;
    queue.push(at);
  }
  while (queue.length) {
    const at = queue.pop()!;
    if (kept.has(at)) continue;
    kept.add(at);
    for (const { name: dep, required } of needs(all[at]!)) {
      const found = resolveIn(all, at, dep);
      if (found) queue.push(found);
      else if (required) throw new Error(`${at} needs ${dep}, which package-lock.json does not have`);
    }
  }
  const packages: Record<string, LockEntry> = { '': { name, dependencies } };
  for (const at of [...kept].sort()) {
    const { dev: _dev, devOptional, ...entry } = all[at]!;
    packages[at] = devOptional ? { ...entry, optional: true } : entry;
  }
  return { lockfile: { name, lockfileVersion: 3, requires: true, packages }, dependencies };
}
