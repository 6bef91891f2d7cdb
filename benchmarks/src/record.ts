import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineFacts, Scale } from './harness.js';
import { suiteMarkdown, type SuiteReport } from './report.js';

/**
 * Turns a suite child's stdout (its JSON on the last line) into the recorded report: writes
 * <outDir>/<suite>.<scale>.json and .md and prints each case's median.
 */
export function recordSuite(stdout: string, at: { name: string; scale: Scale; kind: string; machine: MachineFacts; outDir: string }): SuiteReport {
  const last = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(last) as Omit<SuiteReport, 'scale' | 'machine_kind' | 'machine' | 'recorded_at'>;
  const report: SuiteReport = { ...parsed, scale: at.scale, machine_kind: at.kind, machine: at.machine, recorded_at: new Date().toISOString() };
  writeFileSync(join(at.outDir, `${at.name}.${at.scale}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(at.outDir, `${at.name}.${at.scale}.md`), suiteMarkdown(report));
  for (const r of report.results) console.log(`  ${r.name}: median ${r.median_s.toFixed(4)} s on ${r.backend}`);
  return report;
}
