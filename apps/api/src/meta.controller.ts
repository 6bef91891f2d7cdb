import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { runSpecJsonSchema } from '@panel-lab/analysis';
import { PlaceboJobSpec, type JobSystem } from '@panel-lab/jobs';
import { z } from 'zod';
import { JOB_SYSTEM } from './tokens.js';

/** Unauthenticated: liveness, readiness and the published schemas (no tenant data). */
@ApiTags('meta')
@Controller()
export class MetaController {
  constructor(@Inject(JOB_SYSTEM) private readonly system: JobSystem) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process answers.' })
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the metadata store answers and the executor (threads or queue) accepts work; 503 otherwise.' })
  async ready() {
    try {
      await this.system.store.tenantOfKey('readiness-probe');
      await this.system.executor.checkAvailable();
    } catch (error) {
      throw new ServiceUnavailableException(`not ready: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { status: 'ready', executor: this.system.executor.name };
  }

  @Get('v1/schemas/analysis')
  @ApiOperation({ summary: 'JSON Schema of the analysis spec (the CLI uses the same).' })
  analysisSchema() {
    return runSpecJsonSchema();
  }

  @Get('v1/schemas/placebo')
  @ApiOperation({ summary: 'JSON Schema of a placebo job.' })
  placeboSchema() {
    return z.toJSONSchema(PlaceboJobSpec, { io: 'input', unrepresentable: 'any' });
  }
}
