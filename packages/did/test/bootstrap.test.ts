import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { aggte, attGt, tidy, withMultiplierBootstrap } from '../src/index.js';
import { cpuContext } from './cpu-context.js';
import { readGoldenCsv } from './helpers.js';

interface Boot { attgt_se: number[]; uniform_crit_val: number; biters: number; aggte: Record<string, { overall_se: number; se_egt?: number[]; crit_val_egt?: number }> }
const golden = loadGolden<{ specs: Record<string, { bootstrap: Boot }> }>('did_mpdta');
const mpdta = readGoldenCsv('mpdta.csv', 'countyreal', 'year');
const base = attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
const R = golden.specs['nevertreated_dr_nocov']!.bootstrap;
const DRAWS = 4000;
// relative Monte-Carlo sd of an IQR-based SE from B draws is about 1.17/sqrt(B) (normal draws)
const seBound = (bR: number, bOurs: number): number => 4 * 1.17 * Math.sqrt(1 / bR + 1 / bOurs);

describe('multiplier bootstrap (compute kernel MultiplierBootstrap, cpu backend)', () => {
  it('is reproducible for a seed and does not change its input', async () => {
    const ctx = await cpuContext();
    const a = await withMultiplierBootstrap(base, ctx, { seed: 11, draws: 200 });
    const b = await withMultiplierBootstrap(base, ctx, { seed: 11, draws: 200 });
    const c = await withMultiplierBootstrap(base, ctx, { seed: 12, draws: 200 });
    expect(a.se).toEqual(b.se);
    expect(a.critVal).toBe(b.critVal);
    expect(c.se).not.toEqual(a.se);
    expect(base.bootstrap).toBeNull();
    expect(a.bootstrap?.backend).toBe('cpu');
  });

  it('ATT(g,t) bootstrap SEs and uniform critical value agree with R within Monte-Carlo error', async () => {
    const ctx = await cpuContext();
    const res = await withMultiplierBootstrap(base, ctx, { seed: 20240601, draws: DRAWS });
    res.se.forEach((s, k) => {
      expect(Math.abs(s / R.attgt_se[k]! - 1)).toBeLessThan(seBound(R.biters, DRAWS));
      // IQR/1.349 of a sum of few large Rademacher terms (small cohorts) is not exactly the analytic
      // SD, so against the analytic SE only a loose check: MC error plus that finite-sample gap.
      expect(Math.abs(s / base.se[k]! - 1)).toBeLessThan(0.15);
    });
    const [lo, hi] = res.bootstrap!.critValMcInterval;
    // R's own value has ~2x our MC half-width (1000 vs 4000 draws): allow 3 half-widths
    const half = (hi - lo) / 2;
    expect(Math.abs(res.critVal - R.uniform_crit_val)).toBeLessThan(3 * half);
    expect(res.critVal).toBeGreaterThan(res.spec.alpha ? 1.96 : 0);
  });

  it.each(['group', 'dynamic', 'calendar'] as const)('aggte %s bootstrap SEs and band agree with R', async (type) => {
    const ctx = await cpuContext();
    const agg = await withMultiplierBootstrap(aggte(base, { type }), ctx, { seed: 7, draws: DRAWS });
    const want = R.aggte[type]!;
    expect(Math.abs(agg.overallSe / want.overall_se - 1)).toBeLessThan(seBound(R.biters, DRAWS));
    agg.seEgt.forEach((s, k) => expect(Math.abs(s / want.se_egt![k]! - 1)).toBeLessThan(seBound(R.biters, DRAWS)));
    const [lo, hi] = agg.bootstrap!.critValMcInterval;
    expect(Math.abs(agg.critValEgt - want.crit_val_egt!)).toBeLessThan(3 * ((hi - lo) / 2) + 1e-9);
    const row = tidy(agg)[0]!;
    expect(row.conf_low_simult!).toBeCloseTo(row.estimate - agg.critValEgt * row.std_error, 12);
    expect(tidy(agg).at(-1)!.conf_low_simult).toBeNull();
  });

  it('cluster bootstrap by a coarser time-invariant cluster widens nothing when clusters are the units', async () => {
    const ctx = await cpuContext();
    const byUnit = attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, cluster: 'countyreal' });
    byUnit.se.forEach((s, k) => expect(Math.abs(s - base.se[k]!)).toBeLessThan(1e-12));
    const boot = await withMultiplierBootstrap(byUnit, ctx, { seed: 3, draws: 300 });
    expect(boot.bootstrap!.clusters).toBe(500);
  });
});
