import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium; never a downloaded browser. Override with env CHROMIUM_PATH. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Path of a usable Chromium, or null when none is installed. */
export function findChromium(path = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM): string | null {
  return existsSync(path) ? path : null;
}

export interface BrowserOptions {
  readonly executablePath?: string;
  /** Viewport of the "first screen" (default 1280 x 900). */
  readonly width?: number;
  readonly height?: number;
}

export interface FigureCheck {
  readonly id: string;
  readonly svgCount: number;
  /** Drawn marks inside the figure's SVG (paths, lines, rects, circles, text). */
  readonly marks: number;
  readonly width: number;
  readonly height: number;
}

export interface BrowserCheck {
  readonly figures: readonly FigureCheck[];
  readonly consoleErrors: readonly string[];
  /** Requests for anything but the report file itself: a self-contained report makes none. */
  readonly externalRequests: readonly string[];
  readonly title: string;
}

async function withPage<T>(htmlPath: string, opts: BrowserOptions, use: (page: Page, check: { errors: string[]; external: string[] }) => Promise<T>): Promise<T> {
  const executablePath = opts.executablePath ?? findChromium();
  if (executablePath === null) throw new Error(`Chromium not found at ${process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`);
  const browser: Browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 } });
    const errors: string[] = [];
    const external: string[] = [];
    const fileUrl = pathToFileURL(htmlPath).href;
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === fileUrl) return route.continue();
      external.push(url);
      return route.abort();
    });
    await page.goto(fileUrl, { waitUntil: 'load' });
    return await use(page, { errors, external });
  } finally {
    await browser.close();
  }
}

/** Opens the report in headless Chromium and reports, per <figure>, whether its SVG rendered. */
export function checkReportInBrowser(htmlPath: string, opts: BrowserOptions = {}): Promise<BrowserCheck> {
  return withPage(htmlPath, opts, async (page, { errors, external }) => {
    const figures = await page.$$eval('figure', (nodes) =>
      nodes.map((fig) => {
        const svg = fig.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: fig.id,
          svgCount: fig.querySelectorAll('svg').length,
          marks: svg ? svg.querySelectorAll('path, line, rect, circle, text').length : 0,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
        };
      }),
    );
    return Object.freeze({ figures, consoleErrors: [...errors], externalRequests: [...external], title: await page.title() });
  });
}

/** Screenshot of the first screen of the report (PNG). */
export async function screenshotReport(htmlPath: string, pngPath: string, opts: BrowserOptions = {}): Promise<void> {
  await withPage(htmlPath, opts, async (page) => {
    await page.screenshot({ path: pngPath, fullPage: false });
  });
}
