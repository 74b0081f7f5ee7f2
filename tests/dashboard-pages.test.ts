/**
 * Every page of the dashboard in a real browser, with data in it: the demo
 * seeding (src/cli/dashboard-demo.ts, what `quant demo --dashboard` runs)
 * first fills this file's database and object store through the real
 * workflows on a real worker (a daily pipeline history, the model pipeline,
 * a replayed intraday day, a fan-out run), then the real execution service
 * serves the dashboard and each page's checks (tests/dashboard-pages/*.ts)
 * drive it in Chromium: data shown as stored, no console error, axe-core
 * clean, screenshots at 375 and 1280 px under .data/test-output/dashboard/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DAYS, seedDashboardDemo, type DemoSeed } from '../src/cli/dashboard-demo';
import { prepareDatabase } from '../src/cli/database';
import { createKey, startTestService, type TestService } from './api-support';
import { launchBrowser, openTab, signIn } from './dashboard-support';
import { checkMarketPage } from './dashboard-pages/market';
import { checkModelsPage } from './dashboard-pages/models';
import { checkOverviewPage } from './dashboard-pages/overview';
import { checkRunsPage } from './dashboard-pages/runs';
import { checkStrategiesActivity } from './dashboard-pages/strategies';
import type { PagesHarness } from './dashboard-pages/harness';
import { testConfig, uniqueName, useTestStack } from './helpers';

const UI_URL = 'http://localhost:8233';
const config = testConfig();
const stack = useTestStack(config);
let svc: TestService;
let browser: Browser;
const h = {} as PagesHarness;

beforeAll(async () => {
  // What `quant db migrate` does on a fresh stack: the built-in models (and the strategies') are registered.
  await prepareDatabase(stack.db);
  // Workflow IDs are global on the test server while each test file has its own database: other files run
  // pipeline-2025-03-14 and friends into theirs, and a completed date is skipped, not redone. So this file seeds
  // days no other test uses, and a fan-out run key of its own.
  const seed: DemoSeed = await seedDashboardDemo(
    stack.client,
    config,
    (line) => process.stderr.write(`${line}\n`),
    { ...DEMO_DAYS, from: '2025-05-05', to: '2025-05-16', replayDate: '2025-05-16' },
    uniqueName('dashboard'),
  );
  svc = await startTestService(stack.db, { TEMPORAL_UI_URL: UI_URL });
  browser = await launchBrowser();
  Object.assign(h, {
    url: svc.url,
    key: await createKey(stack.db, 'trade'),
    db: stack.db,
    browser,
    seed,
    uiUrl: UI_URL,
    async open(route: string, width = 1280) {
      const tab = await openTab(browser, svc.url, width);
      await signIn(tab.page, h.key);
      await tab.page.getByRole('navigation', { name: 'Pages' }).waitFor();
      await tab.page.goto(`${svc.url}/${route}`);
      return tab;
    },
  } satisfies PagesHarness);
});
afterAll(async () => {
  await browser?.close();
  await svc?.close();
});

describe('dashboard pages with the demo data', () => {
  it('the seeding ran every part', () => {
    expect(h.seed.pipelineDates).toHaveLength(10); // 2025-05-05 .. 05-16: two five-day weeks, no NYSE holiday
    expect(h.seed.replayBook).toBe('replay:2025-05-16');
  });
  it('Overview', () => checkOverviewPage(h));
  it('Market', () => checkMarketPage(h));
  it('Strategies: the day’s signals and rejections', () => checkStrategiesActivity(h));
  it('Models', () => checkModelsPage(h));
  it('Runs', () => checkRunsPage(h));
});
