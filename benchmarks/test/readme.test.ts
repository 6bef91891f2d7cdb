import { describe, expect, it } from 'vitest';
import { machineFacts, type SuiteReport } from '../src/index.js';
import { performanceMarkdown, timeVsScaleSvg, updateReadme } from '../src/readme.js';

const report = (rows: number, median: number): SuiteReport => ({
  suite: 'fe-regression', description: 'd', scale: 'large', machine_kind: 'cpu-2core', machine: machineFacts(), recorded_at: 'now',
  results: [{ name: 'twfe', params: { rows }, backend: 'cpu', runs: 3, median_s: median, min_s: median, max_s: median, peak_rss_bytes: 2 ** 30, heap_used_bytes: 1,
    extra: { ratios: { vs_fixest: { value: 1.5, floor: 1 } } } }],
});

describe('README performance section', () => {
  it('tabulates every recorded case with its machine', () => {
    const md = performanceMarkdown([report(2_000_000, 0.15)]);
    expect(md).toMatch(/### Machine `cpu-2core`/);
    expect(md).toMatch(/\| fe-regression \| large \| twfe \| cpu \| 0\.150 s \| 1024 MiB \|  \| vs_fixest 1\.5x \|/);
  });

  it('lists the same-run R ratios and the kernels against the measured peaks', () => {
    const base = { params: {}, backend: 'cpu', runs: 3, min_s: 1, max_s: 1, peak_rss_bytes: 1, heap_used_bytes: 1, load_avg_1m: 3.5 };
    const cs: SuiteReport = {
      suite: 'cs-scaling', description: 'd', scale: 'large', machine_kind: 'cpu-2core', machine: machineFacts(), recorded_at: 'now',
      results: [{ ...base, name: 'boot', median_s: 0.5, extra: { r_did_median_s: 10, r_version: { did: '2.3.0' }, r_threads: 1, r_estimate_match: { max_abs: 1e-14, max_rel: 1e-13, keys: 81 }, ratios: { vs_r_did: { value: 20, floor: 10 } } } }],
    };
    const kernels: SuiteReport = {
      suite: 'kernels', description: 'd', scale: 'quick', machine_kind: 'cpu-2core', machine: machineFacts(), recorded_at: 'now',
      results: [
        { ...base, name: 'peak copy', median_s: 1, extra: { peak: 'copy', work: { bytes: 10e9 } } },
        { ...base, name: 'SegmentSum', median_s: 1, extra: { work: { bytes: 5e9 }, bound: 'memory' } },
      ],
    };
    const md = performanceMarkdown([cs, kernels]);
    expect(md).toMatch(/\| cs-scaling \(large\) \| boot \| 0\.500 s \| did 2\.3\.0: 10\.0 s \| \*\*20\.0x\*\* \| >= 10x \| 81 values, max abs diff 1\.0e-14 \| 1 \| 3\.5 \|/);
    expect(md).toMatch(/\| quick \| SegmentSum \| 1\.000 s \| 5\.0 GB\/s = 50% of copy 10\.0 \|/);
    expect(md).toMatch(/vs_r_did 20\.0x \(R 10\.0 s\)/);
  });

  it('plots time vs rows as SVG', async () => {
    const svg = await timeVsScaleSvg([report(2_574, 0.002), report(2_000_000, 0.15)]);
    expect(svg).toMatch(/^<svg/);
    expect(await timeVsScaleSvg([])).toBeNull();
  });

  it('replaces only the marked section', () => {
    const readme = 'a\n<!-- performance:start -->\nold\n<!-- performance:end -->\nb';
    expect(updateReadme(readme, 'new')).toBe('a\n<!-- performance:start -->\nnew\n<!-- performance:end -->\nb');
    expect(() => updateReadme('no markers', 'x')).toThrow(/markers/);
  });
});
