// Helper threads for the demeaning passes: the threaded reduced solver gives the one-thread answer
// (to rounding) on grouped and ungrouped rows, weighted or not; a helper that fails has its share
// redone on the calling thread; arrays that are not shared are refused.
import { describe, expect, it } from 'vitest';
import { createRng } from '@panel-lab/compute';
import { demean, prepareFixedEffects } from '../src/index.js';
import { defaultThreads, helperThreads, sharedFloat64, sharedInt32, sharedKernel } from '../src/helper-threads.js';

/** Three crossed FE (fixest's benchmark shape), optionally with rows sorted by the largest. */
function crossed(n: number, sorted: boolean, weighted: boolean) {
  const rng = createRng(7);
  const sizes = [Math.floor(n / 20), 300, 40];
  const fe = sizes.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++) for (let q = 0; q < 3; q++) fe[q]![i] = q === 0 && sorted ? Math.floor((i * sizes[0]!) / n) : rng.int(0, sizes[q]! - 1);
  const columns = [0, 1, 2].map(() => Float64Array.from({ length: n }, (_, i) => rng.normal() + 0.01 * fe[1]![i]! + 0.1 * fe[2]![i]!));
  return { fe, columns, ...(weighted ? { weights: Float64Array.from({ length: n }, () => 0.5 + rng.uniform()) } : {}) };
}

describe('threaded reduced demeaning', () => {
  for (const sorted of [false, true]) {
    for (const weighted of [false, true]) {
      it(`threads 2 and 3 give the one-thread result (${sorted ? 'rows grouped' : 'rows in random order'}, ${weighted ? 'weighted' : 'unweighted'})`, () => {
        const d = crossed(300_000, sorted, weighted);
        const one = demean({ ...d, threads: 1 });
        expect(one.method).toMatch(/^reduced/);
        for (const threads of [2, 3]) {
          const many = demean({ ...d, structure: prepareFixedEffects(d.fe, d.weights), threads });
          expect(many.method).toBe(one.method);
          for (let j = 0; j < 3; j++) {
            let worst = 0;
            for (let i = 0; i < one.columns[j]!.length; i++) worst = Math.max(worst, Math.abs(many.columns[j]![i]! - one.columns[j]![i]!));
            expect(worst).toBeLessThan(1e-9);
          }
        }
      });
    }
  }
});

describe('helper threads', () => {
  it('run every share, here and on the helpers', () => {
    const pool = helperThreads(3)!;
    const out = sharedFloat64(3);
    const kernel = sharedKernel<(out: Float64Array, t: number) => void>(['out', 't'], 'out[t] = 10 + t;');
    pool.run(kernel, [[out, 0], [out, 1], [out, 2]]);
    expect(Array.from(out)).toEqual([10, 11, 12]);
  });

  /**
   * Two shares whose kernel body `misbehave` runs only on share 1's first call (its helper's): each
   * share counts its calls, share 0 starting at 1. Returns the shares' outputs after the run.
   */
  function runWithMisbehavingHelper(misbehave: string, body: string, redo?: (out: Float64Array, t: number) => void): Float64Array {
    const pool = helperThreads(2)!;
    const out = sharedFloat64(2);
    const calls = sharedInt32(2);
    calls[0] = 1;
    const kernel = sharedKernel<(out: Float64Array, calls: Int32Array, t: number) => void>(['out', 'calls', 't'], `${body} if (Atomics.add(calls, t, 1) === 0) ${misbehave}`);
    pool.run(kernel, [[out, calls, 0], [out, calls, 1]], redo && ((t) => redo(out, t)));
    return out;
  }

  it('redo a failed helper share on the calling thread, after resetting its outputs, and say what it threw', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    const reset: number[] = [];
    const out = runWithMisbehavingHelper("throw new Error('helper fails');", 'out[t] += 5;', (o, t) => {
      reset.push(t);
      o[t] = 0;
    });
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    process.off('warning', listen);
    expect(warnings).toContainEqual(expect.stringContaining('failed (helper fails)'));
    expect(reset).toEqual([1]);
    expect(Array.from(out)).toEqual([5, 5]);
    // the replaced helper serves the next run
    const kernel = sharedKernel<(out: Float64Array, t: number) => void>(['out', 't'], 'out[t] = 1 + t;');
    helperThreads(2)!.run(kernel, [[out, 0], [out, 1]]);
    expect(Array.from(out)).toEqual([1, 2]);
  });

  it('stop a helper that never answers and do its share here (no hang)', () => {
    const t0 = performance.now();
    // the helper spins forever (before writing); on the calling thread (second call) it returns at once
    const out = runWithMisbehavingHelper('for (;;) {}', 'out[t] = 3;');
    expect(Array.from(out)).toEqual([3, 3]);
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 20_000);

  it('refuse a typed array that is not shared (its copy would lose the writes)', () => {
    const pool = helperThreads(2)!;
    const kernel = sharedKernel<(out: Float64Array) => void>(['out'], 'out[0] = 1;');
    expect(() => pool.run(kernel, [[new Float64Array(1)], [new Float64Array(1)]])).toThrow(/must be shared/);
    expect(() => pool.run((() => {}) as never, [[]])).toThrow(/sharedKernel/);
  });

  it('take their default count from PANEL_LAB_FEOLS_THREADS, refusing a bad one by name', () => {
    const before = process.env.PANEL_LAB_FEOLS_THREADS;
    try {
      process.env.PANEL_LAB_FEOLS_THREADS = '3';
      expect(defaultThreads()).toBe(3);
      process.env.PANEL_LAB_FEOLS_THREADS = 'two';
      expect(() => defaultThreads()).toThrow(/PANEL_LAB_FEOLS_THREADS must be a positive integer, got 'two'/);
      delete process.env.PANEL_LAB_FEOLS_THREADS;
      expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    } finally {
      if (before === undefined) delete process.env.PANEL_LAB_FEOLS_THREADS;
      else process.env.PANEL_LAB_FEOLS_THREADS = before;
    }
  });

  it('one thread needs no helpers; bad thread counts are refused by name', async () => {
    expect(helperThreads(1)).toBeNull();
    const { feols } = await import('../src/index.js');
    expect(() => feols('y ~ x', {} as never, { threads: 0 })).toThrow(/option threads must be a positive integer, got 0/);
  });
});
