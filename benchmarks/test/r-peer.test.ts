import { describe, expect, it } from 'vitest';
import { estimateMatch, measure, parseRPeerOutput, rPeerFacts, runRPeer, R_SKIPPED_NOTE } from '../src/index.js';

describe('R peer (same-run timing)', () => {
  it('is skipped, not failed, when RPEERS_LIB is unset', async () => {
    const saved = process.env.RPEERS_LIB;
    delete process.env.RPEERS_LIB;
    try {
      expect(await runRPeer('did-mboot.R', { reps: 1 })).toBeNull();
      expect(rPeerFacts('did', null, { medianS: 1 })).toEqual({ r_side: R_SKIPPED_NOTE });
    } finally {
      if (saved !== undefined) process.env.RPEERS_LIB = saved;
    }
  });

  it('a case with an R peer records the skip (no R) or the failure (R present, script broken) and keeps its own timing', async () => {
    const benchCase = { name: 'c', params: {}, run: () => ({ x: 1 }), rPeer: { pkg: 'none', script: 'no-such-script.R', args: () => ({}) } };
    const saved = process.env.RPEERS_LIB;
    delete process.env.RPEERS_LIB;
    try {
      expect((await measure(benchCase, { warmup: 0, runs: 1 })).extra).toMatchObject({ x: 1, r_side: R_SKIPPED_NOTE });
    } finally {
      if (saved !== undefined) process.env.RPEERS_LIB = saved;
    }
    if (saved !== undefined) {
      const r = await measure(benchCase, { warmup: 0, runs: 1 });
      expect(r.extra.r_side).toMatch(/^R side failed: R peer no-such-script\.R failed/);
      expect(r.median_s).toBeGreaterThanOrEqual(0);
    }
  });

  it('reads the one RPEER_JSON line and rejects output without it', () => {
    const r = parseRPeerOutput('noise\nRPEER_JSON {"seconds":[2,1,3],"version":{"did":"2.3.0"},"estimate":{"att":1.5},"threads":1}\n', 'x.R');
    expect(r.seconds).toEqual([2, 1, 3]);
    const facts = rPeerFacts('did', r, { medianS: 0.5, estimate: { att: 1.5 + 1e-12, other: 3 } });
    expect(facts.r_did_median_s).toBe(2);
    expect((facts.ratios as Record<string, { value: number }>).vs_r_did!.value).toBe(4);
    expect(facts.r_estimate_match).toMatchObject({ keys: 1 });
    expect(() => parseRPeerOutput('no marker', 'x.R')).toThrow(/x\.R printed no 'RPEER_JSON' line/);
    expect(() => parseRPeerOutput('RPEER_JSON {"seconds":[],"version":{}}', 'x.R')).toThrow(/non-empty array/);
  });

  it.skipIf(!process.env.RPEERS_LIB)('runs an R script and reads its timing when R is available', async () => {
    const r = await runRPeer('echo-test.R', { n: 100, reps: 2 });
    expect(r?.seconds).toHaveLength(2);
    expect(r?.estimate?.sum).toBe(5050);
    expect(r?.version.R).toMatch(/^\d+\.\d+/);
  });

  it('compares estimates by largest absolute and relative difference', () => {
    expect(estimateMatch({ a: 2, b: 4 }, { a: 2.002, b: 4 })).toEqual({ max_abs: expect.closeTo(0.002, 12), max_rel: expect.closeTo(0.001, 12), keys: 2 });
  });
});
