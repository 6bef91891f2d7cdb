import { configFromEnv } from './config.js';
import { startApiServer } from './server.js';

/** `npm run start -w @panel-lab/api`: configuration from the environment (README.md). */
export async function main(): Promise<void> {
  const config = configFromEnv();
  // Last resort. The known source (BullMQ's Job.waitUntilFinished awaiting a Redis read inside an
  // async promise executor) is gone and every connection has an error listener; should another
  // library-internal Redis command still reject with no caller, it is logged and survived, since the
  // executor's watch re-reads every task and re-adds or fails it. The chaos suite counts these lines
  // and requires 0. Any other unhandled rejection is a bug: logged, then the process exits (as Node would).
  process.on('unhandledRejection', (reason) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    const redisDrop = error.name === 'MaxRetriesPerRequestError' || /max retries per request|Connection is closed|Stream isn't writeable/i.test(error.message);
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: redisDrop ? 'warn' : 'error', message: redisDrop ? 'Redis command lost in a reconnect; continuing' : 'unhandled rejection; exiting', error: error.message, stack: error.stack })}\n`);
    if (!redisDrop) process.exit(1);
  });
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
