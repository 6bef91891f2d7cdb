import type { Block, MetaValue, ReportInput } from './blocks.js';
import type { Numbering } from './numbering.js';
import { comparisonTable, summariseComparison } from './comparison.js';
import { renderTable } from './table.js';

/** Alt text and captions must stay on one line and not close the image syntax. */
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').replace(/[[\]]/g, (c) => `\\${c}`);

function blockMarkdown(block: Block, numbering: Numbering): string {
  switch (block.kind) {
    case 'text':
      return block.paragraphs.join('\n\n') + '\n';
    case 'figure': {
      const n = numbering.figure(block.id);
      return `![Figure ${n}: ${oneLine(block.caption)}](figures/${block.id}.svg)\n\n*Figure ${n}.* ${oneLine(block.caption)}\n`;
    }
    case 'table': {
      const n = numbering.table(block.id);
      if (block.table) return `<a id="tab-${block.id}"></a>\n\n*Table ${n}.* ${renderTable(block.table, 'markdown')}`;
      const notes = (block.rendered?.notes ?? []).map((t) => `*${t}*`).join('\n\n');
      return `<a id="tab-${block.id}"></a>\n\n*Table ${n}.* **${block.rendered?.title ?? ''}**\n\n${block.rendered?.markdown ?? ''}\n${notes ? `\n${notes}\n` : ''}`;
    }
    case 'comparison': {
      const n = numbering.table(block.id);
      const s = summariseComparison(block.rows);
      const table = comparisonTable(block.rows, block.title, block.notes);
      return `<a id="tab-${block.id}"></a>\n\n${s.covered} of ${s.withInterval} confidence intervals cover the generator's true value.\n\n*Table ${n}.* ${renderTable(table, 'markdown')}`;
    }
    case 'failure':
      return `<a id="fail-${block.id}"></a>\n\n> **Failed:** ${oneLine(block.where)}\n>\n${block.message.split('\n').map((line) => `> ${line}`).join('\n')}\n`;
  }
}

function metaMarkdown(meta: Readonly<Record<string, MetaValue>>): string {
  const entries = Object.entries(meta);
  if (entries.length === 0) return '';
  return entries.map(([k, v]) => `- **${k}**: ${v === null ? '' : String(v)}`).join('\n') + '\n';
}

/** Markdown twin of the HTML report; figures are files under figures/. */
export function reportMarkdown(input: ReportInput, numbering: Numbering): string {
  const parts: string[] = [`# ${input.title}\n`];
  if (input.subtitle) parts.push(`*${input.subtitle}*\n`);
  const meta = metaMarkdown(input.meta ?? {});
  if (meta) parts.push(meta);
  parts.push('## Contents\n');
  parts.push(input.sections.map((s, i) => `${i + 1}. [${s.title}](#${s.id})`).join('\n') + '\n');
  input.sections.forEach((s, i) => {
    parts.push(`<a id="${s.id}"></a>\n\n## ${i + 1} ${s.title}\n`);
    if (s.intro) parts.push(s.intro.trim() + '\n');
    for (const b of s.blocks) parts.push(blockMarkdown(b, numbering));
  });
  return parts.join('\n');
}
