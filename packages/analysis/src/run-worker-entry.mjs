// Entry of a run's worker thread. Worker threads do not inherit the main thread's TypeScript loader
// on Node 20, so when running from source the loader is registered here first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('./run-worker.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('./run-worker.js', import.meta.url).href);
}
