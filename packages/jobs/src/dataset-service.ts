import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generateChinaPanel, TIME_COLUMN, UNIT_COLUMN } from '@panel-lab/datasets';
import { describePanel, writePanel, type PanelFacts } from '@panel-lab/panel';
import { z } from 'zod';
import { newId, type DataDir } from './data-dir.js';
import { InputError, LimitError, NotFoundError, TooLargeError } from './errors.js';
import { assertNoIssues, syntheticIssues, syntheticRows, syntheticSizeOf } from './input-bounds.js';
import type { MetaStore } from './store.js';
import { redactPaths } from './redact.js';
import { frameFileOf, removeFrameCopy, taskRef, writeFrameCopy } from './task-frames.js';
import { datasetPath, readDataset } from './tasks.js';
import type { DatasetFormat, DatasetRecord, TenantLimits } from './types.js';

/** A dataset name is a label, never a path: no separators, no '..', printable ASCII. */
export const DatasetName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/, "letters, digits, spaces and . _ ( ) - only, starting with a letter or digit")
  .refine((s) => !s.includes('..'), "must not contain '..'");

export const UploadOptions = z
  .object({
    name: DatasetName,
    format: z.enum(['csv', 'parquet', 'arrow']),
    unit: z.string().min(1),
    time: z.string().min(1),
    categorical: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type UploadOptions = z.infer<typeof UploadOptions>;

export const SyntheticOptions = z
  .object({
    name: DatasetName.default('synthetic'),
    seed: z.number().int().default(20240601),
    // ceilings only: the tenant's limits on cities, years, rows and bytes are checked in registerSynthetic
    cities: z.number().int().positive().max(1_000_000, 'at most 1000000').optional(),
    years: z.union([z.number().int().positive().max(1000, 'at most 1000'), z.tuple([z.number().int().min(1).max(9999), z.number().int().min(1).max(9999)]).refine(([first, last]) => first <= last, 'a range [first, last] with first <= last')]).optional(),
  })
  .strict();
export type SyntheticOptions = z.infer<typeof SyntheticOptions>;

/** Descriptions kept in memory (column list and panel facts: KBs, up to a few MB for 100,000 units). */
const DESCRIBED_MAX = 64;

const EXT: Record<DatasetFormat, string> = { csv: 'csv', parquet: 'parquet', arrow: 'arrow' };

export interface DatasetDescription {
  readonly dataset: DatasetRecord;
  readonly columns: readonly { name: string; type: 'numeric' | 'categorical'; role: 'unit' | 'time' | null }[];
  readonly facts: PanelFacts;
}

/** Tenants' datasets: streamed uploads validated before they are kept, synthetic panels, describe, delete. */
export class DatasetService {
  private bytesPerRow: Promise<number> | undefined;
  /** Dataset file -> its description (files are immutable: ids are never reused). */
  private readonly described = new Map<string, Omit<DatasetDescription, 'dataset'>>();

  constructor(
    private readonly store: MetaStore,
    private readonly dir: DataDir,
    private readonly limitsOf: (tenant: string) => TenantLimits,
  ) {}

  /** Removes uploads a previous process left half-written. */
  async init(): Promise<void> {
    await rm(this.dir.tmp, { recursive: true, force: true });
    await mkdir(this.dir.tmp, { recursive: true });
  }

  /**
   * Streams an upload to a temporary file (TooLargeError past the tenant's limit), validates it as
   * a panel (InputError naming the column or row), then moves it in place and records it.
   */
  async upload(tenant: string, options: UploadOptions, body: Readable): Promise<DatasetRecord> {
    const limits = this.limitsOf(tenant);
    const used = await this.checkRoom(tenant, limits);
    const id = newId('ds');
    const tmp = join(this.dir.tmp, `${id}.${EXT[options.format]}`);
    let bytes = 0;
    const copyNote = options.format === 'arrow' ? '' : ' (its Arrow copy would come on top)';
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limits.uploadBytes) done(new TooLargeError(`upload exceeds this tenant's limit of ${limits.uploadBytes} bytes`));
        // the file alone no longer fits: stop reading now
        else if (used + bytes > limits.datasetBytes) done(new LimitError(`${quotaHead(tenant, used, limits)}; the upload passed ${bytes} bytes${copyNote}, more than the ${limits.datasetBytes - used} bytes left; delete a dataset first`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(tmp));
      if (bytes === 0) throw new InputError('the upload is empty', [{ path: 'body', message: 'empty file' }]);
      const frame = await readDataset(this.dir.root, { id, file: `tmp/${id}.${EXT[options.format]}`, ...options }).catch((error: unknown) => {
        // the reader names the temporary file: tenants see its name, never the server's directories
        const reason = redactPaths(error instanceof Error ? error.message : String(error), [this.dir.root]);
        throw new InputError(`not a valid ${options.format} panel: ${reason}`, [{ path: 'body', message: reason }]);
      });
      if (frame.nrows > limits.maxRows) throw new InputError(`the upload has ${frame.nrows} rows; at most ${limits.maxRows}`, [{ path: 'body', message: `at most ${limits.maxRows} rows` }]);
      const file = this.dir.datasetFile(tenant, id, EXT[options.format]);
      await mkdir(dirname(datasetPath(this.dir.root, file)), { recursive: true });
      await rename(tmp, datasetPath(this.dir.root, file));
      // tasks read the Arrow copy: pool threads never load the CSV/Parquet reader (see task-frames.ts)
      const removeBoth = async () => {
        await rm(datasetPath(this.dir.root, file), { force: true });
        await removeFrameCopy(this.dir.root, file, options.format);
      };
      await writeFrameCopy(this.dir.root, file, options.format, frame).catch(async (error: unknown) => {
        await removeBoth();
        throw error;
      });
      // the copy stays on disk as long as the file: the quota is charged both (counted again now: other uploads may have landed)
      const copyBytes = options.format === 'arrow' ? undefined : (await stat(datasetPath(this.dir.root, frameFileOf(file, options.format)))).size;
      const usedNow = (await this.usage(tenant)).bytes;
      if (usedNow + bytes + (copyBytes ?? 0) > limits.datasetBytes) {
        await removeBoth();
        const sizes = copyBytes === undefined ? `this upload is ${bytes} bytes (an Arrow file is its own copy)` : `this upload is ${bytes} bytes and its Arrow copy (what jobs read) ${copyBytes} bytes, ${bytes + copyBytes} in all`;
        throw new LimitError(`${quotaHead(tenant, usedNow, limits)}; ${sizes}, more than the ${Math.max(0, limits.datasetBytes - usedNow)} bytes left; delete a dataset first`);
      }
      const record: DatasetRecord = Object.freeze({
        id,
        tenant,
        name: options.name,
        format: options.format,
        unit: options.unit,
        time: options.time,
        categorical: options.categorical,
        bytes,
        ...(copyBytes !== undefined ? { copyBytes } : {}),
        rows: frame.nrows,
        createdAt: new Date().toISOString(),
        file,
        origin: { kind: 'upload' as const },
      });
      await this.store.putDataset(record).catch(async (error: unknown) => {
        await removeBoth();
        throw error;
      });
      return record;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * Validates a synthetic-panel request: the tenant's limits on cities, years and rows first (so a
   * huge number gets this server's limit in the message), then the schema. InputError names the field.
   */
  parseSynthetic(tenant: string, input: unknown): SyntheticOptions {
    const size = syntheticSizeOf(input);
    if (size) assertNoIssues(syntheticIssues(size, this.limitsOf(tenant), ''), 'the synthetic dataset');
    const parsed = SyntheticOptions.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw new InputError(`invalid synthetic dataset: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues);
    }
    return parsed.data;
  }

  /**
   * Generates the synthetic China city panel and stores it as Arrow IPC, held to the upload byte
   * limit: refused before generating when the estimate is over it, removed when the file is.
   */
  async registerSynthetic(tenant: string, options: SyntheticOptions): Promise<DatasetRecord> {
    const limits = this.limitsOf(tenant);
    assertNoIssues(syntheticIssues(options, limits, ''), 'the synthetic dataset');
    const used = await this.checkRoom(tenant, limits);
    const rows = syntheticRows(options);
    const estimate = Math.round(rows * (await this.syntheticBytesPerRow()));
    if (estimate > limits.uploadBytes) {
      throw new TooLargeError(`a synthetic panel of ${rows} rows (cities x years) takes about ${estimate} bytes, over this tenant's limit of ${limits.uploadBytes} bytes; ask for fewer cities or years`);
    }
    if (used + estimate > limits.datasetBytes) {
      throw new LimitError(`${quotaHead(tenant, used, limits)}; a synthetic panel of ${rows} rows takes about ${estimate} bytes (an Arrow file, its own copy), more than the ${limits.datasetBytes - used} bytes left; delete a dataset or ask for fewer cities or years`);
    }
    const id = newId('ds');
    const panel = generateChinaPanel({
      seed: options.seed,
      ...(options.cities !== undefined ? { cities: options.cities } : {}),
      ...(options.years !== undefined ? { years: options.years } : {}),
    });
    const file = this.dir.datasetFile(tenant, id, 'arrow');
    const path = datasetPath(this.dir.root, file);
    await mkdir(dirname(path), { recursive: true });
    await writePanel(panel.frame, path, { format: 'arrow' });
    const bytes = (await stat(path)).size;
    if (bytes > limits.uploadBytes) {
      await rm(path, { force: true });
      throw new TooLargeError(`the synthetic panel came to ${bytes} bytes, over this tenant's limit of ${limits.uploadBytes} bytes; ask for fewer cities or years`);
    }
    const usedNow = (await this.usage(tenant)).bytes;
    if (usedNow + bytes > limits.datasetBytes) {
      await rm(path, { force: true });
      throw new LimitError(`${quotaHead(tenant, usedNow, limits)}; the synthetic panel came to ${bytes} bytes (an Arrow file, its own copy), more than the ${Math.max(0, limits.datasetBytes - usedNow)} bytes left; delete a dataset or ask for fewer cities or years`);
    }
    const record: DatasetRecord = Object.freeze({
      id,
      tenant,
      name: options.name,
      format: 'arrow',
      unit: UNIT_COLUMN,
      time: TIME_COLUMN,
      categorical: panel.frame.columnNames.filter((n) => panel.frame.isCategorical(n)),
      bytes,
      rows: panel.frame.nrows,
      createdAt: new Date().toISOString(),
      file,
      origin: {
        kind: 'synthetic' as const,
        seed: options.seed,
        ...(options.cities !== undefined ? { cities: options.cities } : {}),
        ...(options.years !== undefined ? { years: options.years } : {}),
      },
    });
    await this.store.putDataset(record);
    return record;
  }

  list(tenant: string): Promise<DatasetRecord[]> {
    return this.store.listDatasets(tenant);
  }

  /** The tenant's dataset; NotFoundError for an unknown id or another tenant's (indistinguishable). */
  async get(tenant: string, id: string): Promise<DatasetRecord> {
    const record = await this.store.getDataset(tenant, id);
    if (!record) throw new NotFoundError(`dataset '${id}' not found`);
    return record;
  }

  /** Columns and panel facts; computed once per dataset (its file never changes), then served from memory. */
  async describe(tenant: string, id: string): Promise<DatasetDescription> {
    const dataset = await this.get(tenant, id);
    const cached = this.described.get(dataset.file);
    if (cached) return { dataset, ...cached };
    const frame = await readDataset(this.dir.root, await taskRef(this.dir.root, dataset));
    const described = {
      columns: frame.columnNames.map((name) => ({
        name,
        type: frame.isCategorical(name) ? ('categorical' as const) : ('numeric' as const),
        role: name === dataset.unit ? ('unit' as const) : name === dataset.time ? ('time' as const) : null,
      })),
      facts: describePanel(frame),
    };
    this.described.set(dataset.file, described);
    // the oldest description goes first past the bound (Map order = insertion order)
    for (const file of this.described.keys()) {
      if (this.described.size <= DESCRIBED_MAX) break;
      this.described.delete(file);
    }
    return { dataset, ...described };
  }

  /** Absolute path of the dataset's file (for download). */
  async filePath(tenant: string, id: string): Promise<{ path: string; record: DatasetRecord }> {
    const record = await this.get(tenant, id);
    return { path: datasetPath(this.dir.root, record.file), record };
  }

  async delete(tenant: string, id: string): Promise<void> {
    const record = await this.get(tenant, id);
    this.described.delete(record.file);
    await this.store.deleteDataset(tenant, id);
    await rm(datasetPath(this.dir.root, record.file), { force: true });
    await removeFrameCopy(this.dir.root, record.file, record.format);
  }

  /** Arrow bytes per row of the synthetic panel, measured once on a small sample (the estimate follows the generator). */
  private syntheticBytesPerRow(): Promise<number> {
    this.bytesPerRow ??= (async () => {
      const sample = join(this.dir.tmp, `${newId('sample')}.arrow`);
      try {
        const frame = generateChinaPanel({ seed: 1, cities: 100, years: 4 }).frame;
        await writePanel(frame, sample, { format: 'arrow' });
        return (await stat(sample)).size / frame.nrows;
      } finally {
        await rm(sample, { force: true });
      }
    })();
    // a failed measurement is not kept: the next request measures again
    this.bytesPerRow.catch(() => (this.bytesPerRow = undefined));
    return this.bytesPerRow;
  }

  /**
   * What the tenant's datasets take: their count, and their bytes on disk (each file plus its Arrow
   * copy). A CSV or Parquet dataset registered before copies were recorded is charged the copy
   * found on disk (made at its first use), so no copy goes uncounted. At most `datasets` records.
   */
  async usage(tenant: string): Promise<{ datasets: number; bytes: number }> {
    const records = await this.store.listDatasets(tenant);
    let bytes = 0;
    for (const d of records) bytes += d.bytes + (d.copyBytes ?? (await this.legacyCopyBytes(d)));
    return { datasets: records.length, bytes };
  }

  private async legacyCopyBytes(d: DatasetRecord): Promise<number> {
    if (d.format === 'arrow') return 0;
    try {
      return (await stat(datasetPath(this.dir.root, frameFileOf(d.file, d.format)))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0; // not made yet: it is charged once it exists
      throw error;
    }
  }

  /** 429 when the tenant has its most datasets or no byte left; returns the bytes its datasets take. */
  private async checkRoom(tenant: string, limits: TenantLimits): Promise<number> {
    const { datasets: n, bytes } = await this.usage(tenant);
    if (n >= limits.datasets) throw new LimitError(`tenant '${tenant}' already has ${n} datasets (limit ${limits.datasets}); delete one first`);
    if (bytes >= limits.datasetBytes) throw new LimitError(`${quotaHead(tenant, bytes, limits)}; no byte is left; delete a dataset first`);
    return bytes;
  }
}

/** The start of every dataset-bytes quota message: what is stored against what is allowed. */
function quotaHead(tenant: string, used: number, limits: TenantLimits): string {
  return `tenant '${tenant}' stores ${used} bytes of datasets (files and their Arrow copies; limit ${limits.datasetBytes} bytes)`;
}
