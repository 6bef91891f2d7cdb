// Worker-thread bootstrap: registers tsx so the workspace's TypeScript task code runs as is.
import { register } from 'tsx/esm/api';

register();
await import('./pool-thread.ts');
