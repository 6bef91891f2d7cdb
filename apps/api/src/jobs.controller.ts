import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { runSpecJsonSchema } from '@panel-lab/analysis';
import { PlaceboJobSpec, TERMINAL_STATES, type JobRecord, type JobSystem } from '@panel-lab/jobs';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiKeyGuard } from './api-key.guard.js';
import { csvToArrow } from './csv-arrow.js';
import type { JsonLogger } from './logger.js';
import { tenantOf, type TenantRequest } from './tenant.js';
import type { SseHub } from './sse-hub.js';
import { JOB_SYSTEM, LOGGER, SSE_HUB } from './tokens.js';
import { ZodPipe } from './zod.pipe.js';

const JobId = z.string().regex(/^job_[0-9a-f]{16}$/, 'a job id looks like job_0123456789abcdef');
/** A report artefact name: its id plus extension, never a path. */
const ArtefactName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*\.(csv|arrow|svg)$/, 'a file name like <id>.csv, <id>.arrow or <id>.svg');

/** Public view of a job (no tenant field). */
function view(j: JobRecord) {
  const { tenant: _tenant, ...rest } = j;
  return rest;
}

@ApiTags('jobs')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('v1')
export class JobsController {
  constructor(
    @Inject(JOB_SYSTEM) private readonly system: JobSystem,
    @Inject(LOGGER) private readonly logger: JsonLogger,
    @Inject(SSE_HUB) private readonly hub: SseHub,
  ) {}

  @Post('analyses')
  @HttpCode(202)
  @ApiOperation({ summary: 'Submit an analysis spec (the same JSON Schema as the CLI) as a job. 422 names each bad field; 429 past the tenant job limit; 503 when the queue is down.' })
  @ApiBody({ schema: runSpecJsonSchema() })
  async submitAnalysis(@Req() req: Request, @Body() body: unknown) {
    const job = await this.system.jobs.submitAnalysis(tenantOf(req), body);
    this.logger.write('info', 'analysis submitted', { requestId: (req as TenantRequest).requestId, tenant: job.tenant, jobId: job.id });
    return view(job);
  }

  @Post('placebo')
  @HttpCode(202)
  @ApiOperation({ summary: 'Submit a placebo (permutation) test; its draws run as chunk child jobs and are merged (same seed = same result as one process).' })
  @ApiBody({ schema: z.toJSONSchema(PlaceboJobSpec, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> })
  async submitPlacebo(@Req() req: Request, @Body() body: unknown) {
    const job = await this.system.jobs.submitPlacebo(tenantOf(req), body);
    this.logger.write('info', 'placebo submitted', { requestId: (req as TenantRequest).requestId, tenant: job.tenant, jobId: job.id });
    return view(job);
  }

  @Get('jobs')
  @ApiOperation({ summary: "List the tenant's jobs." })
  async list(@Req() req: Request) {
    return { jobs: (await this.system.jobs.list(tenantOf(req))).map(view) };
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'Job status: state, progress (fraction, step, draws done), error with field paths, chunk children.' })
  async get(@Req() req: Request, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    const tenant = tenantOf(req);
    const job = await this.system.jobs.get(tenant, id);
    const out: Record<string, unknown> = view(job);
    if (job.kind === 'placebo') {
      const children = await this.system.jobs.children(tenant, id);
      const count = (s: string) => children.filter((c) => c.state === s).length;
      out.chunks = { total: children.length, succeeded: count('succeeded'), running: count('running'), failed: count('failed') };
    }
    return out;
  }

  @Get('jobs/:id/chunks')
  @ApiOperation({ summary: "A placebo job's chunk child jobs (state, attempts, times)." })
  async chunks(@Req() req: Request, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    const children = await this.system.jobs.children(tenantOf(req), id);
    return { chunks: children.map(({ id: childId, state, attempts, startedAt, finishedAt, progress, error }) => ({ id: childId, state, attempts, startedAt, finishedAt, progress, error })) };
  }

