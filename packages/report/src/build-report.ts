import type { Report, ReportFigure, ReportInput, ReportTable } from './blocks.js';
import { comparisonTable } from './comparison.js';
import { reportHtml } from './html.js';
import { reportMarkdown } from './markdown.js';
import { numberBlocks } from './numbering.js';
import { stripXmlProlog, validateSvg } from './svg.js';
import { renderTable } from './table.js';
import { requireSafeId } from './validate.js';

const EXTERNAL_RESOURCE = /<(?:script|link|iframe|img|object|embed)\b|(?:src|href)\s*=\s*["']?\s*(?:https?:|\/\/)/i;

/** Checks ids (unique, file-safe), figures (real SVG, nothing external) and rendered tables. */
function validateInput(input: ReportInput): ReportInput {
  if (!input.title.trim()) throw new Error('buildReport: title is empty');
  if (input.sections.length === 0) throw new Error('buildReport: no sections');
  const ids = new Set<string>();
  const claim = (id: string, what: string): void => {
    requireSafeId(id, what);
    if (ids.has(id)) throw new Error(`buildReport: duplicate id '${id}' (${what})`);
    ids.add(id);
  };
  const sections = input.sections.map((s, si) => {
    claim(s.id, `section ${si} id`);
    const blocks = s.blocks.map((b, bi) => {
      const at = `section '${s.id}' block ${bi}`;
      if (b.kind === 'text') return b;
      claim(b.id, `${at} id`);
      if (b.kind === 'failure' && !b.message.trim()) throw new Error(`${at} (failure '${b.id}'): message is empty; say what failed`);
      if (b.kind === 'figure') {
        if (!b.caption.trim()) throw new Error(`${at} (figure '${b.id}'): caption is empty; say what it replicates`);
        const svg = stripXmlProlog(b.svg);
        validateSvg(svg, `${at} (figure '${b.id}')`);
        return { ...b, svg };
      }
      if (b.kind === 'table') {
        if ((b.table === undefined) === (b.rendered === undefined)) throw new Error(`${at} (table '${b.id}'): give exactly one of table or rendered`);
        if (b.table) renderTable(b.table, 'csv'); // validates row widths
        if (b.rendered && EXTERNAL_RESOURCE.test(b.rendered.html)) {
          throw new Error(`${at} (table '${b.id}'): rendered html must not load scripts, images or external URLs`);
        }
      }
      return b;
    });
    return { ...s, blocks };
  });
  for (const id of Object.keys(input.results ?? {})) requireSafeId(id, 'result id');
  return { ...input, sections };
}

/** Assembles the report: self-contained HTML, Markdown, and the figures/tables/results to export. */
export function buildReport(rawInput: ReportInput): Report {
  const input = validateInput(rawInput);
  const numbering = numberBlocks(input);
  const figures: ReportFigure[] = [];
  const tables: ReportTable[] = [];
  for (const s of input.sections) {
    for (const b of s.blocks) {
      if (b.kind === 'figure') {
        figures.push(Object.freeze({ id: b.id, number: numbering.figure(b.id), caption: b.caption, svg: b.svg, spec: b.spec ?? null }));
      } else if (b.kind === 'table') {
        const csv = b.table ? renderTable(b.table, 'csv') : (b.rendered?.csv ?? null);
        tables.push(Object.freeze({ id: b.id, number: numbering.table(b.id), title: b.table?.title ?? b.rendered?.title ?? '', csv }));
      } else if (b.kind === 'comparison') {
        tables.push(Object.freeze({ id: b.id, number: numbering.table(b.id), title: b.title, csv: renderTable(comparisonTable(b.rows, b.title, b.notes), 'csv') }));
      }
    }
  }
  return Object.freeze({
    title: input.title,
    html: reportHtml(input, numbering),
    markdown: reportMarkdown(input, numbering),
    figures: Object.freeze(figures),
    tables: Object.freeze(tables),
    results: Object.freeze({ ...(input.results ?? {}) }),
    meta: Object.freeze({ ...(input.meta ?? {}) }),
  });
}
