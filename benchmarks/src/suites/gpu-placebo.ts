// Placebo TWFE draws at the issue-21 size: 100,000 draws on a 100,000 x 20 panel (10 controls) with slopes and
// per-draw CR1 SEs. cpu = the 'tables' path (f64); GPU = the 'kernel' path (GatherSum on WebGPU gives the per-draw
// tail sums; the per-draw SE pass stays on the cpu, in f64). Chunks of draws until done or the time share is spent.
import type { ComputeContext } from '@panel-lab/compute';
import { placeboChunk, preparePlacebo, type PlaceboPrepared, type TwfeArrays } from '@panel-lab/resample';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { placeboPanelArrays } from '../fixtures/placebo-panel.js';
import { caseDeadline, chunkedFacts, gpuSize, runChunked } from '../gpu/step-budget.js';
import { adapterFacts, context, label, ranOn, targets } from '../gpu/targets.js';

const SIZES = {
  h200: { units: 100_000, periods: 20, controls: 10, treated: 12_238, draws: 100_000, chunk: 2_000 },
  rehearse: { units: 2_000, periods: 20, controls: 10, treated: 245, draws: 400, chunk: 100 },
} as const;
type Size = (typeof SIZES)[keyof typeof SIZES];

/** The placebo suite's panel (its own seed). */
const panelArrays = (s: Size): TwfeArrays => placeboPanelArrays(s, 20261123);

export const suite: BenchSuite = {
  name: 'gpu-placebo',
  description:
    "Placebo TWFE draws (random units, true cohort sizes and years; unit-clustered CR1 SE per draw) on a balanced panel with 10 controls: cpu 'tables' path (f64) vs 'kernel' path (GatherSum on tfjs:webgpu / gpujs:webgpu; SE pass on the cpu in f64). Draws in chunks until done or the time share is spent (full_size_s extrapolated when complete is false). max_abs_beta_diff_vs_cpu compares the first chunk's slopes.",
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    const size = gpuSize(scale);
    if (!size) return [];
    const s = SIZES[size];
    let prepared: PlaceboPrepared | undefined;
    let cpuFirst: readonly (number | null)[] | undefined;
    const data = () => (prepared ??= preparePlacebo(panelArrays(s)));
    const all = targets();
    const chunkOf = (ctx: ComputeContext | undefined, k: number) =>
      placeboChunk(data(), { seed: 1, chunkIndex: k, chunkSize: s.chunk, draws: s.draws, se: true, ...(ctx ? { compute: ctx, path: 'kernel' as const } : {}) });
    return all.map((t, k) => {
      const c: BenchCase = {
        name: `${s.units}x${s.periods}, ${s.draws} draws, beta + CR1 SE per draw, ${t.backend === 'cpu' ? 'tables' : 'kernel'} [${label(t)}]`,
        params: { units: s.units, periods: s.periods, controls: s.controls, treated: s.treated, draws: s.draws, chunk: s.chunk, requested: label(t) },
        setup: async () => {
          const ctx = t.backend === 'cpu' ? undefined : await context(t);
          c.backend = ctx ? ranOn(ctx) : 'cpu';
          cpuFirst ??= (await chunkOf(undefined, 0)).beta;
          const first = await chunkOf(ctx, 0); // also the warm-up
          let diff = 0;
          first.beta.forEach((b, i) => (diff = Math.max(diff, Math.abs((b ?? NaN) - (cpuFirst![i] ?? NaN)))));
          return { ctx, diff };
        },
        run: async (state) => {
          const { ctx, diff } = state as { ctx?: ComputeContext; diff: number };
          let path = '';
          const r = await runChunked(s.draws, s.chunk, caseDeadline(all.length - k), async (first) => {
            path = (await chunkOf(ctx, first / s.chunk)).meta.path;
          });
          return {
            requested_backend: label(t),
            path,
            ...(ctx ? adapterFacts(ctx) : {}),
            ...chunkedFacts(r, 'draws'),
            max_abs_beta_diff_vs_cpu: diff,
            note: `${r.done} of ${s.draws} draws in ${r.seconds.toFixed(2)} s (${(r.done / r.seconds).toFixed(0)} draws/s, ${path})${r.complete ? '' : `; full size EXTRAPOLATED ${(s.draws / (r.done / r.seconds)).toFixed(1)} s`}; max |beta - cpu| ${diff.toExponential(2)}`,
          };
        },
      };
      return c;
    });
  },
};
