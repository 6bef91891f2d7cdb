import { describe, expect, it } from 'vitest';
import { buildReport } from '../src/index.js';
import type { ReportInput } from '../src/index.js';

const input: ReportInput = {
  title: 'Partial run',
  sections: [
    { id: 'ok', title: 'Worked', blocks: [{ kind: 'text', paragraphs: ['fine'] }] },
    {
      id: 'es-main',
      title: 'Event study',
      blocks: [{ kind: 'failure', id: 'es-main-failed', where: "analyses[1] 'es-main' (event_study)", message: "outcome 'D' not found; columns are <a>, b" }],
    },
  ],
};

describe('failure blocks', () => {
  it('show where and why in the HTML, escaped, with a contents entry', () => {
    const report = buildReport(input);
    expect(report.html).toContain('<div class="failure" id="fail-es-main-failed" role="alert">');
    expect(report.html).toContain('<span class="label">Failed:</span> analyses[1] &#39;es-main&#39; (event_study)');
    expect(report.html).toContain('columns are &lt;a&gt;, b');
    expect(report.html).toContain('<a class="failed" href="#fail-es-main-failed">Failed</a>');
  });

  it('show as a quote in the Markdown, and count as neither table nor figure', () => {
    const report = buildReport(input);
    expect(report.markdown).toContain("> **Failed:** analyses\\[1\\] 'es-main' (event_study)\n>\n> outcome 'D' not found");
    expect(report.tables).toEqual([]);
    expect(report.figures).toEqual([]);
  });

  it('must say what failed', () => {
    const empty = { ...input, sections: [{ id: 's', title: 'S', blocks: [{ kind: 'failure' as const, id: 'f', where: 'x', message: ' ' }] }] };
    expect(() => buildReport(empty)).toThrow(/failure 'f'.*message is empty/);
  });
});
