/**
 * The dashboard in a real browser: playwright-core driving Debian's Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium; `.ci/run` installs it) against
 * the real execution service on the paper venue and this file's own
 * Postgres. Signals go in over HTTP exactly as a strategy would send them;
 * what the test checks is what the page shows. Screenshots of every page at
 * 375 px and 1280 px go to .data/test-output/dashboard/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Db } from '../src/adapters/postgres/pool';
import { call, createKey, signal, startTestService, type TestService } from './api-support';
import { launchBrowser, openTab, screenshots, seriousViolations, signIn } from './dashboard-support';
import { testDb } from './helpers';

const STRATEGY = 'moving_average_crossover';
const SWITCH = `[data-strategy="${STRATEGY}"] input[role="switch"]`;

let db: Db;
let svc: TestService;
let trade: string;
let browser: Browser;

beforeAll(async () => {
  db = testDb();
  svc = await startTestService(db);
  trade = await createKey(db, 'trade');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await svc?.close();
  await db?.end();
});

const open = (width = 1280) => openTab(browser, svc.url, width);

describe('dashboard', () => {
  it('serves the page and its bundle without a key, with a strict CSP; the data routes still need one', async () => {
    const page = await fetch(`${svc.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${svc.url}${script}`)).status).toBe(200);
    expect((await fetch(`${svc.url}/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await call(svc.url, undefined, 'GET', '/orders')).status).toBe(401);
  });

  it('/ws opens from a browser with a one-time ticket (a subprotocol, never the key in the URL), and only once', async () => {
    const issued = await call(svc.url, trade, 'POST', '/ws/ticket');
    expect(issued.status).toBe(200);
    const protocols = [issued.body.protocol, `ticket.${issued.body.ticket}`];
    const wsUrl = `${svc.url.replace(/^http/, 'ws')}/ws`;
    const first = new WebSocket(wsUrl, protocols);
    await new Promise<void>((resolve, reject) => {
      first.once('open', () => resolve());
      first.once('error', reject);
    });
    expect(first.protocol).toBe('quant.v1');
    first.close();
    const again = new WebSocket(wsUrl, protocols);
    const status = await new Promise<number>((resolve) => again.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
    expect((await call(svc.url, undefined, 'POST', '/ws/ticket')).status).toBe(401);
    // A read-only key may watch the stream too.
    expect((await call(svc.url, await createKey(db, 'read'), 'POST', '/ws/ticket')).status).toBe(200);
  });

  it('a wrong key shows a sign-in error and fetches no data', async () => {
    const { ctx, page, requests, consoleErrors } = await open();
    await screenshots('sign-in', page);
    await signIn(page, 'qk_not_a_real_key');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not accepted');
    await page.waitForTimeout(500); // anything the page would ask after the failed check has been asked by now
    expect(requests.filter((r) => !/^GET \/(assets\/.*)?$/.test(r))).toEqual(['GET /session']);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await screenshots('sign-in-error', page);
    // Chromium reports the refused check itself as a console error; nothing else may appear.
    expect(consoleErrors.filter((e) => !(e.includes('401') && e.includes('/session')))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('orders and positions update live: a new order and its fill appear within a second, an open order can be cancelled', async () => {
    const { ctx, page, requests, consoleErrors } = await open();
    await signIn(page, trade);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Orders & positions' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Live' }).count()).toBe(1);
    await page.getByText('No orders yet.').waitFor();

    const sent = await call(svc.url, trade, 'POST', '/signals/execute', signal({ symbol: 'AAPL' }));
    expect(sent.body).toMatchObject({ status: 'executed', quantity: 100 });
    const answeredAt = Date.now();
    const row = page.locator(`#orders tr[data-order-id="${sent.body.order_id}"]`);
    await row.waitFor({ timeout: 1_000 });
    const position = page.locator('#positions tr[data-symbol="AAPL"]');
    await position.waitFor({ timeout: 1_000 });
    expect(Date.now() - answeredAt).toBeLessThan(1_000);
    await expect.poll(() => row.locator('.status').textContent(), { timeout: 1_000 }).toBe('filled');
    expect(await position.locator('td').first().textContent()).toBe('100');
    const [held] = (await call(svc.url, trade, 'GET', '/positions')).body as { avg_entry_price: number }[];
    expect(await position.locator('td').nth(1).textContent()).toBe(held.avg_entry_price.toFixed(2)); // money: 2 decimals

    // A limit far below the price stays open; cancel it with the confirmation, and it shows cancelled live.
    const limit = await call(svc.url, trade, 'POST', '/signals/execute', signal({ symbol: 'MSFT', price_target: 50 }));
    expect(limit.body.status).toBe('executed');
    const open_ = page.locator(`#orders tr[data-order-id="${limit.body.order_id}"]`);
    await open_.getByRole('button', { name: `Cancel order ${limit.body.order_id}` }).waitFor({ timeout: 1_000 });
    await screenshots('orders', page);
    page.once('dialog', (d) => void d.accept());
    await open_.getByRole('button', { name: `Cancel order ${limit.body.order_id}` }).click();
    await expect.poll(() => open_.locator('.status').textContent(), { timeout: 2_000 }).toMatch(/cancel/);

    expect(requests.some((r) => r.includes(trade))).toBe(false); // the key never travels in a URL
    expect(consoleErrors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('keyboard only: Tab to a strategy switch, Space turns it off, and its next signal is rejected with strategy_disabled', async () => {
    const { ctx, page, consoleErrors } = await open();
    await signIn(page, trade);
    await page.goto(`${svc.url}/#/strategies`);
    const toggle = page.locator(SWITCH);
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate<boolean>(`document.activeElement === document.querySelector('${SWITCH}')`);
    }
    expect(reached).toBe(true);
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none'); // visible focus
    await page.keyboard.press('Space');
    await page
      .getByRole('status')
      .filter({ hasText: `Saved ${STRATEGY}.` })
      .waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await screenshots('strategies', page);

    const next = await call(svc.url, trade, 'POST', '/signals/execute', signal({ symbol: 'XOM' }));
    expect(next.status).toBe(422);
    expect(next.body).toMatchObject({ status: 'rejected', rule: 'strategy_disabled' });

    // And back on, also by keyboard: the next signal executes again.
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect
      .poll(async () => (await call(svc.url, trade, 'GET', '/strategies')).body.find((s: { name: string }) => s.name === STRATEGY).enabled)
      .toBe(true);
    const again = await call(svc.url, trade, 'POST', '/signals/execute', signal({ symbol: 'XOM' }));
    expect(again.body.status).toBe('executed');

    expect(consoleErrors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('a threshold edited in place is effective on the next signal', async () => {
    const { ctx, page, consoleErrors } = await open(375);
    await signIn(page, trade);
    await page.goto(`${svc.url}/#/strategies`);
    const field = page.locator(`[data-strategy="${STRATEGY}"]`).getByLabel('Confidence threshold');
    await field.fill('0.95');
    await field.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `Saved ${STRATEGY}.` })
      .waitFor();
    const low = await call(svc.url, trade, 'POST', '/signals/execute', signal({ symbol: 'KO', confidence: 0.9 }));
    expect(low.body).toMatchObject({ status: 'rejected', rule: 'confidence_threshold' });
    expect(consoleErrors).toEqual([]);
    await ctx.close();
  });
});
