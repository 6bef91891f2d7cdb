import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UnsupportedMediaTypeException, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SyntheticOptions, TooLargeError, UploadOptions, type DatasetRecord, type JobSystem } from '@panel-lab/jobs';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiKeyGuard } from './api-key.guard.js';
import { tenantOf } from './tenant.js';
import { JOB_SYSTEM } from './tokens.js';
import { ZodPipe } from './zod.pipe.js';

const CONTENT_TYPES: Record<string, 'csv' | 'parquet' | 'arrow'> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/vnd.apache.arrow.file': 'arrow',
  'application/vnd.apache.arrow.stream': 'arrow',
};
const DOWNLOAD_TYPES = { csv: 'text/csv', parquet: 'application/vnd.apache.parquet', arrow: 'application/vnd.apache.arrow.file' } as const;

const UploadQuery = z
  .object({
    name: z.string(),
    unit: z.string(),
    time: z.string(),
    format: z.enum(['csv', 'parquet', 'arrow']).optional(),
    categorical: z.string().optional(),
  })
  .strict();

const DatasetId = z.string().regex(/^ds_[0-9a-f]{16}$/, 'a dataset id looks like ds_0123456789abcdef');

/** Public view of a dataset record (no file path). */
function view(d: DatasetRecord) {
  const { file: _file, tenant: _tenant, ...rest } = d;
  return rest;
}

@ApiTags('datasets')
@ApiSecurity('apiKey')
@UseGuards(ApiKeyGuard)
@Controller('v1/datasets')
export class DatasetsController {
  constructor(@Inject(JOB_SYSTEM) private readonly system: JobSystem) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Upload a panel (CSV, Parquet or Arrow IPC) as the raw request body; streamed, size-limited per tenant (413), validated before it is kept (422 naming the column/row).' })
  @ApiConsumes('text/csv', 'application/vnd.apache.parquet', 'application/vnd.apache.arrow.file', 'application/octet-stream')
  @ApiQuery({ name: 'name', required: true })
  @ApiQuery({ name: 'unit', required: true, description: 'unit (panel id) column' })
  @ApiQuery({ name: 'time', required: true, description: 'time column' })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'parquet', 'arrow'], description: 'default: from Content-Type' })
  @ApiQuery({ name: 'categorical', required: false, description: 'comma-separated categorical columns' })
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async upload(@Req() req: Request, @Query(new ZodPipe(UploadQuery, 'query')) query: z.infer<typeof UploadQuery>) {
    const tenant = tenantOf(req);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const format = query.format ?? CONTENT_TYPES[contentType];
    if (!format) throw new UnsupportedMediaTypeException(`cannot tell the format from Content-Type '${contentType}'; pass ?format=csv|parquet|arrow`);
    const limit = this.system.limitsOf(tenant).uploadBytes;
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit) throw new TooLargeError(`upload of ${declared} bytes exceeds this tenant's limit of ${limit} bytes`);
    const options = new ZodPipe(UploadOptions, 'query').transform({
      name: query.name,
      unit: query.unit,
      time: query.time,
      format,
      categorical: query.categorical ? query.categorical.split(',').map((s) => s.trim()).filter(Boolean) : [],
    });
    return view(await this.system.datasets.upload(tenant, options, req));
  }

  @Post('synthetic')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a generated synthetic China city panel (seeded); 422 past the tenant limits on cities, years or rows, 413 past the upload byte limit.' })
  @ApiBody({ schema: z.toJSONSchema(SyntheticOptions, { io: 'input' }) as Record<string, unknown> })
  async synthetic(@Req() req: Request, @Body() body: unknown) {
    // the service checks the tenant's limits before the schema: a huge number gets this server's limit in the message
    const options = this.system.datasets.parseSynthetic(tenantOf(req), body);
    return view(await this.system.datasets.registerSynthetic(tenantOf(req), options));
  }

  @Get()
  @ApiOperation({ summary: "List the tenant's datasets." })
  async list(@Req() req: Request) {
    return { datasets: (await this.system.datasets.list(tenantOf(req))).map(view) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dataset.' })
  async get(@Req() req: Request, @Param('id', new ZodPipe(DatasetId, 'dataset id')) id: string) {
    return view(await this.system.datasets.get(tenantOf(req), id));
  }

  @Get(':id/describe')
  @ApiOperation({ summary: 'Panel facts (units, periods, balance, gaps) and column types with summary statistics.' })
  async describe(@Req() req: Request, @Param('id', new ZodPipe(DatasetId, 'dataset id')) id: string) {
    const d = await this.system.datasets.describe(tenantOf(req), id);
    return { dataset: view(d.dataset), columns: d.columns, facts: d.facts };
  }

  @Get(':id/download')
  @ApiOperation({ summary: 'The stored file, in the format it was uploaded in.' })
  @ApiHeader({ name: 'Content-Disposition', required: false })
  async download(@Req() req: Request, @Res() res: Response, @Param('id', new ZodPipe(DatasetId, 'dataset id')) id: string) {
    const { path, record } = await this.system.datasets.filePath(tenantOf(req), id);
    res.setHeader('Content-Type', DOWNLOAD_TYPES[record.format]);
    res.setHeader('Content-Disposition', `attachment; filename="${record.id}.${record.format}"`);
    res.sendFile(path);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a dataset and its file.' })
  async remove(@Req() req: Request, @Param('id', new ZodPipe(DatasetId, 'dataset id')) id: string) {
    await this.system.datasets.delete(tenantOf(req), id);
  }
}
