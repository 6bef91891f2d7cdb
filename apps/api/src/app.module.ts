import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { JobSystem } from '@panel-lab/jobs';
import { ApiKeyGuard } from './api-key.guard.js';
import type { FailedAuthLimiter } from './auth-limiter.js';
import { DatasetsController } from './datasets.controller.js';
import { ErrorsFilter } from './errors.filter.js';
import { JobsController } from './jobs.controller.js';
import type { JsonLogger } from './logger.js';
import { MetaController } from './meta.controller.js';
import type { SseHub } from './sse-hub.js';
import { AUTH_LIMITER, JOB_SYSTEM, LOGGER, SSE_HUB } from './tokens.js';

/** The HTTP layer over an opened job system (the composition root passes it in). */
@Module({})
export class AppModule {
  static register(system: JobSystem, logger: JsonLogger, hub: SseHub, limiter: FailedAuthLimiter): DynamicModule {
    return {
      module: AppModule,
      controllers: [MetaController, DatasetsController, JobsController],
      providers: [
        { provide: JOB_SYSTEM, useValue: system },
        { provide: LOGGER, useValue: logger },
        { provide: SSE_HUB, useValue: hub },
        { provide: AUTH_LIMITER, useValue: limiter },
        { provide: APP_FILTER, useClass: ErrorsFilter },
        ApiKeyGuard,
      ],
    };
  }
}
