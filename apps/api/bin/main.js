#!/usr/bin/env node
// Entry of the API server: registers tsx (TypeScript sources run directly; tsconfig.json turns on
// experimentalDecorators for Nest), then starts it with configuration from the environment.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
const { main } = await import('../src/main.ts');
await main();
