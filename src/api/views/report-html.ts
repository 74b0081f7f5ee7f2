/**
 * A run's Markdown report as HTML for the Runs page, rendered on the server
 * with `marked`. The page puts this HTML into its DOM as it is, so nothing in
 * a report may reach the page as markup: raw HTML in the Markdown is escaped
 * (shown as text), links go out only to http(s) and mailto, and images only
 * as the report's own SVG charts, read from the store next to the report and
 * inlined as `data:` URIs (the page's CSP allows `img-src 'self' data:`, and
 * an SVG shown through <img> runs no script). Headings move two levels
 * down (under the page's h1 and the report panel's h2), and wide tables
 * scroll inside a focusable region of their own.
 */
import { Marked, Renderer, type Token, type Tokens } from 'marked';
import { REPORT_WORKFLOWS } from '../../adapters/layout';
import { assertValidKey, ObjectNotFoundError, type ObjectStore } from '../../adapters/object-store/types';

/** A chart larger than this is not inlined (the page would carry it base64, a third larger). */
export const MAX_CHART_BYTES = 2 * 1024 * 1024;

/** Reports live under reports/<workflow>/... (layout.report); the Runs page reads nothing else. */
const REPORTS_PREFIX = 'reports/';

export interface RenderedReport {
  key: string;
  /** The report's first heading, or its file name. */
  title: string;
  html: string;
  /** Charts inlined, and the relative images that could not be (missing, too large, not SVG). */
  charts: { inlined: number; missing: string[] };
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Why `key` is not a report key, or null when it is: a valid object key under
 * reports/<one of REPORT_WORKFLOWS>/, ending in .md.
 *
 * @example
 *   reportKeyProblem('reports/monitor/year=2025/month=03/day=14/monitor-2025-03-14.md') // null
 *   reportKeyProblem('reports/../secrets.md') // 'not a valid object key: ...'
 */
export function reportKeyProblem(key: string): string | null {
  try {
    assertValidKey(key);
  } catch (err) {
    return `not a valid object key: ${(err as Error).message}`;
  }
  const folder = key.slice(REPORTS_PREFIX.length).split('/')[0];
  if (!key.startsWith(REPORTS_PREFIX) || !(REPORT_WORKFLOWS as readonly string[]).includes(folder))
    return `a report key starts with ${REPORTS_PREFIX}<workflow>/ (one of ${REPORT_WORKFLOWS.join(', ')})`;
  if (!key.endsWith('.md')) return 'a report key ends with .md';
  return null;
}

/** A chart a report links to: a sibling file's name only (no folder, no scheme), ending in .svg. */
const CHART_FILE = /^[A-Za-z0-9][A-Za-z0-9._=-]*\.svg$/;
const OUTBOUND = /^(https?:\/\/|mailto:)/i;
/** A report's `#` is the page's third heading level. */
const HEADING_OFFSET = 2;

/**
 * Render the report at `key` (read from `store`), its relative SVG charts inlined.
 * Throws ObjectNotFoundError when the report itself is absent.
 *
 * @example
 *   (await renderReport(store, 'reports/monitor/year=2025/month=03/day=14/monitor-2025-03-14.md')).html
 *   // '<h1>Portfolio monitor 2025-03-14</h1>...<img src="data:image/svg+xml;base64,..." alt="Equity curve">...'
 */
export async function renderReport(store: ObjectStore, key: string): Promise<RenderedReport> {
  const markdown = new TextDecoder().decode(await store.get(key));
  const folder = key.slice(0, key.lastIndexOf('/') + 1);
  const marked = new Marked({ gfm: true });
  const tokens = marked.lexer(markdown);

  const wanted = new Set<string>();
  // The callback is synchronous: the array walkTokens returns holds no promise to wait for.
  void marked.walkTokens(tokens, (t) => {
    if (t.type === 'image' && CHART_FILE.test((t as Tokens.Image).href)) wanted.add((t as Tokens.Image).href);
  });
  const charts = new Map<string, string>();
  const missing: string[] = [];
  for (const file of wanted) {
    const svg = await readChart(store, folder + file);
    if (svg) charts.set(file, `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
    else missing.push(file);
  }

  let lastHeading = 'Report';
  let title: string | null = null;
  marked.use({
    renderer: {
      // Raw HTML is shown as the text it is, never passed through (the page inserts this HTML as is).
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      // Two levels down: the page's own h1 and the panel's h2 sit above the report's headings.
      heading(token: Tokens.Heading) {
        lastHeading = token.text;
        title ??= token.text;
        const level = Math.min(6, token.depth + HEADING_OFFSET);
        return `<h${level}>${this.parser.parseInline(token.tokens)}</h${level}>\n`;
      },
      image({ href, text }: Tokens.Image) {
        const src = charts.get(href);
        if (src) return `<img src="${src}" alt="${escapeHtml(text)}">`;
        return `<span class="report-missing">[${escapeHtml(text || href)}: chart not available]</span>`;
      },
      link(token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens);
        if (!OUTBOUND.test(token.href)) return inner;
        return `<a href="${escapeHtml(token.href)}" rel="noopener noreferrer">${inner}</a>`;
      },
      table(token: Tokens.Table) {
        // A wide table scrolls sideways in its own box; focusable and named so the keyboard can scroll it.
        const table = Renderer.prototype.table.call(this, token);
        return `<div class="report-table" tabindex="0" role="region" aria-label="${escapeHtml(lastHeading)} (table)">${table}</div>\n`;
      },
    },
  });
  const html = marked.parser(tokens as Token[]);
  return { key, title: title ?? key.slice(folder.length), html, charts: { inlined: charts.size, missing } };
}

/** The chart's bytes, or null when it is absent, too large or not an SVG document. */
async function readChart(store: ObjectStore, key: string): Promise<Uint8Array | null> {
  try {
    if ((await store.size(key)) > MAX_CHART_BYTES) return null;
    const bytes = await store.get(key);
    const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
    return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(head) ? bytes : null;
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return null;
    throw err;
  }
}
