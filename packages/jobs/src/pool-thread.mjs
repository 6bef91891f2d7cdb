// Worker-thread bootstrap. Next to the TypeScript sources (a checkout) it registers tsx and the
// workspace's source export condition first (worker threads do not inherit loaders on Node 20);
// next to the build (dist/, where tsc copies this file: allowJs) it runs the compiled JavaScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A pool thread must never load the DuckDB native addon: terminating a thread that has it loaded
// (a cancel past its grace period, the pool closing) can abort the whole process in node-addon-api's
// teardown ("terminate called after throwing an instance of 'Napi::Error'"). Tasks read datasets as
// Arrow IPC (task-frames.ts); a load attempt fails the task with this message instead.
const dlopen = process.dlopen;
process.dlopen = function guardedDlopen(module, filename, ...rest) {
  if (/duckdb/i.test(String(filename))) {
    throw new Error(`the DuckDB native addon must not load in a job pool thread (a terminated thread with it loaded can abort the process); tasks read datasets as Arrow IPC copies: ${filename}`);
  }
  return dlopen.call(this, module, filename, ...rest);
};

const source = new URL('./pool-thread.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { registerSource } = await import(new URL('../../../scripts/source-mode.mjs', import.meta.url).href);
  registerSource();
  await import(source.href);
} else {
  await import(new URL('./pool-thread.js', import.meta.url).href);
}
