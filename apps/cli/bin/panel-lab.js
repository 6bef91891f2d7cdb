#!/usr/bin/env node
// Entry of the `panel-lab` command: registers tsx so the workspace's TypeScript sources run directly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