  @Get('jobs/:id/events')
  @ApiOperation({ summary: 'Server-sent events: one `job` event with the full status on each change; the stream ends when the job finishes, or with a `shutdown` event (and a `retry:` hint) when the server stops.' })
  @ApiProduces('text/event-stream')
  async events(@Req() req: Request, @Res() res: Response, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    const tenant = tenantOf(req);
    const first = await this.system.jobs.get(tenant, id);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.flushHeaders();
    let ended = false;
    const send = (job: JobRecord) => {
      if (ended) return;
      res.write(`event: job\ndata: ${JSON.stringify(view(job))}\n\n`);
      if (TERMINAL_STATES.includes(job.state)) finish();
    };
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const off = this.system.jobs.watch(tenant, id, send);
    const finish = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      off();
      unregister();
      res.end();
    };
    const unregister = this.hub.add(res, finish);
    req.on('close', finish);
    // read again after subscribing: a change between the first read and the subscription is not lost
    send(first);
    if (!ended) send(await this.system.jobs.get(tenant, id));
  }

  @Post('jobs/:id/cancel')
  @ApiOperation({ summary: 'Cancel a queued or running job (409 if it has finished).' })
  async cancel(@Req() req: Request, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    return view(await this.system.jobs.cancel(tenantOf(req), id));
  }

  @Delete('jobs/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a finished job and its results.' })
  async remove(@Req() req: Request, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    await this.system.jobs.delete(tenantOf(req), id);
  }

  @Get('jobs/:id/result')
  @ApiOperation({ summary: 'The result as JSON (RunResult for analyses, PlaceboResult for placebo jobs); 409 until the job succeeded.' })
  async result(@Req() req: Request, @Res() res: Response, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    const { dir } = await this.system.jobs.resultDir(tenantOf(req), id);
    res.type('application/json').sendFile(join(dir, 'result.json'));
  }

  @Get('jobs/:id/report')
  @ApiOperation({ summary: 'The HTML report of an analysis job.' })
  @ApiProduces('text/html')
  async report(@Req() req: Request, @Res() res: Response, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    const dir = await this.reportDir(req, id);
    res.type('text/html').sendFile(join(dir, 'report.html'));
  }

  @Get('jobs/:id/report.md')
  @ApiOperation({ summary: 'The Markdown report of an analysis job.' })
  @ApiProduces('text/markdown')
  async reportMarkdown(@Req() req: Request, @Res() res: Response, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    const dir = await this.reportDir(req, id);
    res.type('text/markdown').sendFile(join(dir, 'report.md'));
  }

  @Get('jobs/:id/tables')
  @ApiOperation({ summary: 'Names of the result tables (each as .csv and .arrow).' })
  async tables(@Req() req: Request, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    const dir = await this.reportDir(req, id);
    const ids = (await readdir(join(dir, 'tables'))).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4));
    return { tables: ids.map((t) => ({ id: t, csv: `/v1/jobs/${id}/tables/${t}.csv`, arrow: `/v1/jobs/${id}/tables/${t}.arrow` })) };
  }

  @Get('jobs/:id/tables/:name')
  @ApiOperation({ summary: 'One table as CSV (<id>.csv) or Arrow IPC (<id>.arrow).' })
  @ApiProduces('text/csv', 'application/vnd.apache.arrow.file')
  async table(@Req() req: Request, @Res() res: Response, @Param('id', new ZodPipe(JobId, 'job id')) id: string, @Param('name', new ZodPipe(ArtefactName, 'table name')) name: string) {
    const dir = await this.reportDir(req, id);
    const base = name.replace(/\.(csv|arrow)$/, '');
    if (name.endsWith('.svg')) throw new NotFoundException(`no table '${name}'`);
    const csv = await this.artefact(join(dir, 'tables', `${base}.csv`), `table '${base}'`);
    if (name.endsWith('.csv')) {
      res.type('text/csv').send(csv);
      return;
    }
    const bytes = csvToArrow(csv);
    res.status(200).setHeader('Content-Type', 'application/vnd.apache.arrow.file');
    res.setHeader('Content-Length', String(bytes.byteLength));
    res.end(bytes);
  }

  @Get('jobs/:id/figures')
  @ApiOperation({ summary: 'Names of the report figures.' })
  async figures(@Req() req: Request, @Param('id', new ZodPipe(JobId, 'job id')) id: string) {
    const dir = await this.reportDir(req, id);
    const ids = (await readdir(join(dir, 'figures'))).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4));
    return { figures: ids.map((f) => ({ id: f, svg: `/v1/jobs/${id}/figures/${f}.svg` })) };
  }

  @Get('jobs/:id/figures/:name')
  @ApiOperation({ summary: 'One figure as SVG (<id>.svg).' })
  @ApiProduces('image/svg+xml')
  async figure(@Req() req: Request, @Res() res: Response, @Param('id', new ZodPipe(JobId, 'job id')) id: string, @Param('name', new ZodPipe(ArtefactName, 'figure name')) name: string) {
    if (!name.endsWith('.svg')) throw new NotFoundException(`no figure '${name}'`);
    const dir = await this.reportDir(req, id);
    res.type('image/svg+xml').send(await this.artefact(join(dir, 'figures', name), `figure '${name}'`));
  }

  private async reportDir(req: Request, id: string): Promise<string> {
    const { job, dir } = await this.system.jobs.resultDir(tenantOf(req), id);
    if (job.kind !== 'analysis') throw new NotFoundException(`job '${id}' is a ${job.kind} job: it has a JSON result but no report`);
    return join(dir, 'report');
  }

  private async artefact(path: string, what: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch {
      throw new NotFoundException(`no ${what} in this job's report`);
    }
  }
}
