// Synthetic DiD standard errors (issue 20, item 4): placebo, bootstrap and jackknife SEs of synthdid,
// timed against R synthdid 0.0.9's vcov(est, method = ...) in the same run on the same CSV. Placebo
// and bootstrap re-solve both Frank-Wolfe weight problems on every draw (cost: draws x iterations x
// N0 x T0, linear in the draws); the jackknife keeps the weights (N re-weightings, no solve). Our draws
// come from R's generator with the same seed, so the SEs are compared exactly, not within MC error.
// One timed run per case on both sides (a placebo run is seconds to minutes; R's vcov has no warm-up
// effect once the estimate is fitted, which both sides do outside the timing).
import { loadavg } from 'node:os';
import { synthdidEstimate, synthdidSe, type SynthdidEstimate, type SynthdidSeMethod } from '@panel-lab/did';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { rPeerUnavailable, writePeerCsv } from '../r-peer.js';
import { withCpuSeconds } from '../cpu-time.js';
import { californiaColumns, syntheticBlockColumns, toBlock, type BlockColumnsData, type SyntheticBlockSize } from '../fixtures/synthdid-panels.js';

interface Variant {
  readonly data: 'california_prop99' | SyntheticBlockSize;
  readonly method: SynthdidSeMethod;
  readonly draws: number;
  /** Time R too (off where R's run would take many minutes; the reason goes in the notes). */
  readonly peer: boolean;
  readonly note?: string;
}

const SMALL: SyntheticBlockSize = { units: 100, periods: 30, treatedUnits: 10, prePeriods: 20 };
const TENFOLD: SyntheticBlockSize = { units: 400, periods: 31, treatedUnits: 40, prePeriods: 21 }; // ~10x california's 39 x 31 cells
const HUNDREDFOLD: SyntheticBlockSize = { units: 3900, periods: 31, treatedUnits: 390, prePeriods: 21 }; // 100x california's cells

function variants(scale: Scale): Variant[] {
  if (scale === 'quick') {
    // CI: cheap, R absent there (recorded as skipped)
    return [
      { data: 'california_prop99', method: 'placebo', draws: 10, peer: true },
      { data: SMALL, method: 'jackknife', draws: 0, peer: true },
      { data: SMALL, method: 'bootstrap', draws: 3, peer: true },
    ];
  }
  const seed: Variant[] = [
    // draw growth on synthdid's own example: 50, 200 (R's default) and 2,000 placebo draws
    { data: 'california_prop99', method: 'placebo', draws: 50, peer: true },
    { data: 'california_prop99', method: 'placebo', draws: 200, peer: true },
    { data: 'california_prop99', method: 'placebo', draws: 2000, peer: false, note: 'R not timed at 2,000 draws: its 50- and 200-draw runs show the linear growth, and one 2,000-draw R run is ~270 s of CPU (10x its 200-draw run), over 30 min of wall time at this machine\'s load' },
    { data: SMALL, method: 'placebo', draws: 20, peer: true },
    { data: SMALL, method: 'bootstrap', draws: 20, peer: true },
    { data: SMALL, method: 'jackknife', draws: 0, peer: true },
  ];
  if (scale === 'seed') return seed;
  return [
    { data: TENFOLD, method: 'placebo', draws: 20, peer: true },
    { data: TENFOLD, method: 'bootstrap', draws: 20, peer: true },
    { data: TENFOLD, method: 'jackknife', draws: 0, peer: true },
    // 100x: a few draws (each re-solves two Frank-Wolfe problems of 3,510 x 21), enough for the cost per draw
    { data: HUNDREDFOLD, method: 'placebo', draws: 5, peer: true },
    { data: HUNDREDFOLD, method: 'bootstrap', draws: 5, peer: true },
    { data: HUNDREDFOLD, method: 'jackknife', draws: 0, peer: true },
  ];
}

const label = (d: Variant['data']) => (d === 'california_prop99' ? 'california_prop99 39x31 (1 treated)' : `synthetic ${d.units}x${d.periods} (${d.treatedUnits} treated, T0 ${d.prePeriods})`);

export const suite: BenchSuite = {
  name: 'synthdid-se',
  description:
    'Synthetic DiD standard errors (Arkhangelsky et al. 2021): placebo and bootstrap (weights re-solved per draw, batched Frank-Wolfe) and the fixed-weights jackknife, ' +
    'on california_prop99 (synthdid\'s example; bootstrap and jackknife are NA there, one treated unit) and synthetic block-adoption factor-model panels; ' +
    'vs R synthdid 0.0.9 vcov() in the same run on the same CSV, same seed, so the SEs match exactly. One timed run per case on each side. No GPU machine was used.',
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    return variants(scale).map((v): BenchCase => {
      const drawsText = v.method === 'jackknife' ? 'N leave-one-out' : `${v.draws} draws`;
      return {
        name: `synthdid ${v.method} SE, ${label(v.data)}, ${drawsText}`,
        params: { data: v.data === 'california_prop99' ? v.data : `synthetic ${v.data.units}x${v.data.periods}`, method: v.method, draws: v.draws },
        setup: () => {
          const cols: BlockColumnsData = v.data === 'california_prop99' ? californiaColumns() : syntheticBlockColumns(v.data, 20261205);
          const block = toBlock(cols);
          const est = synthdidEstimate(block.y, block.n0, block.t0);
          const csv = v.peer && !rPeerUnavailable() ? writePeerCsv(`synthdid-${block.units.length}x${block.times.length}`, { unit: cols.unit, time: cols.time, y: cols.y, treated: cols.treated }) : null;
          return { est, csv };
        },
        ...(v.peer
          ? {
              rPeer: {
                pkg: 'synthdid',
                script: 'synthdid-vcov.R',
                args: (p: unknown) => ({ file: (p as { csv: string }).csv, method: v.method, replications: Math.max(v.draws, 2), seed: 1, warmup: 0, reps: 1 }),
                estimate: (extra: Record<string, unknown>) => ({ estimate: extra.estimate as number, ...(Number.isFinite(extra.se) ? { se: extra.se as number } : {}) }),
                timeoutMs: 40 * 60_000,
              },
            }
          : {}),
        run: async (prepared) => {
          const { est } = prepared as { est: SynthdidEstimate };
          const t0 = performance.now();
          const { value: r, cpuSeconds } = await withCpuSeconds(() => synthdidSe(est, { method: v.method, ...(v.method === 'jackknife' ? {} : { replications: v.draws, seed: 1 }) }));
          const s = (performance.now() - t0) / 1000;
          if (!Number.isFinite(r.se) && !r.reason) throw new Error(`synthdid ${v.method} SE is not finite (${r.se}) and gives no reason`);
          return {
            estimate: est.estimate,
            se: r.se,
            cpu_s: cpuSeconds,
            n0: est.n0,
            n1: est.n1,
            t0: est.t0,
            replications: r.replications,
            ...(r.replications > 0 && v.method !== 'jackknife' ? { seconds_per_draw: s / r.replications } : {}),
            note: `ATT ${est.estimate.toFixed(4)}, ${v.method} SE ${Number.isFinite(r.se) ? r.se.toFixed(4) : `NA (${r.reason})`}${v.note ? `; ${v.note}` : ''}; load avg ${loadavg()[0]!.toFixed(1)}`,
          };
        },
      };
    });
  },
};
