// Callaway-Sant'Anna `attGt` (never-treated controls, doubly robust, no covariates, analytic SEs)
// plus the four aggregations, on an N x T balanced panel (issue 6), and att_gt with did's multiplier
// bootstrap (1,000 Rademacher draws, uniform band; issue 16). The panel uses the did-simulation layout,
// a cohort for every period 2..T (81 ATT(g,t) at T = 10). With RPEERS_LIB set, R did's att_gt runs in
// the same run on the same panel (benchmarks/r/did-mboot.R) and the ratio R / ours is recorded; without
// R, the analytic case falls back to the figure recorded once on the 2-core machine (20,000 x 10:
// 0.617 s, 0.526 s with faster_mode).
import { cpus, loadavg } from 'node:os';
import { ComputeConfig, KernelRegistry, createComputeContext, createRng, type ComputeContext } from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { PanelFrame } from '@panel-lab/panel';
import { aggte, attGt, withMultiplierBootstrap, type GroupTimeResult } from '@panel-lab/did';
import type { BenchCase, BenchSuite, RPeerSpec, Scale } from '../harness.js';
import { rPeerUnavailable, writePeerCsv } from '../r-peer.js';

const SIZES: Record<Scale, { units: number; periods: number }[]> = {
  quick: [{ units: 20_000, periods: 10 }],
  seed: [{ units: 286, periods: 9 }, { units: 20_000, periods: 10 }],
  large: [{ units: 20_000, periods: 10 }, { units: 100_000, periods: 10 }, { units: 100_000, periods: 20 }],
};

/** A quarter never treated, the rest adopting uniformly in periods 2..T; effect 1 + 0.1 e. */
function panel(units: number, periods: number, seed: number): PanelFrame {
  const rng = createRng(seed);
  const n = units * periods;
  const id = new Float64Array(n);
  const t = new Float64Array(n);
  const g = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < units; i++) {
    const alpha = rng.normal();
    const cohort = rng.uniform() < 0.25 ? 0 : rng.int(2, periods);
    for (let s = 1; s <= periods; s++) {
      const r = i * periods + s - 1;
      id[r] = i;
      t[r] = s;
      g[r] = cohort;
      y[r] = alpha + 0.1 * s + (cohort > 0 && s >= cohort ? 1 + 0.1 * (s - cohort) : 0) + rng.normal();
    }
  }
  return PanelFrame.fromColumns({ id, t, g, y }, { unit: 'id', time: 't' });
}

interface Prepared {
  readonly frame: PanelFrame;
  /** The same panel as a CSV for the R peer (only written when R runs). */
  readonly csv: string | null;
}

function prepare(units: number, periods: number): Prepared {
  const frame = panel(units, periods, 42);
  const csv = rPeerUnavailable() ? null : writePeerCsv(`cs-${units}x${periods}`, Object.fromEntries(['id', 't', 'g', 'y'].map((c) => [c, frame.numeric(c)])));
  return { frame, csv };
}

/** ATT(g,t) keyed as the R script keys them (att_<group>_<time>), to check that both computed the same thing. */
function attKeys(res: Pick<GroupTimeResult, 'group' | 'time' | 'att'>): Record<string, number> {
  return Object.fromEntries(res.att.map((v, i) => [`att_${res.group[i]}_${res.time[i]}`, v]));
}

function didPeer(boot: boolean, floor: number): RPeerSpec {
  return {
    pkg: 'did',
    script: 'did-mboot.R',
    args: (p) => ({ file: (p as Prepared).csv!, boot: boot ? 'TRUE' : 'FALSE', biters: 1000, reps: 3 }),
    estimate: (extra) => (extra.att_keys ?? {}) as Record<string, number>,
    ratioFloor: floor,
    timeoutMs: 60 * 60_000,
  };
}

