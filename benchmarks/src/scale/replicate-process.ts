// Runs the main job as a user does (`panel-lab replicate ...`, report included) in its own process and
// measures that process: wall time, peak resident set (VmHWM, sampled from /proc while it runs; the
// kernel keeps the high-water mark, so sampling misses nothing but the last interval), and the run's
// own per-analysis timings from results/run.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliBin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'apps', 'cli', 'bin', 'panel-lab.js');

export interface ReplicateSize {
  readonly cities: number;
  readonly years: number;
  readonly quick: boolean;
  readonly seeds?: readonly ('000' | '002')[];
}

export interface ReplicateMeasurement {
  readonly wall_s: number;
  readonly peak_rss_bytes: number;
  readonly rows: number;
  /** Per analysis step (and 'dataset'), as the run recorded them. */
  readonly seconds_by_step: Record<string, number>;
  /** The run itself (data and analyses, on worker threads). */
  readonly run_s: number;
  /** Whole process minus the run: start-up, report writing, screenshot. */
  readonly other_s: number;
}

function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // the process has just exited: the last sample stands
  }
}

export async function measureReplicate(size: ReplicateSize): Promise<ReplicateMeasurement> {
  const out = mkdtempSync(join(tmpdir(), 'panel-lab-scale-'));
  const args = [cliBin, 'replicate', '--cities', String(size.cities), '--years', String(size.years), '--out', out];
  if (size.quick) args.push('--quick');
  for (const s of size.seeds ?? []) args.push('--seed', s);
  const t0 = process.hrtime.bigint();
  try {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let peak = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setInterval(() => (peak = Math.max(peak, peakRss(child.pid!))), 50);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => (peak = Math.max(peak, peakRss(child.pid!)), resolve(c))));
    clearInterval(timer);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (code !== 0) throw new Error(`replicate ${args.slice(2).join(' ')} exited ${code}:\n${stderr}`);
    // no sample at all would make every memory ceiling pass: say so instead
    if (peak === 0) throw new Error(`could not read the peak RSS of replicate (pid ${child.pid}) from /proc/<pid>/status; this suite needs Linux's procfs`);
    const run = JSON.parse(readFileSync(join(out, 'results', 'run.json'), 'utf8')) as { timings: { step: string; seconds: number }[]; dataset: { nobs: number }; meta: { seconds: number } };
    const bySteps = Object.fromEntries(run.timings.map((t) => [t.step, Number(t.seconds.toFixed(3))]));
    // analyses run side by side on worker threads: the run's own wall time, not the sum of its steps
    return { wall_s: wall, peak_rss_bytes: peak, rows: run.dataset.nobs, seconds_by_step: bySteps, run_s: run.meta.seconds, other_s: Number((wall - run.meta.seconds).toFixed(3)) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
