// `npm run chaos -w @panel-lab/api [-- --scale ci|full]`: runs the chaos scenarios on real
// processes (redis-server must be installed) and records the figures in
// benchmarks/results/cpu-2core/chaos.json and chaos.md.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chaosMarkdown } from './markdown.js';
import { runChaos } from './scenarios.js';

const scale = process.argv.includes('--scale') ? process.argv[process.argv.indexOf('--scale') + 1] : 'full';
if (scale !== 'ci' && scale !== 'full') throw new Error(`--scale must be ci or full, got '${scale}'`);
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : fileURLToPath(new URL('../../../benchmarks/results/cpu-2core/', import.meta.url));

const report = await runChaos(scale, (line) => console.log(line));
await writeFile(`${out}/chaos.json`, JSON.stringify(report, null, 2) + '\n');
await writeFile(`${out}/chaos.md`, chaosMarkdown(report));
console.log(`wrote ${out}chaos.json and chaos.md`);
