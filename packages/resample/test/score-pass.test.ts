import { describe, expect, it } from 'vitest';
import { placeboAssignments, placeboChunk, preparePlacebo, twfeArrays, TwfeDrawEvaluator } from '../src/index.js';
import { makePanel } from './dgp.js';
// @ts-expect-error the build script is plain JavaScript
import { compileScore4 } from '../scripts/build-wasm.mjs';
import { SCORE4_WASM_BASE64 } from '../src/score4-wasm.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('WebAssembly SIMD score pass', () => {
  it('the committed bytes are those of wasm/score4.wat (rebuild: npm run build:wasm -w @panel-lab/resample)', async () => {
    expect(SCORE4_WASM_BASE64).toBe(await compileScore4());
  });

  // K = 3 exercises the zero-padded odd control, K = 0 the empty dot product; zones = clusters above units.
  for (const [label, dgp] of [
    ['3 controls, unit clusters', { seed: 21, controls: 3 }],
    ['4 controls, 5 zone clusters', { seed: 22, controls: 4, zones: 5 }],
    ['no controls', { seed: 23, controls: 0 }],
  ] as const) {
    it(`${label}: per-draw SEs equal the JS pass to 1e-12, for draw counts that do not fill the 4 lanes`, () => {
      const frame = makePanel({ ...dgp, units: 45, periods: 7 });
      const cluster = 'zones' in dgp ? 'zone' : 'city';
      const controls = Array.from({ length: dgp.controls }, (_, k) => `x${k + 1}`);
      const prepared = preparePlacebo(twfeArrays(frame, { outcome: 'y', cohort: 'cohort', controls, cluster }), { mode: 'B_units_random_timing' });
      const draws = placeboAssignments(prepared, { seed: 5, chunkIndex: 0, chunkSize: 11, draws: 11 });
      const wasm = new TwfeDrawEvaluator(prepared.twfe, { seKernel: 'wasm-simd' });
      const js = new TwfeDrawEvaluator(prepared.twfe, { seKernel: 'js' });
      expect(wasm.scorePass().pass.kernel).toBe('wasm-simd');
      expect(js.scorePass().pass.kernel).toBe('js');
      for (const count of [1, 3, 4, 11]) {
        const a = wasm.evaluateMany(draws.slice(0, count), true);
        const b = js.evaluateMany(draws.slice(0, count), true);
        a.forEach((s, k) => {
          expect(s.beta).toBe(b[k]!.beta);
          expect(rel(s.se, b[k]!.se)).toBeLessThan(1e-12);
          expect(s.se).toBeGreaterThan(0);
        });
      }
      // one at a time gives the same SEs as four lanes at once
      const single = draws.slice(0, 4).map((d) => wasm.evaluate(d.units, d.starts, d.m, true).se);
      expect(single.map((s, k) => rel(s, wasm.evaluateMany(draws.slice(0, 4), true)[k]!.se)).every((r) => r < 1e-12)).toBe(true);
    });
  }

  it('a collinear draw in a lane gets NaN without disturbing the other lanes', () => {
    const frame = makePanel({ seed: 24, units: 30, periods: 6 });
    const prepared = preparePlacebo(twfeArrays(frame, { outcome: 'y', cohort: 'cohort', controls: ['x1', 'x2'], cluster: 'city' }));
    const draws = placeboAssignments(prepared, { seed: 9, chunkIndex: 0, chunkSize: 3, draws: 3 });
    // every unit treated from the first period: D is absorbed by the unit effects
    const all = Int32Array.from({ length: prepared.twfe.nUnits }, (_, u) => u);
    const absorbed = { units: all, starts: new Int32Array(all.length), m: all.length };
    const ev = new TwfeDrawEvaluator(prepared.twfe, { seKernel: 'wasm-simd' });
    const mixed = ev.evaluateMany([draws[0]!, absorbed, draws[1]!, draws[2]!], true);
    const alone = ev.evaluateMany(draws, true);
    expect(mixed[1]!.beta).toBeNaN();
    expect(mixed[1]!.se).toBeNaN();
    expect([mixed[0], mixed[2], mixed[3]].map((s) => s!.se)).toEqual(alone.map((s) => s.se));
  });

  it('chunk metadata names the SE kernel that ran', async () => {
    const frame = makePanel({ seed: 25, units: 30, periods: 6 });
    const prepared = preparePlacebo(twfeArrays(frame, { outcome: 'y', cohort: 'cohort', controls: ['x1'], cluster: 'city' }));
    const base = { seed: 1, chunkIndex: 0, chunkSize: 5, draws: 5 };
    expect((await placeboChunk(prepared, base)).meta.seKernel).toBe('wasm-simd');
    expect((await placeboChunk(prepared, { ...base, se: false })).meta.seKernel).toBeNull();
    const unbalanced = preparePlacebo(twfeArrays(makePanel({ seed: 26, units: 30, periods: 6, dropShare: 0.1 }), { outcome: 'y', cohort: 'cohort', controls: ['x1'], cluster: 'city' }));
    expect((await placeboChunk(unbalanced, base)).meta.seKernel).toBe('explicit');
  });
});
