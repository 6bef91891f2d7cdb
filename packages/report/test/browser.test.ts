import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, checkReportInBrowser, findChromium, screenshotReport, writeReport } from '../src/index.js';
import { demoReportInput } from './fixtures.js';

// Debian's chromium (installed by .ci/install-system.sh); never a downloaded browser. Without it the
// test is skipped with a note, except in CI or with REQUIRE_BROWSER=1, where its absence fails.
const chromiumPath = findChromium();
const browserRequired = Boolean(process.env.CI) || process.env.REQUIRE_BROWSER === '1';
if (chromiumPath === null) {
  console.warn(`browser check skipped: no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (apt-get install chromium)`);
}

describe('browser prerequisites', () => {
  it.runIf(browserRequired)('has Chromium when CI or REQUIRE_BROWSER=1 is set', () => {
    expect(chromiumPath, 'Chromium is required here: install Debian\'s chromium (.ci/install-system.sh)').not.toBeNull();
  });
});

describe.skipIf(chromiumPath === null)('report in headless Chromium', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'panel-lab-browser-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders every figure (non-empty SVG with marks), logs no errors, requests nothing, screenshots the first screen', async () => {
    const report = buildReport(await demoReportInput());
    const written = await writeReport(report, dir);

    const check = await checkReportInBrowser(written.html);
    expect(check.title).toBe(report.title);
    expect(check.figures.map((f) => f.id)).toEqual(report.figures.map((f) => `fig-${f.id}`));
    for (const f of check.figures) {
      expect(f.svgCount, f.id).toBeGreaterThanOrEqual(1);
      expect(f.marks, f.id).toBeGreaterThan(10);
      expect(f.width, f.id).toBeGreaterThan(200);
      expect(f.height, f.id).toBeGreaterThan(100);
    }
    expect(check.consoleErrors).toEqual([]);
    expect(check.externalRequests).toEqual([]);

    const png = join(dir, 'first-screen.png');
    await screenshotReport(written.html, png, { width: 1280, height: 900 });
    const bytes = await readFile(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(1280); // IHDR width
    expect(bytes.readUInt32BE(20)).toBe(900); // IHDR height
    expect(bytes.length).toBeGreaterThan(20_000); // a blank page compresses to a few kB
  }, 60_000);

  it('reports console errors and external requests of a broken page', async () => {
    const broken = join(dir, 'broken.html');
    await writeFile(broken, '<!DOCTYPE html><title>x</title><img src="https://example.org/a.png"><script>console.error("boom")</script><figure id="f"></figure>');
    const check = await checkReportInBrowser(broken);
    expect(check.consoleErrors.some((e) => e.includes('boom'))).toBe(true);
    expect(check.externalRequests).toContain('https://example.org/a.png');
    expect(check.figures).toEqual([{ id: 'f', svgCount: 0, marks: 0, width: 0, height: 0 }]);
  }, 60_000);
});
