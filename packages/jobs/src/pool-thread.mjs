// Worker-thread bootstrap. Next to the TypeScript sources (a checkout) it registers tsx and the
// workspace's source export condition first (worker threads do not inherit loaders on Node 20);
// next to the build (dist/, where tsc copies this file: allowJs) it runs the compiled JavaScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('./pool-thread.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { registerSource } = await import(new URL('../../../scripts/source-mode.mjs', import.meta.url).href);
  registerSource();
  await import(source.href);
} else {
  await import(new URL('./pool-thread.js', import.meta.url).href);
}
