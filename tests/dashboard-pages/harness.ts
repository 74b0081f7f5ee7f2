/**
 * What every page check of tests/dashboard-pages.test.ts gets: the real
 * service (`quant api`'s startApiService) on a database and object store the
 * demo seeding filled through the real workflows, a trade key, the browser,
 * and what was seeded.
 */
import type { Browser } from 'playwright-core';
import type { Db } from '../../src/adapters/postgres/pool';
import type { DemoSeed } from '../../src/cli/dashboard-demo';
import type { Tab } from '../dashboard-support';

export interface PagesHarness {
  /** The service's base URL (http://127.0.0.1:port). */
  url: string;
  /** A trade key (the page signs in with it). */
  key: string;
  db: Db;
  browser: Browser;
  seed: DemoSeed;
  /** The Temporal Web UI base URL the service links to. */
  uiUrl: string;
  /** A fresh tab, signed in, on `route` (e.g. '#/market'), at `width` px. */
  open(route: string, width?: number): Promise<Tab>;
}
