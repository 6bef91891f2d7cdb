import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { readGoldenData } from '@panel-lab/testing';
import { prepareWild, wildClusterBootstrap } from '../src/index.js';

interface Golden {
  point_estimate: number;
  t_stat: number;
  p_val: number;
  conf_int: [number, number];
  N: number;
  N_G: number;
  t_boot: number[];
  p_at_r: { r: number; p_val: number }[];
}
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
const golden = JSON.parse(fixture('wildboot_mpdta_cluster10.json')) as Golden;

function csv(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trim().split('\n');
  const names = head!.split(',').map((s) => s.replace(/"/g, ''));
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, k) => [names[k]!, v.replace(/"/g, '')])));
}

/** did::mpdta with treat_post and the cluster10 grouping of its counties. */
function mpdta(): PanelFrame {
  const cluster10 = new Map(csv(fixture('mpdta_clusters.csv')).map((r) => [r['countyreal']!, r['cluster10']!]));
  const rows = csv(readGoldenData('mpdta.csv'));
  return PanelFrame.fromColumns(
    {
      county: rows.map((r) => r['countyreal']!),
      year: Float64Array.from(rows, (r) => Number(r['year'])),
      lemp: Float64Array.from(rows, (r) => Number(r['lemp'])),
      treat_post: Float64Array.from(rows, (r) => (Number(r['treat']) === 1 && Number(r['year']) >= Number(r['first.treat']) ? 1 : 0)),
      cluster10: rows.map((r) => cluster10.get(r['countyreal']!)!),
    },
    { unit: 'county', time: 'year' },
  );
}

/** fwildclusterboot's two-tailed p-value: share of |t*| strictly above |t| (ties at the all-(+-1) draws excluded). */
function strictP(tStar: readonly (number | null)[], t: number): number {
  const edge = Math.abs(t) * (1 + 1e-9);
  return tStar.filter((s) => s !== null && Math.abs(s) > edge).length / tStar.length;
}

describe('WCR on mpdta against fwildclusterboot 0.13.0 (cluster10, full enumeration)', () => {
  const frame = mpdta();
  const w = prepareWild(frame, { outcome: 'lemp', coefficient: 'treat_post', cluster: 'cluster10' });
  // county FE nested in cluster10, year FE not: the low-rank form applies (r = 5), though auto picks dense at G = 10
  expect(w.lowRank?.r).toBe(5);
  // ours: fixest's K (county FE nested in the clusters: k = 2); boottest: k = 1. Both t and t* scale alike.
  const toBoottest = Math.sqrt(w.vcovAdj / (w.nClusters / (w.nClusters - 1)));

  it.each(['dense', 'low-rank'] as const)('all 1,024 bootstrap t statistics and the p-value at r = 0 (%s)', async (algorithm) => {
    const res = await wildClusterBootstrap(w, { seed: 1, draws: 9999, algorithm });
    expect(res.meta.algorithm).toBe(algorithm);
    expect(res.enumerated).toBe(true);
    expect(res.nobs).toBe(golden.N);
    expect(res.nClusters).toBe(golden.N_G);
    expect(Math.abs(res.estimate - golden.point_estimate)).toBeLessThan(1e-10);
    expect(Math.abs(res.statistic * toBoottest - golden.t_stat)).toBeLessThan(1e-8);
    // the enumeration orders differ (ours: bit c of the draw index is cluster c), so compare sorted
    const ours = res.tStar.map((t) => t! * toBoottest).sort((a, b) => a - b);
    const ref = [...golden.t_boot].sort((a, b) => a - b);
    ours.forEach((t, b) => expect(Math.abs(t - ref[b]!)).toBeLessThan(1e-8 * Math.max(1, Math.abs(ref[b]!))));
    expect(strictP(res.tStar, res.statistic)).toBe(golden.p_val);
    // ours counts the two draws tied with |t| as well
    expect(res.pValue).toBe(golden.p_val + 2 / 1024);
    // so our confidence set contains boottest's
    expect(res.confInt[0]!).toBeLessThanOrEqual(golden.conf_int[0] + 1e-6);
    expect(res.confInt[1]!).toBeGreaterThanOrEqual(golden.conf_int[1] - 1e-6);
  });

  it.each(['dense', 'low-rank'] as const)('p-values at other null values r (%s)', async (algorithm) => {
    for (const { r, p_val } of golden.p_at_r) {
      const res = await wildClusterBootstrap(w, { seed: 1, draws: 9999, beta0: r, algorithm });
      expect(strictP(res.tStar, res.statistic)).toBe(p_val);
    }
  });
});
