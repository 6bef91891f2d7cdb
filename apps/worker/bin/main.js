#!/usr/bin/env node
// Entry of a queue worker process: registers tsx so the workspace's TypeScript sources run directly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main();
