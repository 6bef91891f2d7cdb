import { generateChinaPanel } from '@panel-lab/datasets';
const t0 = performance.now();
const p = generateChinaPanel({ cities: Number(process.argv[2]), years: Number(process.argv[3] ?? 20) });
console.log('ms', (performance.now() - t0).toFixed(0), 'rows', p.frame.nrows, 'cols', p.frame.columnNames.length, 'rssMB', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'shares', JSON.stringify(p.meta.shares), 'att', JSON.stringify(p.truth.att));
