// Entry of a run's worker thread. Next to the TypeScript sources (a checkout) it registers tsx and
// the workspace's source export condition first: worker threads do not inherit the main thread's
// loaders on Node 20. Next to the build (dist/, where tsc copies this file: allowJs) it runs the
// compiled JavaScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('./run-worker.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { registerSource } = await import(new URL('../../../scripts/source-mode.mjs', import.meta.url).href);
  registerSource();
  await import(source.href);
} else {
  await import(new URL('./run-worker.js', import.meta.url).href);
}