function attGtCase(units: number, periods: number): BenchCase {
  const rSeconds = units === 20_000 && periods === 10 ? 0.617 : null;
  return {
    name: `att_gt ${units} x ${periods}`,
    params: { units, periods, rows: units * periods, cells: (periods - 1) * (periods - 1), control: 'nevertreated', est: 'dr', se: 'analytic' },
    backend: 'cpu',
    setup: () => prepare(units, periods),
    run: (prepared) => {
      const wall0 = performance.now();
      const res = attGt((prepared as Prepared).frame, { outcome: 'y', treatment: { cohort: 'g' } });
      const wallS = (performance.now() - wall0) / 1000;
      // without R in this run: the figure recorded once (issue 6 target 5x did's faster mode; floor 2x)
      const recorded = rSeconds !== null && rPeerUnavailable() !== null;
      return {
        ...(recorded ? { r_did_seconds_recorded: rSeconds, r_did_faster_mode_seconds_recorded: 0.526 } : {}),
        cells: res.att.length,
        n: res.n,
        att_keys: attKeys(res),
        load_avg_1m: loadavg()[0],
        // a figure from an idle machine: its floor holds only while this machine is not oversubscribed
        ...(recorded ? { ratios: { vs_r_did_faster_mode: recordedRatio(0.526 / wallS) } } : {}),
      };
    },
    rPeer: didPeer(false, 2),
  };
}

/** The ratio against R's figure recorded once (no R in this run): floor 2x, waived when the 1-minute load passes the core count. */
function recordedRatio(value: number): { value: number; floor: number; description: string } {
  const load = loadavg()[0]!;
  const busy = load > cpus().length;
  return {
    value,
    floor: busy ? 0 : 2,
    description: `R did faster_mode seconds (recorded once on an idle machine, not this run) / Panel Lab seconds${busy ? `; floor 2x waived: 1-min load ${load.toFixed(1)} > ${cpus().length} cores` : ''}`,
  };
}

const registry = registerCpuBackend(new KernelRegistry());

/** att_gt plus did's multiplier bootstrap (1,000 Rademacher draws by unit, uniform band): the whole call, as R's att_gt(bstrap = TRUE). */
function bootstrapCase(units: number, periods: number): BenchCase {
  return {
    name: `att_gt + multiplier bootstrap ${units} x ${periods}, 1000 draws, uniform band`,
    params: { units, periods, rows: units * periods, cells: (periods - 1) * (periods - 1), draws: 1000, weights: 'rademacher', cband: true },
    backend: 'cpu',
    setup: async () => ({ ...prepare(units, periods), ctx: await createComputeContext(new ComputeConfig({ backend: 'cpu', allowFallback: false }), registry) }),
    run: async (prepared) => {
      const { frame, ctx } = prepared as Prepared & { ctx: ComputeContext };
      const t0 = performance.now();
      const res = attGt(frame, { outcome: 'y', treatment: { cohort: 'g' } });
      const t1 = performance.now();
      const boot = await withMultiplierBootstrap(res, ctx, { seed: 1, draws: 1000, cband: true });
      const t2 = performance.now();
      return {
        att_keys: attKeys(boot),
        crit_val: boot.critVal,
        note: `att_gt ${(t1 - t0).toFixed(0)} ms + bootstrap ${(t2 - t1).toFixed(0)} ms; crit ${boot.critVal.toFixed(3)}`,
      };
    },
    rPeer: didPeer(true, 10),
  };
}

function aggteCase(units: number, periods: number): BenchCase {
  return {
    name: `att_gt + aggte x4 ${units} x ${periods}`,
    params: { units, periods },
    backend: 'cpu',
    setup: () => panel(units, periods, 42),
    run: (frame) => {
      const wall0 = performance.now();
      const res = attGt(frame as PanelFrame, { outcome: 'y', treatment: { cohort: 'g' } });
      const wallS = (performance.now() - wall0) / 1000;
      const overall = (['simple', 'group', 'dynamic', 'calendar'] as const).map((type) => aggte(res, { type }).overallAtt);
      return { overall, load_avg_1m: loadavg()[0] };
    },
  };
}

export const suite: BenchSuite = {
  name: 'cs-scaling',
  description:
    "Callaway-Sant'Anna att_gt (dr, never-treated, analytic SEs), its aggregations, and att_gt with did's multiplier bootstrap (1,000 Rademacher draws, uniform band) on one thread; " +
    'R did 2.3.0 att_gt timed in the same run on the same panel when RPEERS_LIB is set (vs_r_did = R median / ours; estimates compared over every ATT(g,t)).',
  cases: (scale) => [
    ...SIZES[scale].flatMap(({ units, periods }) => [attGtCase(units, periods), aggteCase(units, periods)]),
    ...(scale === 'quick' ? [] : [bootstrapCase(scale === 'large' ? 100_000 : 20_000, 10)]),
  ],
};
