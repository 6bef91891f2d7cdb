import { describe, expect, it } from 'vitest';
import { ComputeConfig, KernelRegistry, createComputeContext, createRng, mat } from '@panel-lab/compute';
import { registerCpuBackend } from '@panel-lab/compute-cpu';
import { multiplierBootstrap } from '../src/index.js';

async function cpu() {
  return createComputeContext(new ComputeConfig({ backend: 'cpu' }), registerCpuBackend(new KernelRegistry()));
}

function influence(n: number, k: number, seed: number) {
  const rng = createRng(seed);
  return mat(n, k, Float64Array.from({ length: n * k }, () => rng.normal() * 2));
}

describe('multiplier bootstrap over an influence-function matrix', () => {
  it('bootstrap SE approaches the analytic SE within Monte-Carlo error (bound from B)', async () => {
    const ctx = await cpu();
    const B = 4000;
    const res = await multiplierBootstrap(influence(400, 3, 1), { seed: 2, draws: B, compute: ctx });
    for (let k = 0; k < 3; k++) {
      // sd of the SD estimate ~ 1/sqrt(2B) relative (Rademacher sums are near normal); IQR-SE ~ 1.65x that
      expect(Math.abs(res.sd[k]! / res.seAnalytic[k]! - 1)).toBeLessThan(4 / Math.sqrt(2 * B));
      expect(Math.abs(res.se[k]! / res.seAnalytic[k]! - 1)).toBeLessThan((4 * 1.65) / Math.sqrt(2 * B));
    }
    expect(res.thetaStar!.rows).toBe(B);
    expect(res.thetaStar!.cols).toBe(3);
    // the uniform band over 3 parameters is wider than the pointwise 1.96
    expect(res.critVal!).toBeGreaterThan(1.96);
    expect(res.critVal!).toBeLessThan(3);
  });

  it('clusters: weights per cluster, analytic SE from cluster sums; same seed same draws', async () => {
    const ctx = await cpu();
    const inf = influence(120, 2, 3);
    const clusters = Int32Array.from({ length: 120 }, (_, i) => i % 8);
    const a = await multiplierBootstrap(inf, { clusters, seed: 5, draws: 300, weights: 'webb', compute: ctx });
    const b = await multiplierBootstrap(inf, { clusters, seed: 5, draws: 300, weights: 'webb', compute: ctx });
    expect(a.clusters).toBe(8);
    expect(Array.from(a.thetaStar!.data)).toEqual(Array.from(b.thetaStar!.data));
    const json = JSON.parse(JSON.stringify(a));
    expect(json.thetaStar.data).toHaveLength(600);
    const summaryOnly = await multiplierBootstrap(inf, { clusters, seed: 5, draws: 300, keepDraws: false, compute: ctx });
    expect(summaryOnly.thetaStar).toBeNull();
    await expect(multiplierBootstrap(inf, { clusters: new Int32Array(3), seed: 1, compute: ctx })).rejects.toThrow(/option clusters/);
  });
});
