import { describe, expect, it } from 'vitest';
import { StepClock, formatSeconds } from '../src/progress.js';

const at = (analysis: string, step: string, done: number, total: number) => ({ analysis, step, done, total, fraction: done / total, overall: 0 });

describe('progress ETA', () => {
  it('counts draws and extrapolates the rate of the current step', () => {
    let t = 0;
    const clock = new StepClock(() => t);
    expect(clock.describe(at('a', 'draws', 0, 1000))).toBe('draws (0/1000)');
    t = 2000; // 100 draws in 2 s -> 900 left at 50/s
    expect(clock.describe(at('a', 'draws', 100, 1000))).toBe('draws (100/1000 ETA 18 s)');
    t = 3000;
    expect(clock.describe(at('b', 'epochs', 10, 300))).toBe('epochs (10/300)'); // a new step restarts the clock
    expect(clock.describe({ analysis: 'c', step: 'fitting', fraction: 0.5, overall: 0.1 })).toBe('fitting');
  });

  it('formats seconds, minutes and hours', () => {
    expect(formatSeconds(0.2)).toBe('1 s');
    expect(formatSeconds(75)).toBe('75 s');
    expect(formatSeconds(600)).toBe('10 min');
    expect(formatSeconds(7200)).toBe('2.0 h');
  });
});
