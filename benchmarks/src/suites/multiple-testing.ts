// Romano–Wolf and Westfall–Young adjusted p-values across outcomes (issue 20, item 6) by the wild
// cluster restricted bootstrap, one weight draw shared by all outcomes: cost O(outcomes x draws x
// clusters) after one FWL preparation per outcome, plus O(outcomes x draws log draws) for the
// adjustments. R has no Romano–Wolf package in the peers library, so r/romano-wolf.R does what R
// wildrwolf does: fwildclusterboot's boottest per outcome with the same seed, then the stepdown.
// The coefficients are deterministic and compared; the p-values come from each side's own draws
// (both recorded; they agree within Monte Carlo error, not exactly).
import { loadavg } from 'node:os';
import { createRng } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';
import { romanoWolf, type MultipleTestingResult } from '@panel-lab/resample';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { rPeerUnavailable, writePeerCsv } from '../r-peer.js';
import { withCpuSeconds } from '../cpu-time.js';

const OUTCOMES = ['y1', 'y2', 'y3', 'y4', 'y5'];
// the seed's five outcomes: two with an effect, two null, one small
const EFFECTS = [-0.25, -0.15, 0, 0, 0.05];

/**
 * Seed-shaped panel (units x periods; half the units adopt in two cohorts, as the bootstrap suite) with
 * five correlated outcomes: a shared zone-by-period shock and a shared unit effect, plus their own noise.
 */
function panel(units: number, periods: number, zones: number, seed: number): PanelFrame {
  const rng = createRng(seed);
  const n = units * periods;
  const city = new Float64Array(n);
  const zone = new Float64Array(n);
  const year = new Float64Array(n);
  const treat = new Float64Array(n);
  const ys = OUTCOMES.map(() => new Float64Array(n));
  const shock = Float64Array.from({ length: zones * periods }, () => rng.normal());
  for (let u = 0, i = 0; u < units; u++) {
    const z = u % zones;
    const pilot = u % 8;
    const fe = rng.normal();
    const g = pilot < 2 ? 4 : pilot < 4 ? 6 : -1;
    for (let t = 0; t < periods; t++, i++) {
      city[i] = u;
      zone[i] = z;
      year[i] = 2011 + t;
      treat[i] = g >= 0 && t >= g ? 1 : 0;
      const common = fe + 0.05 * t + 0.3 * shock[z * periods + t]!;
      ys.forEach((y, k) => (y[i] = common * (1 - 0.1 * k) + EFFECTS[k]! * treat[i]! + 0.5 * rng.normal()));
    }
  }
  const cols: Record<string, Float64Array> = { city, zone, year, treat };
  OUTCOMES.forEach((o, k) => (cols[o] = ys[k]!));
  return PanelFrame.fromColumns(cols, { unit: 'city', time: 'year' });
}

interface Variant {
  readonly units: number;
  readonly zones: number;
  readonly draws: number;
}

function variants(scale: Scale): Variant[] {
  if (scale === 'quick') return [{ units: 286, zones: 30, draws: 999 }];
  if (scale === 'seed') {
    // draw growth at 30 clusters (999 vs 9,999), and one cluster per city
    return [
      { units: 286, zones: 30, draws: 999 },
      { units: 286, zones: 30, draws: 9999 },
      { units: 286, zones: 286, draws: 9999 },
    ];
  }
  return [{ units: 1000, zones: 1000, draws: 9999 }];
}

export const suite: BenchSuite = {
  name: 'multiple-testing',
  description:
    'Romano–Wolf stepdown and Westfall–Young (maxT, stepdown minP) adjusted p-values of one TWFE coefficient across five outcomes (city + year FE), wild cluster restricted bootstrap, Rademacher, ' +
    'one weight draw shared by all outcomes; FWL preparation per outcome included in our time. R peer: r/romano-wolf.R, the wildrwolf computation written out (fwildclusterboot boottest per outcome with one seed, ' +
    'then the stepdown), since no Romano–Wolf R package is in the peers library; its feols fits are outside its timing. No GPU machine was used.',
  cases(scale: Scale): BenchCase[] {
    return variants(scale).map((v): BenchCase => {
      const cluster = v.zones === v.units ? 'city' : 'zone';
      return {
        name: `Romano–Wolf + Westfall–Young, 5 outcomes, ${v.units}x9, ${v.zones} clusters, ${v.draws} draws`,
        params: { units: v.units, periods: 9, outcomes: OUTCOMES.length, clusters: v.zones, draws: v.draws, weights: 'rademacher' },
        setup: () => {
          const frame = panel(v.units, 9, v.zones, 11);
          const csv = rPeerUnavailable()
            ? null
            : writePeerCsv(`rw-${v.units}x9-${v.zones}`, Object.fromEntries(['city', 'zone', 'year', 'treat', ...OUTCOMES].map((c) => [c, frame.numeric(c)])));
          return { frame, csv };
        },
        rPeer: {
          pkg: 'fwildclusterboot',
          script: 'romano-wolf.R',
          // 1,000 clusters: one cold R call (each boottest there is tens of seconds)
          args: (p: unknown) => ({ file: (p as { csv: string }).csv, outcomes: OUTCOMES.join(','), cluster, B: v.draws, seed: 1, ...(v.zones >= 1000 ? { warmup: 0, reps: 1 } : { reps: 3 }) }),
          estimate: (extra: Record<string, unknown>) => extra.estimates as Record<string, number>,
        },
        run: async (prepared) => {
          const { frame } = prepared as { frame: PanelFrame };
          const { value: r, cpuSeconds } = await withCpuSeconds((): Promise<MultipleTestingResult> => romanoWolf(frame, { outcomes: OUTCOMES, coefficient: 'treat', cluster, draws: v.draws, seed: 1, weights: 'rademacher' }));
          const estimates = Object.fromEntries(r.rows.map((row) => [`estimate_${row.outcome}`, row.estimate]));
          return {
            estimates,
            cpu_s: cpuSeconds,
            p_values: Object.fromEntries(r.rows.map((row) => [row.outcome, { p: row.pValue, rw: row.pRomanoWolf, wy: row.pWestfallYoung, wy_minp: row.pWestfallYoungMinP }])),
            timings_ms: r.meta.timings,
            note: `RW p ${r.rows.map((row) => `${row.outcome} ${row.pRomanoWolf.toFixed(3)}`).join(', ')}; load avg ${loadavg()[0]!.toFixed(1)}`,
          };
        },
      };
    });
  },
};
