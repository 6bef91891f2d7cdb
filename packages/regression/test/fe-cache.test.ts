// Fits on one frame share the FE side (issue 16): the sample's FE codes and the prepared structure
// (with the solvers demean caches on it) are reused by a later fit on the same rows. Invisible:
// every fit must equal, bit for bit, the same fit on a fresh copy of the frame (nothing cached).
import { describe, expect, it } from 'vitest';
import { type ColumnInput, PanelFrame } from '@panel-lab/panel';
import { feols, type FeolsOptions } from '../src/index.js';
import { feStructureCacheStats } from '../src/fe-cache.js';
import { syntheticPanel } from './helpers.js';

const base = syntheticPanel({ units: 80, periods: 9, dropShare: 0.1, seed: 1616, firms: 11 });

/** A new frame over copies of the columns (own codes, nothing cached) plus `extra`. */
function copyFrame(extra: Record<string, ColumnInput> = {}): PanelFrame {
  const cols: Record<string, ColumnInput> = {};
  for (const name of base.columnNames) cols[name] = Float64Array.from(base.numeric(name));
  return PanelFrame.fromColumns({ ...cols, ...extra }, { unit: 'id', time: 't' });
}

const n = base.nrows;
const y = base.numeric('y');
const y2 = Float64Array.from(y, (v, i) => 0.5 * v + Math.cos(i));
const y3 = Float64Array.from(y2, (v, i) => (i % 17 === 3 ? Number.NaN : v)); // another sample
const region = Float64Array.from(base.numeric('id'), (u) => u % 5);
const extra = { y2, y3, region };

/** Same numbers, exactly (JSON of the result without timings). */
function fingerprint(r: ReturnType<typeof feols>): string {
  const { meta, ...rest } = r;
  return JSON.stringify({ ...rest, method: meta.demeanMethod, iterations: meta.iterations });
}

function reuseCount(run: () => void): number {
  const before = feStructureCacheStats.reused;
  run();
  return feStructureCacheStats.reused - before;
}

describe('FE structure shared across fits on one frame', () => {
  const cases: [string, string, FeolsOptions][] = [
    ['two-way (direct Schur solve)', '| id + t', { vcov: { cluster: 'id' } }],
    ['three FE (reduced system)', '| id + t + firm', {}],
    ['nested FE dropped (t inside region^t)', '| id + t + region^t', { vcov: 'hetero' }],
    ['weights from a column', '| id + t + firm', { weights: 'w' }],
    ['singletons removed', '| id + firm^t', { removeSingletons: true }],
    ['iterative demeaning', '| id + t + firm', { demeanMethod: 'iterative' }],
  ];
  for (const [label, fe, opts] of cases) {
    it(`${label}: a second outcome reuses the structure and gives the fresh frame's numbers`, () => {
      const frame = copyFrame(extra);
      const first = feols(`y ~ x1 + x2 ${fe}`, frame, opts);
      let second!: ReturnType<typeof feols>;
      expect(reuseCount(() => (second = feols(`y2 ~ x1 + x2 ${fe}`, frame, opts)))).toBe(1);
      expect(fingerprint(second)).toBe(fingerprint(feols(`y2 ~ x1 + x2 ${fe}`, copyFrame(extra), opts)));
      // and the first outcome again, from the cache, as it was
      expect(reuseCount(() => expect(fingerprint(feols(`y ~ x1 + x2 ${fe}`, frame, opts))).toBe(fingerprint(first)))).toBe(1);
    });
  }

  it('another sample (missing values in the outcome) gets its own structure, then is reused too', () => {
    const frame = copyFrame(extra);
    feols('y ~ x1 | id + t + firm', frame);
    let a!: ReturnType<typeof feols>;
    expect(reuseCount(() => (a = feols('y3 ~ x1 | id + t + firm', frame)))).toBe(0);
    expect(a.nobs).toBeLessThan(n);
    expect(fingerprint(a)).toBe(fingerprint(feols('y3 ~ x1 | id + t + firm', copyFrame(extra))));
    expect(reuseCount(() => expect(fingerprint(feols('y3 ~ x2 | id + t + firm', frame))).toBe(fingerprint(feols('y3 ~ x2 | id + t + firm', copyFrame(extra)))))).toBe(1);
    // the full sample is still remembered
    expect(reuseCount(() => feols('y2 ~ x1 | id + t + firm', frame))).toBe(1);
  });

  it('a weight vector of the caller is never cached: refilled between fits, the fit follows it', () => {
    const frame = copyFrame(extra);
    const w = Float64Array.from(base.numeric('w'));
    const a = feols('y ~ x1 | id + t + firm', frame, { weights: w });
    for (let i = 0; i < n; i++) w[i] = 1 + (i % 3);
    let b!: ReturnType<typeof feols>;
    expect(reuseCount(() => (b = feols('y ~ x1 | id + t + firm', frame, { weights: w })))).toBe(0);
    expect(b.coefficients[0]).not.toBe(a.coefficients[0]);
    expect(fingerprint(b)).toBe(fingerprint(feols('y ~ x1 | id + t + firm', copyFrame(extra), { weights: Float64Array.from(w) })));
  });

  it('different FE on the same frame do not share', () => {
    const frame = copyFrame(extra);
    feols('y ~ x1 | id + t', frame);
    expect(reuseCount(() => expect(fingerprint(feols('y ~ x1 | id + firm', frame))).toBe(fingerprint(feols('y ~ x1 | id + firm', copyFrame(extra)))))).toBe(0);
    expect(reuseCount(() => feols('y ~ x1 | id + t', frame, { weights: 'w' }))).toBe(0);
  });
});
