// `npm run chaos -w @panel-lab/api [-- --scale ci|full] [--replicas-only]`: runs the chaos scenarios
// on real processes (redis-server must be installed; PostgreSQL for the replicas scenarios) and
// records the figures in benchmarks/results/cpu-2core/chaos.json and chaos.md. --replicas-only runs
// the two-replica scenarios alone and puts them in place of the recorded ones (the rest is kept).
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chaosMarkdown } from './markdown.js';
import { REPLICAS_PREFIX, runChaos, type ChaosReport } from './scenarios.js';

const scale = process.argv.includes('--scale') ? process.argv[process.argv.indexOf('--scale') + 1] : 'full';
if (scale !== 'ci' && scale !== 'full') throw new Error(`--scale must be ci or full, got '${scale}'`);
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : fileURLToPath(new URL('../../../benchmarks/results/cpu-2core/', import.meta.url));
const replicasOnly = process.argv.includes('--replicas-only');

let report = await runChaos(scale, (line) => console.log(line), replicasOnly ? { faults: false, redisRestarts: false, replicas: true } : { replicas: true });
if (replicasOnly && existsSync(`${out}/chaos.json`)) {
  const recorded = JSON.parse(readFileSync(`${out}/chaos.json`, 'utf8')) as ChaosReport;
  const mine = report.scenarios.map((s) => ({ ...s, figures: { ...s.figures, load1AtStart: report.load1, startedAt: report.startedAt } }));
  report = { ...recorded, scenarios: [...recorded.scenarios.filter((s) => !s.scenario.startsWith(REPLICAS_PREFIX)), ...mine] };
}
await writeFile(`${out}/chaos.json`, JSON.stringify(report, null, 2) + '\n');
await writeFile(`${out}/chaos.md`, chaosMarkdown(report));
console.log(`wrote ${out}chaos.json and chaos.md`);
