import { describe, expect, it } from 'vitest';
import { contourLines, quantileLevels } from '../src/index.js';

const axis = (n: number, from: number, to: number): number[] => Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

describe('contourLines', () => {
  it('puts the iso-line of a cone at the right radius, away from the border', () => {
    const x = axis(41, -2, 2);
    const y = axis(41, -2, 2);
    const z = y.map((yy) => x.map((xx) => Math.hypot(xx, yy)));
    const lines = contourLines({ x, y, z }, [1]);
    expect(lines.length).toBeGreaterThan(20);
    for (const v of lines) {
      expect(Math.abs(Math.hypot(v.x, v.y) - 1)).toBeLessThan(0.01); // linear interpolation error on a 0.1 grid
    }
    expect(new Set(lines.map((v) => v.line)).size).toBe(1);
  });

  it('cuts the stretches d3 runs along the grid border', () => {
    // z = x: the level-0.3 line is vertical; d3's closed polygon also runs along three borders.
    const x = axis(11, 0, 1);
    const y = axis(7, 10, 20);
    const z = y.map(() => x.map((xx) => xx));
    const lines = contourLines({ x, y, z }, [0.3]);
    expect(lines.length).toBeGreaterThan(0);
    for (const v of lines) expect(v.x).toBeCloseTo(0.3, 10);
    const ys = lines.map((v) => v.y);
    expect(Math.min(...ys)).toBeCloseTo(10, 10); // from the first grid row ...
    expect(Math.max(...ys)).toBeCloseTo(20, 10); // ... to the last, nothing along the frame
  });

  it('follows uneven axes', () => {
    const x = [0, 1, 4, 9];
    const y = [0, 1];
    const z = y.map(() => [0, 1, 2, 3]);
    const lines = contourLines({ x, y, z }, [1.5]);
    for (const v of lines) expect(v.x).toBeCloseTo(2.5, 10); // halfway between x = 1 and x = 4
  });
});

describe('quantileLevels', () => {
  it('gives increasing levels strictly inside the value range', () => {
    const x = axis(30, 0, 1);
    const z = x.map((a) => x.map((b) => (a + 0.1) * (b + 0.2)));
    const levels = quantileLevels({ x, y: x, z }, 10);
    expect(levels).toHaveLength(10);
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThan(levels[i - 1] as number);
    expect(levels[0]).toBeGreaterThan(0.1 * 0.2);
    expect(levels[9]).toBeLessThan(1.1 * 1.2);
  });
});
