import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { feols } from '@panel-lab/regression';

const PACK_CHECK = fileURLToPath(new URL('../../../scripts/pack-check.mjs', import.meta.url));

interface PackSummary {
  ok: boolean;
  packages: { name: string; size: number; entries: number }[];
  feols: { formula: string; panel: Record<string, number[]>; coef: number; se: number; nobs: number };
  help_node_s: number;
}

// Needs the build (turbo runs //#build before this package's tests; by hand: npm run build).
describe('the packed packages, installed outside the repository', () => {
  it('import, type-check and run as a new user would (npm pack, npm install, node, tsc, npx panel-lab)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [PACK_CHECK], { maxBuffer: 16 << 20, env: { ...process.env, NODE_OPTIONS: '' } });
    const summary = JSON.parse(stdout.trim().split('\n').pop()!) as PackSummary;
    expect(summary.ok).toBe(true);
    expect(summary.packages.map((p) => p.name)).toEqual(expect.arrayContaining(['@panel-lab/cli', '@panel-lab/regression', '@panel-lab/panel']));
    // The installed build computes what the sources compute.
    const cols = Object.fromEntries(Object.entries(summary.feols.panel).map(([k, v]) => [k, Float64Array.from(v)]));
    const fromSource = feols(summary.feols.formula, PanelFrame.fromColumns(cols, { unit: 'id', time: 't' }), { vcov: { cluster: 'id' } });
    expect(summary.feols.nobs).toBe(12);
    expect(summary.feols.coef).toBeCloseTo(fromSource.coefficients[0]!, 12);
    expect(summary.feols.se).toBeCloseTo(fromSource.se[0]!, 12);
  }, 300_000);
});
