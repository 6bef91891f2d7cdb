import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BullMqExecutor, openJobSystem, type JobSystem } from '@panel-lab/jobs';
import { AppModule } from './app.module.js';
import type { ApiConfig } from './config.js';
import { FailedAuthLimiter } from './auth-limiter.js';
import { bodyParserErrors, drainGate, requestContext } from './http-middleware.js';
import { JsonLogger } from './logger.js';
import { drainApi, type DrainState } from './shutdown.js';
import { SseHub } from './sse-hub.js';

export interface ApiServer {
  readonly app: NestExpressApplication;
  readonly system: JobSystem;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Drains (shutdown.ts: SSE streams ended with a retry hint, running jobs finished or requeued) within the grace period, then closes. */
  close(): Promise<void>;
}

const JSON_LIMIT = '1mb';
/** How long the start waits for the job queue (Redis) before listening anyway (/ready then answers 503 until it is up). */
const STARTUP_QUEUE_WAIT_MS = 10_000;

/** Waits until the executor accepts work, at most `ms`; false (logged) when it did not. */
async function waitForExecutor(system: JobSystem, logger: JsonLogger, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await system.executor.checkAvailable();
      return true;
    } catch (error) {
      if (Date.now() >= until) {
        logger.write('warn', 'job queue not ready at start; listening anyway (/ready answers 503 until it is)', { waitedMs: ms, error: error instanceof Error ? error.message : String(error) });
        return false;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Opens the job system on the data directory, builds the Nest app with OpenAPI docs, and listens. */
export async function startApiServer(config: ApiConfig): Promise<ApiServer> {
  const logger = new JsonLogger(config.log === 'info');
  // Redis and PostgreSQL: the distributed engine (any number of replicas); Redis alone: this process schedules, workers run the tasks
  const distributed = config.redisUrl && config.databaseUrl;
  const executor = config.redisUrl && !distributed ? new BullMqExecutor({ redisUrl: config.redisUrl, queueName: config.queueName, logger, ...config.queue }) : undefined;
  const system = await openJobSystem({
    dataDir: config.dataDir,
    apiKeys: config.apiKeys,
    limits: config.limits,
    tenantLimits: config.tenantLimits,
    threads: config.threads,
    maxRunning: config.maxRunning,
    chunkConcurrency: config.chunkConcurrency,
    logger,
    ...(executor ? { executor } : {}),
    ...(config.databaseUrl ? { storeUrl: config.databaseUrl } : {}),
    ...(distributed
      ? {
          distributed: {
            redisUrl: config.redisUrl!,
            queueName: config.queueName,
            ...(config.tenantTasks !== undefined ? { tenantTasks: config.tenantTasks } : {}),
            ...(config.pollMs !== undefined ? { pollMs: config.pollMs } : {}),
            checkIntervalMs: config.queue.checkIntervalMs,
            lostAfterMs: config.queue.lostAfterMs,
            requeueLost: config.queue.requeueLost,
            unreachableAfterMs: config.queue.unreachableAfterMs,
            retention: config.queue.retention,
          },
        }
      : {}),
  });
  const hub = new SseHub();
  const state: DrainState = { draining: false };
  try {
    const app = await NestFactory.create<NestExpressApplication>(AppModule.register(system, logger, hub, new FailedAuthLimiter(config.authFailures, config.authWindowMs)), { logger: config.log === 'info' ? logger : false, bodyParser: false });
    app.use(requestContext(logger));
    app.use(drainGate(state));
    // JSON bodies only: uploads (CSV, Parquet, Arrow) stay unread streams for the datasets controller
    app.useBodyParser('json', { limit: JSON_LIMIT });
    app.use(bodyParserErrors(logger, JSON_LIMIT));
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Panel Lab API')
        .setDescription('Datasets, analysis jobs (the CLI spec), placebo jobs split into chunks, live progress, results and reports. Every /v1 data and job endpoint needs an API key.')
        .setVersion('0.1.0')
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
        .build(),
    );
    // Swagger UI assets come from the swagger-ui-dist package on disk (no CDN)
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
    // no enableShutdownHooks: Nest would re-raise the signal after its own close; main.ts drains instead
    // honest readiness: the port opens once the queue answers (a submit before then is accepted and waits for it anyway)
    const queueReady = await waitForExecutor(system, logger, config.startupQueueWaitMs ?? STARTUP_QUEUE_WAIT_MS);
    await app.listen(config.port, config.host);
    const address = (app.getHttpServer() as Server).address() as AddressInfo;
    const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    logger.write('info', 'api listening', { url, dataDir: config.dataDir, executor: system.executor.name, store: system.store.kind, queueReady });
    let closed = false;
    return {
      app,
      system,
      url,
      async close() {
        if (closed) return;
        closed = true;
        await drainApi({ httpServer: app.getHttpServer() as Server, hub, system, logger, state, graceMs: config.shutdownGraceMs, sseRetryMs: config.sseRetryMs });
        await app.close();
        await system.close();
      },
    };
  } catch (error) {
    await system.close();
    throw error;
  }
}
