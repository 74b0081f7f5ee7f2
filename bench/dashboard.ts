/**
 * `npm run bench:dashboard`: what each dashboard page costs a browser, with
 * data in it. On a fresh embedded stack it runs the demo's seeding through
 * the workflows (src/cli/dashboard-demo.ts), starts the execution service on
 * the paper venue as `quant api` does, and loads every page in Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium), one fresh tab each. Prints ONE
 * JSON object: the bundle's sizes raw and gzipped (`js_bytes`,
 * `js_gzip_bytes`, `css_bytes`, `css_gzip_bytes`: the limit is
 * 300 KB of JavaScript gzipped per page, and every page loads the same one
 * bundle), `seed_s`, and per page `load_ms` (navigation to the network
 * going quiet, the page's data drawn) with the JavaScript bytes it fetched
 * and the number of `/api`, `/orders`, `/strategies` ... calls it made.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createApiKeyRepo } from '../src/adapters/postgres/api-key-repo';
import { createPool } from '../src/adapters/postgres/pool';
import { DASHBOARD_OUT, buildDashboard } from '../src/api/dashboard';
import { startApiService } from '../src/api/service';
import { openVenue } from '../src/api/venue';
import { seedDashboardDemo } from '../src/cli/dashboard-demo';
import { prepareDatabase } from '../src/cli/database';
import { selectBroker } from '../src/config/broker-select';
import { freshStack, loadAverage, startBenchWorker } from './support';

const PAGES = ['overview', 'market', 'orders', 'strategies', 'models', 'runs'] as const;

async function main() {
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const built = await buildDashboard();
  const sizes: Record<string, number> = {};
  for (const file of built.files.filter((f) => f.startsWith('assets/'))) {
    const body = readFileSync(join(DASHBOARD_OUT, file));
    const kind = file.endsWith('.js') ? 'js' : 'css';
    sizes[`${kind}_bytes`] = (sizes[`${kind}_bytes`] ?? 0) + body.length;
    sizes[`${kind}_gzip_bytes`] = (sizes[`${kind}_gzip_bytes`] ?? 0) + gzipSync(body, { level: 9 }).length;
  }
  const stack = await freshStack(
    'dashboard',
    { LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'bench-dashboard', API_MARKET_HOURS: 'always' },
    log,
  );
  const db = createPool(stack.endpoints.databaseUrl, 10);
  const result: Record<string, unknown> = { ...sizes };
  try {
    await prepareDatabase(db);
    const worker = await startBenchWorker(stack);
    const t0 = performance.now();
    try {
      await seedDashboardDemo(worker.client, stack.config, log);
    } finally {
      await worker.close();
    }
    result.seed_s = Math.round((performance.now() - t0) / 10) / 100;
    const venue = await openVenue(stack.config, db, selectBroker(stack.config));
    const service = await startApiService({
      config: stack.config,
      db,
      broker: venue.broker,
      quotes: venue.quotes,
      port: 0,
      log: () => undefined,
    });
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const { key } = await createApiKeyRepo(db).create('bench-dashboard', 'read');
      const pages: Record<string, { load_ms: number; js_bytes: number; data_requests: number }> = {};
      for (const name of PAGES) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        // Signed in before the page's own script runs, as a returning tab is.
        await ctx.addInitScript(`sessionStorage.setItem('quant.apiKey', ${JSON.stringify(key)})`);
        const page = await ctx.newPage();
        let jsBytes = 0;
        let dataRequests = 0;
        page.on('response', (r) => {
          const path = new URL(r.url()).pathname;
          if (path.endsWith('.js')) void r.body().then((b) => (jsBytes += b.length));
          else if (!path.startsWith('/assets/') && path !== '/') dataRequests++;
        });
        const started = performance.now();
        await page.goto(`${service.url}/#/${name}`, { waitUntil: 'networkidle' });
        pages[name] = { load_ms: Math.round(performance.now() - started), js_bytes: jsBytes, data_requests: dataRequests };
        await ctx.close();
      }
      result.pages = pages;
    } finally {
      await browser.close();
      await service.close();
      await venue.close();
    }
  } finally {
    await db.end();
    await stack.close();
  }
  process.stdout.write(`${JSON.stringify({ ...result, ...loadAverage() })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:dashboard failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
