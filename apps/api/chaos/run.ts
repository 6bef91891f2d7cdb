// `npm run chaos -w @panel-lab/api [-- --scale ci|full]`: runs the chaos scenarios on real
// processes (redis-server must be installed) and records the figures in
// benchmarks/results/cpu-2core/chaos.json and chaos.md.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runChaos, type ChaosReport } from './scenarios.js';

const scale = process.argv.includes('--scale') ? process.argv[process.argv.indexOf('--scale') + 1] : 'full';
if (scale !== 'ci' && scale !== 'full') throw new Error(`--scale must be ci or full, got '${scale}'`);
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : fileURLToPath(new URL('../../../benchmarks/results/cpu-2core/', import.meta.url));

const report = await runChaos(scale, (line) => console.log(line));
await writeFile(`${out}/chaos.json`, JSON.stringify(report, null, 2) + '\n');
await writeFile(`${out}/chaos.md`, chaosMarkdown(report));
console.log(`wrote ${out}chaos.json and chaos.md`);

function chaosMarkdown(r: ChaosReport): string {
  const rows = r.scenarios.map((s) => `| ${s.scenario} | ${s.submitted} | ${s.succeeded} | ${s.failed} | ${s.lost} | ${s.stuck} | ${s.duplicated} | ${s.seconds.toFixed(1)} | ${Object.entries(s.figures).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  return [
    `# Chaos suite (${r.scale})`,
    '',
    `${r.startedAt}, ${r.cpus} CPUs, 1-min load ${r.load1} at the start (shared machine). API + 2 workers (1 task each) on one redis-server, loopback only.`,
    `Bounds: no job unfinished after ${r.bounds.stuckAfterS} s; tenant B's p95 status latency during tenant A's flood under ${r.bounds.otherTenantP95Ms} ms.`,
    '',
    '| scenario | jobs | succeeded | failed | lost | stuck | duplicated | seconds | figures |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
