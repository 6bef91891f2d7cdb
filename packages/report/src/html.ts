import { escapeHtml } from './escape.js';
import { scopeSvgIds } from './svg.js';
import { REPORT_CSS } from './style.js';
import type { Block, MetaValue, ReportInput } from './blocks.js';
import type { Numbering } from './numbering.js';
import { comparisonTable, summariseComparison } from './comparison.js';
import { renderTable } from './table.js';

/** Escaped prose with `code` spans. */
export function inlineHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${inlineHtml(p)}</p>`)
    .join('\n');
}

function blockHtml(block: Block, numbering: Numbering): string {
  switch (block.kind) {
    case 'text':
      return block.paragraphs.map((p) => `<p>${inlineHtml(p)}</p>`).join('\n');
    case 'figure': {
      const n = numbering.figure(block.id);
      const svg = scopeSvgIds(block.svg, `f${n}`);
      return `<figure id="fig-${escapeHtml(block.id)}">\n<div class="chart">${svg}</div>\n<figcaption><span class="label">Figure ${n}.</span> ${inlineHtml(block.caption)}</figcaption>\n</figure>`;
    }
    case 'table': {
      const n = numbering.table(block.id);
      const title = block.table?.title ?? block.rendered?.title ?? '';
      const body = block.table ? renderTable(block.table, 'html') : (block.rendered?.html ?? '');
      const notes = block.rendered?.notes?.map((t) => `<p class="table-note">${inlineHtml(t)}</p>`).join('\n') ?? '';
      return `<div class="table-block" id="tab-${escapeHtml(block.id)}">\n<p class="table-title"><span class="label">Table ${n}.</span> ${inlineHtml(title)}</p>\n${body}\n${notes}</div>`;
    }
    case 'comparison': {
      const n = numbering.table(block.id);
      const s = summariseComparison(block.rows);
      const table = comparisonTable(block.rows, block.title, block.notes);
      return `<div class="table-block" id="tab-${escapeHtml(block.id)}">\n<p class="table-title"><span class="label">Table ${n}.</span> ${inlineHtml(block.title)}</p>\n<p class="summary">${s.covered} of ${s.withInterval} confidence intervals cover the generator's true value.</p>\n${renderTable(table, 'html')}</div>`;
    }
    case 'failure':
      return `<div class="failure" id="fail-${escapeHtml(block.id)}" role="alert">\n<p class="failure-title"><span class="label">Failed:</span> ${escapeHtml(block.where)}</p>\n<pre>${escapeHtml(block.message)}</pre>\n</div>`;
  }
}

/** Contents entries: the caption's first clause, at most ~90 characters. */
function shorten(text: string, max = 90): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

function blockTitle(b: Block): string {
  if (b.kind === 'table') return b.table?.title ?? b.rendered?.title ?? '';
  if (b.kind === 'comparison') return b.title;
  return '';
}

function metaHtml(meta: Readonly<Record<string, MetaValue>>): string {
  const entries = Object.entries(meta);
  if (entries.length === 0) return '';
  return `<dl class="meta">${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v === null ? '' : String(v))}</dd>`).join('')}</dl>`;
}

/** The whole self-contained HTML document: inline CSS and SVG, no script, no external URL. */
export function reportHtml(input: ReportInput, numbering: Numbering): string {
  const toc = input.sections
    .map((s) => {
      const items = s.blocks.flatMap((b) => {
        if (b.kind === 'figure') return [`<li><a href="#fig-${escapeHtml(b.id)}">Figure ${numbering.figure(b.id)}</a> ${inlineHtml(shorten(b.caption))}</li>`];
        if (b.kind === 'table' || b.kind === 'comparison') return [`<li><a href="#tab-${escapeHtml(b.id)}">Table ${numbering.table(b.id)}</a> ${inlineHtml(shorten(blockTitle(b)))}</li>`];
        if (b.kind === 'failure') return [`<li><a class="failed" href="#fail-${escapeHtml(b.id)}">Failed</a> ${inlineHtml(shorten(b.message))}</li>`];
        return [];
      });
      const sub = items.length > 0 ? `<ol>${items.join('')}</ol>` : '';
      return `<li><a href="#${escapeHtml(s.id)}">${inlineHtml(s.title)}</a>${sub}</li>`;
    })
    .join('\n');
  const sections = input.sections
    .map((s, i) => {
      const intro = s.intro ? paragraphs(s.intro) : '';
      return `<section id="${escapeHtml(s.id)}">\n<h2><span class="num">${i + 1}</span>${inlineHtml(s.title)}</h2>\n${intro}\n${s.blocks.map((b) => blockHtml(b, numbering)).join('\n')}\n</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header class="report-head">
<h1>${inlineHtml(input.title)}</h1>
${input.subtitle ? `<p class="subtitle">${inlineHtml(input.subtitle)}</p>` : ''}
${metaHtml(input.meta ?? {})}
</header>
<nav class="toc" aria-label="Contents">
<h2>Contents</h2>
<ol>
${toc}
</ol>
</nav>
${sections}
<footer>Figures: Vega-Lite rendered to SVG. Every figure's data and spec, every table (CSV) and every result (JSON) are exported next to this file.</footer>
</main>
</body>
</html>
`;
}
