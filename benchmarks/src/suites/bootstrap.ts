// Wild cluster bootstrap (WCR, few clusters: the 8 pilot zones; many: 286 and 1,000) and the multiplier bootstrap over
// influence functions (Callaway-Sant'Anna bands). Wild: float64 on the cpu, O(draws x clusters^2)
// after one FWL preparation, including the confidence interval by test inversion. Multiplier: the
// MultiplierBootstrap kernel on cpu f64 and tfjs wasm f32.
import { loadavg } from 'node:os';
import { ComputeConfig, KernelRegistry, createComputeContext, createRng, mat, type ComputeContext, type Mat } from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { registerTfjsBackend } from '@panel-lab/compute-tfjs';
import { PanelFrame } from '@panel-lab/panel';
import { multiplierBootstrap, prepareWild, wildClusterBootstrap, type WildPrepared } from '@panel-lab/resample';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { rPeerUnavailable, writePeerCsv } from '../r-peer.js';

/**
 * Seed-shaped panel: units x periods, 10 controls. Treatment follows 8 pilot zones (u % 8; 4 adopt,
 * in two cohorts, so half the units are treated); the cluster column `zone` is u % zones.
 */
function panel(units: number, periods: number, zones: number, seed: number): PanelFrame {
  const rng = createRng(seed);
  const n = units * periods;
  const city = new Array<string>(n);
  const zone = new Array<string>(n);
  const year = new Float64Array(n);
  const treat = new Float64Array(n);
  const y = new Float64Array(n);
  const xs = Array.from({ length: 10 }, () => new Float64Array(n));
  const shock = Float64Array.from({ length: zones * periods }, () => rng.normal());
  for (let u = 0, i = 0; u < units; u++) {
    const z = u % zones;
    const pilot = u % 8;
    const fe = rng.normal();
    const g = pilot < 2 ? 4 : pilot < 4 ? 6 : -1;
    for (let t = 0; t < periods; t++, i++) {
      city[i] = `u${u}`;
      zone[i] = `z${z}`;
      year[i] = 2011 + t;
      treat[i] = g >= 0 && t >= g ? 1 : 0;
      let v = fe + 0.05 * t + 0.3 * shock[z * periods + t]! + 0.5 * rng.normal();
      for (const x of xs) {
        x[i] = rng.normal() + 0.3 * fe;
        v += 0.1 * x[i]!;
      }
      y[i] = v;
    }
  }
  const cols: Record<string, Float64Array | string[]> = { city, zone, year, treat, y };
  xs.forEach((x, k) => (cols[`x${k + 1}`] = x));
  return PanelFrame.fromColumns(cols, { unit: 'city', time: 'year' });
}

/** The panel as a CSV for the R peer (wildboot.R), written only when R runs. */
function panelCsv(frame: PanelFrame, name: string): string | null {
  if (rPeerUnavailable()) return null;
  const cols: Record<string, ArrayLike<number> | readonly string[]> = {};
  // numeric ids (u12 -> 12): boottest evaluates the fixest formula's FE part on the data and fails on strings
  for (const c of ['city', 'zone']) cols[c] = Float64Array.from(frame.values(c), (v) => Number(String(v).slice(1)));
  for (const c of ['year', 'treat', 'y', ...controls]) cols[c] = frame.numeric(c);
  return writePeerCsv(name, cols);
}

const controls = Array.from({ length: 10 }, (_, k) => `x${k + 1}`);
const registry = registerTfjsBackend(registerCpuBackend(new KernelRegistry()));

