import { describe, expect, it } from 'vitest';
import { cappedHiddenNeurons, DEFAULT_MAX_HIDDEN, hiddenNeuronRule } from '../src/index.js';

describe('hidden units: the seed rule, capped', () => {
  it('keeps the seed panel on the rule and stops it growing with rows', () => {
    expect(hiddenNeuronRule({ sampleSize: 2457, inputs: 27 })).toBe(8); // METHODS §18.3 worked example
    expect(cappedHiddenNeurons({ sampleSize: 2574, inputs: 27 })).toBe(hiddenNeuronRule({ sampleSize: 2574, inputs: 27, trainShare: 1 }));
    expect(hiddenNeuronRule({ sampleSize: 257_400, inputs: 27, trainShare: 1 })).toBeGreaterThan(800);
    expect(cappedHiddenNeurons({ sampleSize: 257_400, inputs: 27 })).toBe(DEFAULT_MAX_HIDDEN);
    expect(cappedHiddenNeurons({ sampleSize: 257_400, inputs: 27, offset: -2 })).toBe(DEFAULT_MAX_HIDDEN - 2);
    expect(cappedHiddenNeurons({ sampleSize: 100, inputs: 27, offset: -2 })).toBe(1);
    expect(() => cappedHiddenNeurons({ sampleSize: 100, inputs: 2, maxHidden: 0 })).toThrow(/maxHidden/);
  });
});

describe('tanh from one exp (partial dependence)', () => {
  it('agrees with Math.tanh to rounding over the whole range, odd and saturating', async () => {
    const { tanhViaExp } = await import('../src/partial-dependence.js');
    let worst = 0;
    for (let k = -4000; k <= 4000; k++) {
      const x = k / 200 + 1e-7 * Math.sin(k);
      worst = Math.max(worst, Math.abs(tanhViaExp(x) - Math.tanh(x)));
      expect(tanhViaExp(-x) + tanhViaExp(x)).toBe(0);
    }
    expect(worst).toBeLessThan(1e-15);
    expect(tanhViaExp(800)).toBe(1);
    expect(tanhViaExp(0)).toBe(0);
  });
});
