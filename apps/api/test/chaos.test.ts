import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runChaos } from '../chaos/scenarios.js';

const redisMissing = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0;
if (redisMissing) console.warn('chaos suite skipped: redis-server is not installed (apt-get install redis-server)');

// The short version of `npm run chaos -w @panel-lab/api` (chaos/): one Redis, the API and two
// workers as real processes on loopback; fixed seeds, bounds generous for a loaded 2-core runner.
describe.skipIf(redisMissing)('chaos suite (short, real processes)', () => {
  it('loses, strands and duplicates no job under worker kill -9, a Redis restart with and without persistence, a flood and SIGTERM with SSE clients', async () => {
    const report = await runChaos('ci', (line) => console.log(line));
    for (const s of report.scenarios) {
      expect(s.lost, s.scenario).toBe(0);
      expect(s.stuck, s.scenario).toBe(0);
      expect(s.duplicated, s.scenario).toBe(0);
      // a job may fail only where Redis lost it, and then it must say so
      if (!s.scenario.startsWith('Redis kill -9')) expect(s.failed, `${s.scenario}: ${JSON.stringify(s.errors)}`).toBe(0);
      for (const e of s.errors ?? []) expect(e, s.scenario).toMatch(/Redis|queue|vanished|lost/i);
    }
    const flood = report.scenarios.find((s) => s.scenario.startsWith('fan-out flood'))!;
    expect(flood.figures.otherTenantP95Ms as number).toBeLessThan(report.bounds.otherTenantP95Ms);
    expect(flood.succeeded).toBe(2);
    const sigterm = report.scenarios.find((s) => s.scenario.startsWith('SIGTERM'))!;
    expect(sigterm.figures).toMatchObject({ exitCode: '0', sseClosedWithRetryHint: 3 });
    expect(sigterm.figures.exitSeconds as number).toBeLessThan(4 + 2);
  }, 240_000);
});
