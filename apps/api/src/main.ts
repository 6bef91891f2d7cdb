import { configFromEnv } from './config.js';
import { startApiServer } from './server.js';

/** `npm run start -w @panel-lab/api`: configuration from the environment (README.md). */
export async function main(): Promise<void> {
  const config = configFromEnv();
  if (config.apiKeys.length === 0) process.stderr.write('warning: PANEL_LAB_API_KEYS is empty; only keys registered earlier in the data directory work\n');
  const server = await startApiServer(config);
  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: draining (grace ${config.shutdownGraceMs} ms)\n`);
    // the drain is bounded by the grace period; this is the backstop should anything hang past it
    setTimeout(() => {
      process.stderr.write('shutdown did not finish within the grace period; exiting\n');
      process.exit(1);
    }, config.shutdownGraceMs + 5000).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
