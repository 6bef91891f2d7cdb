import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSpec } from '../src/index.js';

/** A seeded cross-section: y = 1 + 2 x + noise, three correlated indicators. */
function crossSectionCsv(n: number): string {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
  const lines = ['firm,x,y,i1,i2,i3'];
  for (let i = 0; i < n; i++) {
    const x = rand() * 4;
    const f = rand();
    lines.push([`f${i}`, x, 1 + 2 * x + 0.1 * rand(), f + 0.3 * rand(), f + 0.3 * rand(), f + 0.3 * rand()].join(','));
  }
  return lines.join('\n') + '\n';
}

describe('a cross-section (no time column)', () => {
  it('runs the analyses with no time dimension and names the field the others need', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-xs-'));
    await writeFile(join(dir, 'firms.csv'), crossSectionCsv(200));
    const run = await runSpec(
      {
        dataset: { source: 'file', path: 'firms.csv', unit: 'firm' },
        analyses: [
          { id: 'ols', estimator: 'feols', formulas: ['y ~ x'], vcov: 'hetero' },
          { id: 'index', estimator: 'de_index_construction', indicators: ['i1', 'i2', 'i3'] },
          { id: 'stats', estimator: 'describe' },
          { id: 'es', estimator: 'event_study', outcomes: ['y'], cohort: 'x' },
        ],
      },
      { baseDir: dir },
    );
    const [ols, index, stats, es] = run.analyses;
    expect(ols!.status).toBe('ok');
    const x = ols!.models![0]!.coefficients.find((c) => c.term === 'x')!;
    expect(x.estimate).toBeCloseTo(2, 1);
    expect(ols!.models![0]!.seType).toMatch(/hetero/i);
    expect(index!.status).toBe('ok');
    expect(index!.tables!.index!.columns.factor_index).toHaveLength(200);
    expect(index!.tables!.index!.columns.time).toBeUndefined();
    expect(stats!.status).toBe('ok');
    expect(es!.status).toBe('failed');
    expect(es!.failure!.where).toBe("analyses[3] 'es'");
    expect(es!.failure!.message).toMatch(/estimator 'event_study' needs a time dimension.*no dataset\.time.*set dataset\.time/);
    expect(run.dataset.nobs).toBe(200);
  });

  it('needs the unit column when a time column is given', async () => {
    await expect(runSpec({ dataset: { source: 'file', path: 'x.csv', time: 'year' }, analyses: [{ id: 'a', estimator: 'describe' }] })).rejects.toThrow(/dataset\.unit.*needs its unit column/);
  });
});
