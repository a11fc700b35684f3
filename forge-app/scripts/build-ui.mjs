// Bundles each Custom UI page (static/<page>/<page>.js with @forge/bridge) into static/<page>/build/,
// with its index.html: Forge hosts a resource's folder as plain static files (manifest.yml
// `resources` point at the build folders), so the page's bare `import '@forge/bridge'` must be
// resolved here. One external module script per page: Forge's CSP allows no inline script.
import { build } from 'esbuild';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PAGES = ['admin', 'action'];
const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Builds every page into `<outRoot>/<page>/` (default: static/<page>/build/, what Forge deploys). */
export async function buildUi(outRoot) {
  const dirs = {};
  for (const page of PAGES) {
    const src = path.join(appDir, 'static', page);
    const out = outRoot ? path.join(outRoot, page) : path.join(src, 'build');
    await fs.rm(out, { recursive: true, force: true });
    await build({
      entryPoints: [path.join(src, `${page}.js`)], outfile: path.join(out, `${page}.js`),
      bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, legalComments: 'none',
      logLevel: 'warning', absWorkingDir: appDir,
    });
    await fs.copyFile(path.join(src, 'index.html'), path.join(out, 'index.html'));
    dirs[page] = out;
  }
  return dirs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = await buildUi(process.argv[2]);
  for (const [page, dir] of Object.entries(dirs)) console.log(`${page}: ${path.relative(process.cwd(), dir)}`);
}
