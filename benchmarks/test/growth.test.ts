import { describe, expect, it } from 'vitest';
import { growthMarkdown } from '../src/readme.js';
import { growthRows, NLOGN_EXPONENT, slope } from '../src/scale/growth.js';
import type { SuiteReport } from '../src/report.js';

const result = (rows: number, wall: number, steps: Record<string, number>) => ({
  name: `replicate ${rows}`, params: { rows, quick: false }, backend: 'cpu', runs: 1, median_s: wall, min_s: wall, max_s: wall,
  peak_rss_bytes: 1, heap_used_bytes: 1, extra: { seconds_by_step: steps },
});

describe('growth exponents of the scale suite', () => {
  it('fits the log-log slope: linear = 1, quadratic = 2', () => {
    expect(slope([{ rows: 10, seconds: 1 }, { rows: 100, seconds: 10 }, { rows: 1000, seconds: 100 }])).toBeCloseTo(1, 12);
    expect(slope([{ rows: 10, seconds: 1 }, { rows: 1000, seconds: 10_000 }])).toBeCloseTo(2, 12);
    expect(slope([{ rows: 10, seconds: 1 }])).toBeNull();
    expect(NLOGN_EXPONENT).toBeGreaterThan(1.09);
    expect(NLOGN_EXPONENT).toBeLessThan(1.11);
  });

  it('tabulates each step across sizes and flags a super-linear step without a reason', () => {
    const report = (scale: 'seed' | 'large', results: ReturnType<typeof result>[]) =>
      ({ suite: 'scale', description: '', scale, machine_kind: 'k', machine: {} as SuiteReport['machine'], recorded_at: '', results }) as SuiteReport;
    const rows = growthRows([
      report('seed', [result(2574, 10, { a: 1, b: 1 })]),
      report('large', [result(25740, 100, { a: 10, b: 100 }), result(257400, 1000, { a: 100, b: 10_000 })]),
    ], 'k');
    expect(rows.map((r) => r.step)).toEqual(['whole job (wall)', 'a', 'b']);
    expect(rows[1]!.exponent).toBeCloseTo(1, 12);
    const md = growthMarkdown(rows);
    expect(md).toMatch(/\| b \| 1\.000 s \| 100\.0 s \| 10000\.0 s \| 2\.00 \| \*\*no reason recorded\*\* \|/);
    expect(md).toMatch(/\| a \|.*\| 1\.00 \|  \|/);
  });
});
