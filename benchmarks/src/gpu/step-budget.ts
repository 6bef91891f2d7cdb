// Time budget of one device step: gpu-device-run.sh gives each suite a wall-clock limit and passes its end as
// PANEL_LAB_STEP_DEADLINE_MS. Long cases run chunk by chunk and stop in time, recording how far they got and the
// throughput, so a slow path costs its share of the step instead of the whole step's results.
import type { Scale } from '../harness.js';

/** H200 SXM peaks (NVIDIA datasheet): what achieved bandwidth and FLOP/s are reported as a share of. */
export const H200_PEAK = { hbmBytesPerS: 4.8e12, fp32FlopPerS: 67e12 } as const;

/** 'large' = the H200 sizes of issue 21; 'seed' = the lavapipe rehearsal; 'quick' (CI) runs none of these suites. */
export type GpuSize = 'h200' | 'rehearse' | null;
export function gpuSize(scale: Scale): GpuSize {
  return scale === 'large' ? 'h200' : scale === 'seed' ? 'rehearse' : null;
}

const stepDeadline = Number(process.env.PANEL_LAB_STEP_DEADLINE_MS ?? 0) || Infinity;

/** The end of this case's share: what is left of the step (less a margin for writing results) split over the cases left. */
export function caseDeadline(casesLeft: number, marginS = 8): number {
  const left = stepDeadline - Date.now() - marginS * 1000;
  return Date.now() + Math.max(0, left / Math.max(1, casesLeft));
}

export interface ChunkedRun {
  /** Units (draws, epochs) done before the deadline or the total. */
  done: number;
  total: number;
  seconds: number;
  complete: boolean;
}

/** Runs `step(first, count)` over [0, total) in chunks until done or past the deadline (the first chunk always runs). */
export async function runChunked(total: number, chunk: number, deadline: number, step: (first: number, count: number) => Promise<void>): Promise<ChunkedRun> {
  const t0 = performance.now();
  let done = 0;
  while (done < total) {
    const count = Math.min(chunk, total - done);
    await step(done, count);
    done += count;
    const perUnit = (performance.now() - t0) / done;
    if (done < total && Date.now() + perUnit * Math.min(chunk, total - done) > deadline) break;
  }
  return { done, total, seconds: (performance.now() - t0) / 1000, complete: done === total };
}

/** The recorded facts of a chunked run: throughput and the time the full size takes at that rate. */
export function chunkedFacts(r: ChunkedRun, unit: string): Record<string, unknown> {
  const perS = r.done / r.seconds;
  return {
    [`${unit}_done`]: r.done,
    [`${unit}_total`]: r.total,
    complete: r.complete,
    measured_s: r.seconds,
    [`${unit}_per_s`]: perS,
    full_size_s: r.complete ? r.seconds : r.total / perS,
    full_size_is_extrapolated: !r.complete,
  };
}

/** Achieved rates against the H200's peaks (meaningful only on that machine's GPU rows). */
export function achieved(bytes: number, flops: number, seconds: number): Record<string, number> {
  return {
    achieved_gb_per_s: bytes / seconds / 1e9,
    share_of_h200_hbm: bytes / seconds / H200_PEAK.hbmBytesPerS,
    achieved_gflop_per_s: flops / seconds / 1e9,
    share_of_h200_fp32: flops / seconds / H200_PEAK.fp32FlopPerS,
  };
}
