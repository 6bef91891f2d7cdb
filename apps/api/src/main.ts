import { configFromEnv } from './config.js';
import { startApiServer } from './server.js';

/** `npm run start -w @panel-lab/api`: configuration from the environment (README.md). */
export async function main(): Promise<void> {
  const config = configFromEnv();
  if (config.apiKeys.length === 0) process.stderr.write('warning: PANEL_LAB_API_KEYS is empty; only keys registered earlier in the data directory work\n');
  const server = await startApiServer(config);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
