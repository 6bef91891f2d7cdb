import { describe, expect, it } from 'vitest';
import { checkReport, machineFacts, measure, suiteMarkdown, type SuiteReport } from '../src/index.js';

describe('benchmark harness', () => {
  it('measures a case and reports median, min, max and memory', async () => {
    let calls = 0;
    const result = await measure({ name: 'count', params: { n: 1 }, run: () => void calls++ }, { warmup: 2, runs: 3 });
    expect(calls).toBe(5);
    expect(result.runs).toBe(3);
    expect(result.min_s).toBeLessThanOrEqual(result.median_s);
    expect(result.median_s).toBeLessThanOrEqual(result.max_s);
    expect(result.peak_rss_bytes).toBeGreaterThan(0);
  });

  it('flags ratios below their floor and backends other than requested', () => {
    const report: SuiteReport = {
      suite: 's', description: 'd', scale: 'quick', machine_kind: 'k', machine: machineFacts(), recorded_at: 'now',
      results: [
        { name: 'ok', params: {}, backend: 'cpu', runs: 1, median_s: 1, min_s: 1, max_s: 1, peak_rss_bytes: 1, heap_used_bytes: 1,
          extra: { ratios: { speedup: { value: 30, floor: 20 } }, requested_backend: 'cpu' } },
        { name: 'bad', params: {}, backend: 'cpu', runs: 1, median_s: 1, min_s: 1, max_s: 1, peak_rss_bytes: 1, heap_used_bytes: 1,
          extra: { ratios: { speedup: { value: 5, floor: 20 } }, requested_backend: 'webgpu' } },
      ],
    };
    const problems = checkReport(report);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/bad: ratio speedup = 5 is below its floor 20/);
    expect(problems[1]).toMatch(/requested backend 'webgpu' but 'cpu' ran/);
    expect(suiteMarkdown(report)).toMatch(/\| ok \|.*speedup: 30.0x \(floor 20x\)/);
  });
});
