// Sums the per-package Vitest JSON reports into one closing line ("N passed, N failed, N skipped")
// so CI can read the outcome of the whole monorepo run. Exits non-zero if any test failed or none ran.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'apps'].flatMap((dir) =>
  existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [],
);
if (existsSync('benchmarks')) roots.push('benchmarks');

let passed = 0;
let failed = 0;
let skipped = 0;
const perPackage = [];
for (const root of roots) {
  const file = join(root, 'test-results', 'vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  perPackage.push(`${root}: ${p} passed, ${f} failed, ${s} skipped`);
}
console.log(perPackage.join('\n'));
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
