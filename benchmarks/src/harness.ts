import { cpus, loadavg, totalmem } from 'node:os';
import { rPeerFacts, runRPeer } from './r-peer.js';

/** One measured case of a suite: a name, its parameters, and a function timed repeatedly. */
export interface BenchCase {
  readonly name: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /** Backend that really ran (filled by the case itself when it runs on a compute backend). */
  backend?: string;
  /** Prepared once, outside the timing. */
  setup?: () => Promise<unknown> | unknown;
  /** The timed work; gets what setup returned. Returns extra facts to record (optional). */
  run: (prepared: unknown) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
  /** The R peer timed in the same run, after our runs (skipped, with a note, when R is not available). */
  rPeer?: RPeerSpec;
}

/** How a case times its R peer: the script under benchmarks/r/ and its key=value arguments. */
export interface RPeerSpec {
  /** Package whose ratio is recorded as `vs_r_<pkg>` (R median / our median; higher = we are faster). */
  readonly pkg: string;
  readonly script: string;
  /** Arguments for the script; gets what setup returned (e.g. the path of the input file both sides read). */
  readonly args: (prepared: unknown) => Record<string, string | number>;
  /**
   * Our numbers to compare with the R script's `estimate`, from the last run's extra facts or from
   * what the runs left in `prepared` (computed here, after the timed runs, as R's are after its timing).
   */
  readonly estimate?: (extra: Record<string, unknown>, prepared: unknown) => Record<string, number>;
  /** A floor that makes the ratio a checked target (only checked when R ran). */
  readonly ratioFloor?: number;
  readonly timeoutMs?: number;
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  /** Fixed warm-up and run counts for suites whose one run is a whole job (overrides --runs/--warmup). */
  readonly repeat?: { readonly warmup: number; readonly runs: number };
  cases(scale: Scale): BenchCase[];
}

export type Scale = 'quick' | 'seed' | 'large';

export interface CaseResult {
  name: string;
  params: Record<string, number | string | boolean>;
  backend: string;
  runs: number;
  median_s: number;
  min_s: number;
  max_s: number;
  /** 1-minute load average of the machine when the case finished (the machine may be shared). */
  load_avg_1m?: number;
  /** Peak resident set size of the process that ran the case (bytes). */
  peak_rss_bytes: number;
  heap_used_bytes: number;
  extra: Record<string, unknown>;
}

export interface MachineFacts {
  cpu_model: string;
  cores: number;
  memory_bytes: number;
  node: string;
  platform: string;
  gpu_adapter: string | null;
}

export function machineFacts(gpuAdapter: string | null = null): MachineFacts {
  return {
    cpu_model: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_bytes: totalmem(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    gpu_adapter: gpuAdapter,
  };
}

/** Median of warm runs after `warmup` unrecorded ones. */
export async function measure(benchCase: BenchCase, opts: { warmup: number; runs: number }): Promise<CaseResult> {
  const prepared = await benchCase.setup?.();
  let extra: Record<string, unknown> = {};
  for (let i = 0; i < opts.warmup; i++) await benchCase.run(prepared);
  const times: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const t0 = process.hrtime.bigint();
    const out = await benchCase.run(prepared);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (out) extra = out;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const load = loadavg()[0]!;
  const peer = benchCase.rPeer;
  if (peer) {
    let r: Awaited<ReturnType<typeof runRPeer>> = null;
    let failure: string | undefined;
    try {
      r = await runRPeer(peer.script, peer.args(prepared), peer.timeoutMs === undefined ? {} : { timeoutMs: peer.timeoutMs });
    } catch (e) {
      // an R failure is recorded with the case and printed; our own timings are kept
      failure = `R side failed: ${(e as Error).message.slice(0, 600)}`;
      process.stderr.write(`  ${benchCase.name}: ${failure}\n`);
    }
    const facts = rPeerFacts(peer.pkg, r, { medianS: median, ...(peer.estimate ? { estimate: peer.estimate(extra, prepared) } : {}) }, {
      ...(peer.ratioFloor === undefined ? {} : { ratioFloor: peer.ratioFloor }),
      ...(failure ? { skipReason: failure } : {}),
    });
    const { ratios, ...rest } = facts as { ratios?: Record<string, unknown> };
    extra = { ...extra, ...rest, ...(ratios ? { ratios: { ...((extra.ratios ?? {}) as Record<string, unknown>), ...ratios } } : {}) };
  }
  return {
    name: benchCase.name,
    params: { ...benchCase.params },
    backend: benchCase.backend ?? 'cpu',
    runs: opts.runs,
    median_s: median,
    load_avg_1m: load,
    min_s: sorted[0]!,
    max_s: sorted[sorted.length - 1]!,
    // a case that measures a child process reports that process's peak instead of this one's
    peak_rss_bytes: typeof extra.peak_rss_bytes === 'number' ? extra.peak_rss_bytes : process.resourceUsage().maxRSS * 1024,
    heap_used_bytes: process.memoryUsage().heapUsed,
    extra,
  };
}
