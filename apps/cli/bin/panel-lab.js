#!/usr/bin/env node
// Entry of the `panel-lab` command. Installed from npm it runs the build (dist/, plain JavaScript);
// in a checkout of the repository it runs the TypeScript sources through tsx, so it never runs a
// stale build (PANEL_LAB_COMPILED=1 runs the build there too; `npm run build` makes it).
import { existsSync } from 'node:fs';

const source = new URL('../src/main.ts', import.meta.url);
const fromSource = process.env.PANEL_LAB_COMPILED !== '1' && existsSync(source);
if (fromSource) {
  const { registerSource } = await import(new URL('../../../scripts/source-mode.mjs', import.meta.url).href);
  registerSource();
}
const compiled = new URL('../dist/main.js', import.meta.url);
if (!fromSource && !existsSync(compiled)) {
  process.stderr.write('panel-lab: the build is missing (apps/cli/dist); run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import((fromSource ? source : compiled).href);
process.exitCode = await main(process.argv);
