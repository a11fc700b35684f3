// Validates manifest.yml offline with @forge/manifest, the package `forge lint` uses for the
// manifest: the published JSON schema plus Forge's own validators (modules, permissions,
// resources, remotes, runtime). `forge lint` itself needs a logged-in Forge CLI, so CI runs this.
import { validate } from '@forge/manifest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(dir);
const result = await validate(false, path.join(dir, 'manifest.yml'));
const errors = (result.errors ?? []).filter((e) => e.level !== 'warning');
for (const e of result.errors ?? []) console.log(`${e.level ?? 'error'}: ${e.message}${e.reference ? ` (${e.reference})` : ''}`);
if (!result.success || errors.length > 0) { console.error('manifest.yml is not valid'); process.exit(1); }
console.log('manifest.yml is valid');
