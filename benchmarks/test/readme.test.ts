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
    expect(md).toMatch(/\| fe-regression \| large \| twfe \| cpu \| 0\.150 s \| 1024 MiB \| vs_fixest 1\.5x \|/);
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
