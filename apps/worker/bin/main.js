#!/usr/bin/env node
// Entry of a queue worker process: the build (dist/) where there is no src/ (the Docker image) or
// with PANEL_LAB_COMPILED=1; in a checkout, the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const source = new URL('../src/main.ts', import.meta.url);
const fromSource = process.env.PANEL_LAB_COMPILED !== '1' && existsSync(source);
if (fromSource) {
  const { registerSource } = await import(new URL('../../../scripts/source-mode.mjs', import.meta.url).href);
  registerSource();
}
const { main } = await import((fromSource ? source : new URL('../dist/main.js', import.meta.url)).href);
await main();
