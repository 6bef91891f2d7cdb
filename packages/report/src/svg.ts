/**
 * SVG checks and id scoping for inline embedding. Vega names clip paths "clip1", "clip2", ... in
 * every chart, so two inline charts would share ids and clip each other; prefix them per figure.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

/** Rejects what would break a self-contained, offline report: no SVG, scripts, external references. */
export function validateSvg(svg: string, what: string): void {
  const trimmed = svg.trimStart();
  if (!trimmed.startsWith('<svg')) throw new Error(`${what}: svg must start with <svg`);
  if (!trimmed.trimEnd().endsWith('</svg>')) throw new Error(`${what}: svg must end with </svg>`);
  if (/<script/i.test(svg)) throw new Error(`${what}: svg must not contain <script>`);
  if (/(?:href|src)\s*=\s*["']?\s*(?:https?:|\/\/)/i.test(svg)) throw new Error(`${what}: svg must not reference external URLs`);
}

/** Drops the XML prolog (if any) so the SVG can be inlined in HTML. */
export function stripXmlProlog(svg: string): string {
  return svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
}
