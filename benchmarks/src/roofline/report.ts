// Roofline text for a suite's results: each case that records the work of one run (extra.work: bytes,
// flops) gets its achieved GB/s or GFLOP/s at the median time, next to the peak the same suite measured
// (cases with extra.peak). Memory-bound kernels are compared with the best STREAM peak, arithmetic
// ones with the multiply-add peak of the implementation that ran (extra.impl: 'js' or 'wasm-simd').
import type { CaseResult } from '../harness.js';
import type { PeakName, Work } from './peaks.js';

export interface PeakValue {
  readonly name: PeakName;
  readonly value: number;
  readonly unit: 'GB/s' | 'GFLOP/s';
}

export function measuredPeaks(results: readonly CaseResult[]): PeakValue[] {
  return results.flatMap((r): PeakValue[] => {
    const name = r.extra.peak as PeakName | undefined;
    const work = r.extra.work as Work | undefined;
    if (!name || !work || !(r.median_s > 0)) return [];
    if (work.flops !== undefined) return [{ name, value: work.flops / r.median_s / 1e9, unit: 'GFLOP/s' as const }];
    if (work.bytes !== undefined) return [{ name, value: work.bytes / r.median_s / 1e9, unit: 'GB/s' as const }];
    return [];
  });
}

/** "12.3 GB/s (45% of triad 27.1 GB/s)" for a kernel case; the peak itself for a peak case; '' otherwise. */
export function rooflineCell(r: CaseResult, peaks: readonly PeakValue[]): string {
  const work = r.extra.work as Work | undefined;
  if (!work || !(r.median_s > 0)) return '';
  if (r.extra.peak) {
    const p = peaks.find((x) => x.name === r.extra.peak);
    return p ? `peak ${p.name}: ${p.value.toFixed(p.unit === 'GB/s' ? 1 : 2)} ${p.unit}` : '';
  }
  const parts: string[] = [];
  if (work.flops !== undefined && r.extra.bound === 'compute') {
    const rate = work.flops / r.median_s / 1e9;
    const impl = r.extra.impl === 'wasm-simd' ? 'mul-add wasm-simd' : 'mul-add js';
    const peak = peaks.find((p) => p.name === impl);
    parts.push(`${rate.toFixed(2)} GFLOP/s${r.extra.effective_flops ? ' (dense-equivalent)' : ''}${peak ? ` = ${((100 * rate) / peak.value).toFixed(0)}% of ${peak.name} ${peak.value.toFixed(2)}` : ''}`);
  }
  if (work.bytes !== undefined && r.extra.bound !== 'compute') {
    const rate = work.bytes / r.median_s / 1e9;
    const mem = peaks.filter((p) => p.unit === 'GB/s').sort((a, b) => b.value - a.value)[0];
    parts.push(`${rate.toFixed(1)} GB/s${mem ? ` = ${((100 * rate) / mem.value).toFixed(0)}% of ${mem.name} ${mem.value.toFixed(1)}` : ''}`);
  }
  return parts.join('; ');
}
