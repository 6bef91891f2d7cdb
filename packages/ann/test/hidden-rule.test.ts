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
