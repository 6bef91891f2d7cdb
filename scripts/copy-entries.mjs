// Build step after tsc: copies the plain-JavaScript worker-thread entries (src/**/*.mjs), which tsc
// does not emit, into dist/ beside the compiled modules they load. Run from a package's folder.
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

let copied = 0;
for (const entry of readdirSync('src', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.mjs')) continue;
  const from = join(entry.parentPath, entry.name);
  cpSync(from, join('dist', from.slice('src/'.length)));
  copied += 1;
}
if (copied === 0) throw new Error(`copy-entries: no src/**/*.mjs in ${process.cwd()}; drop this step from its build script`);
