import { describe, expect, it } from 'vitest';
import { createRng, permutation, sampleWithoutReplacement } from '../src/index.js';

describe('createRng', () => {
  it('reproduces the same stream from the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(createRng(43).uniform()).not.toBe(xs[0]);
  });

  it('derives substreams that do not depend on how far the parent was consumed', () => {
    const a = createRng(7);
    a.uniform();
    a.uniform();
    const b = createRng(7);
    expect(a.stream(3).uniform()).toBe(b.stream(3).uniform());
    expect(b.stream(3).uniform()).not.toBe(b.stream(4).uniform());
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const rng = createRng(1);
    const n = 200_000;
    let s = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      ss += z * z;
    }
    const mean = s / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(ss / n - mean * mean - 1)).toBeLessThan(0.02);
  });

  it('permutes and samples without replacement', () => {
    const p = permutation(createRng(3), 50);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const s = sampleWithoutReplacement(createRng(3), 10, 4);
    expect(new Set(s).size).toBe(4);
    expect(() => createRng(1.5)).toThrow(/integer/);
  });
});
