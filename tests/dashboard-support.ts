/**
 * The browser side of the dashboard tests: playwright-core driving Debian's
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium; `.ci/run` installs it),
 * a fresh tab per check that records its requests and console errors,
 * sign-in, axe-core, and screenshots at 375 and 1280 px under
 * .data/test-output/dashboard/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = join(__dirname, '..', '.data', 'test-output', 'dashboard');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  process.stderr.write(`dashboard screenshots: ${SCREENSHOTS}\n`);
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface Tab {
  ctx: BrowserContext;
  page: Page;
  /** "METHOD /path?query" of every request the tab made, in order. */
  requests: string[];
  consoleErrors: string[];
}

/** A fresh tab (its own sessionStorage) on `url`'s dashboard that records every request and console error. */
export async function openTab(browser: Browser, url: string, width = 1280): Promise<Tab> {
  // bypassCSP: only so the test can inject axe-core's script; the page's own CSP is checked by its own loads.
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (r) => requests.push(`${r.method()} ${r.url().slice(url.length)}`));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${url}/`);
  return { ctx, page, requests, consoleErrors };
}

export async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** axe-core in the page: the serious and critical violations, as "rule: nodes". */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  // A string, not a function: this file is compiled without the DOM's types.
  const violations = await page.evaluate<{ id: string; impact: string; nodes: number }[]>(
    'axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))',
  );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes}`);
}

/** Full-page screenshots of the page as it is, at 375 px and 1280 px: `<name>-375.png`, `<name>-1280.png`. */
export async function screenshots(name: string, page: Page): Promise<void> {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150); // the charts resize on the next frame
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