export const suite: BenchSuite = {
  name: 'bootstrap',
  description:
    'Wild cluster restricted bootstrap (WCR) of a TWFE coefficient with 10 controls (286 x 9 seed-shaped panel clustered by zone or city; a synthetic 1,000 x 9 panel clustered by city), p-value plus confidence interval by test inversion; ' +
    'Rademacher with 8 clusters enumerates all 2^8 sign vectors (as boottest). Multiplier bootstrap of an influence-function matrix on cpu f64 and tfjs wasm f32. No GPU machine was used.',
  cases(scale: Scale): BenchCase[] {
    const cases: BenchCase[] = [];
    const wild = [
      { zones: 8, weights: 'rademacher' as const, draws: 9999 },
      { zones: 8, weights: 'webb' as const, draws: 9999 },
      { zones: 30, weights: 'webb' as const, draws: 9999 },
      { zones: 286, weights: 'rademacher' as const, draws: scale === 'quick' ? 999 : 9999 },
    ];
    const wildCases = wild.map((w) => ({ ...w, units: 286 }));
    // many clusters: one per unit of a synthetic 1,000 x 9 panel (cross-cluster matrices 1,000 x 1,000)
    wildCases.push({ zones: 1000, weights: 'rademacher', draws: scale === 'quick' ? 999 : 9999, units: 1000 });
    for (const w of wildCases) {
      const name = `WCR ${w.units}x9, ${w.zones} clusters, ${w.weights}, ${w.draws} draws, p + CI`;
      const cluster = w.zones === w.units ? 'city' : 'zone';
      // the many-cluster cases are issue 16's comparison with fwildclusterboot (target >= 2x)
      const peer = w.zones >= 286 && w.weights === 'rademacher';
      cases.push({
        name,
        params: { units: w.units, periods: 9, controls: 10, clusters: w.zones, weights: w.weights, draws: w.draws },
        setup: () => {
          const frame = panel(w.units, 9, w.zones, 7);
          return { wild: prepareWild(frame, { outcome: 'y', coefficient: 'treat', controls, cluster }), csv: peer ? panelCsv(frame, `wild-${w.units}x9-${w.zones}`) : null };
        },
        ...(peer
          ? {
              rPeer: {
                pkg: 'fwildclusterboot',
                script: 'wildboot.R',
                args: (p: unknown) => ({ file: (p as { csv: string }).csv, cluster, B: w.draws, reps: 5 }),
                // the coefficient is deterministic (p and CI depend on the draws; boottest's t statistic
                // uses its own small-sample factor, fixef.K = 'none', so it differs by a constant factor)
                estimate: (extra: Record<string, unknown>) => ({ estimate: extra.estimate as number }),
                ratioFloor: 2,
              },
            }
          : {}),
        run: async (prepared) => {
          const t0 = performance.now();
          const r = await wildClusterBootstrap((prepared as { wild: WildPrepared }).wild, { seed: 1, draws: w.draws, weights: w.weights });
          return {
            estimate: r.estimate,
            statistic: r.statistic,
            p_value: r.pValue,
            conf_int: r.confInt,
            enumerated: r.enumerated,
            draws_run: r.spec.draws,
            note: `p = ${r.pValue.toFixed(4)}, CI [${r.confInt.map((v) => (v === null ? 'open' : v.toFixed(4))).join(', ')}]${r.enumerated ? `, ${r.spec.draws} sign vectors enumerated` : ''}; ${(performance.now() - t0).toFixed(1)} ms incl. inversion; load avg ${loadavg()[0]!.toFixed(1)}`,
          };
        },
      });
    }
    cases.push({
      name: 'WCR preparation (FWL + cross-cluster matrices), 286x9, 8 clusters',
      params: { units: 286, periods: 9, controls: 10, clusters: 8 },
      setup: () => panel(286, 9, 8, 7),
      run: (frame) => {
        const w = prepareWild(frame as PanelFrame, { outcome: 'y', coefficient: 'treat', controls, cluster: 'zone' });
        // the cross-cluster matrices are built on first use (8 clusters: the dense draws need them)
        return { cross_cluster_values: w.Ky.length + w.Kx.length };
      },
    });
    const sizes = scale === 'large' ? [{ n: 286, k: 20, draws: 1000 }, { n: 100_000, k: 20, draws: 999 }] : [{ n: 286, k: 20, draws: 1000 }];
    for (const target of [{ backend: 'cpu' }, { backend: 'tfjs', device: 'wasm' }] as const) {
      for (const s of sizes) {
        const requested = 'device' in target ? `${target.backend}:${target.device}` : target.backend;
        const c: BenchCase = {
          name: `multiplier bootstrap, IF ${s.n} x ${s.k}, ${s.draws} Rademacher draws [${requested}]`,
          params: { n: s.n, k: s.k, draws: s.draws },
          setup: async () => {
            const ctx = await createComputeContext(new ComputeConfig({ ...target, allowFallback: false }), registry);
            c.backend = ctx.meta.device === ctx.meta.backend ? ctx.meta.backend : `${ctx.meta.backend}:${ctx.meta.device}`;
            const rng = createRng(3);
            return { ctx, inf: mat(s.n, s.k, Float64Array.from({ length: s.n * s.k }, () => rng.normal())) };
          },
          run: async (state) => {
            const { ctx, inf } = state as { ctx: ComputeContext; inf: Mat };
            const r = await multiplierBootstrap(inf, { seed: 1, draws: s.draws, compute: ctx, keepDraws: false });
            return { requested_backend: requested, crit_val: r.critVal, se_over_analytic_col0: r.se[0]! / r.seAnalytic[0]!, note: `critVal ${r.critVal?.toFixed(3)}; se/analytic ${(r.se[0]! / r.seAnalytic[0]!).toFixed(3)}` };
          },
        };
        cases.push(c);
      }
    }
    return cases;
  },
};
