/**
 * The Market page with the demo data: a symbol we traded in the replayed day
 * (and that has daily bars), its daily and 5-minute charts, the chart type
 * switched by mouse and by keyboard, and the marks. What is checked is what
 * lightweight-charts holds (TimeChart writes the library's own series types
 * and panes as `data-series`, and each series' markers as `data-markers`);
 * the expected counts come from the tables directly, not from the view code.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshots, seriousViolations } from '../dashboard-support';
import type { PagesHarness } from './harness';

const CHART = '#market-chart';
const TZ = 'America/New_York';
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const chartState = (page: Page) =>
  page.locator(CHART).evaluate((el: { dataset: Record<string, string | undefined> }) => ({ ...el.dataset }));
const seriesOf = async (page: Page) => (await chartState(page)).series;
const priceMarkers = async (page: Page) => Number((await chartState(page)).markers?.split(',')[0] ?? NaN);
const button = (page: Page, group: string, name: string) =>
  page.getByRole('group', { name: group, exact: true }).getByRole('button', { name, exact: true });

/** The symbol with the most fills in the execution service's books that also has daily and 5-minute bars. */
async function tradedSymbol(h: PagesHarness): Promise<string> {
  const r = await h.db.query<{ symbol: string }>(
    `SELECT f.symbol FROM order_fills f
      WHERE EXISTS (SELECT 1 FROM market_data m WHERE m.symbol = f.symbol)
        AND EXISTS (SELECT 1 FROM intraday_bars i WHERE i.symbol = f.symbol AND i.interval = '5m')
      GROUP BY f.symbol ORDER BY count(*) DESC, f.symbol LIMIT 1`,
  );
  expect(r.rows, 'the replayed day filled an order of a symbol with daily bars').toHaveLength(1);
  return r.rows[0].symbol;
}

/** The symbol with the most buy or sell recommendations of the daily pipeline (and daily bars). */
async function recommendedSymbol(h: PagesHarness): Promise<string> {
  const r = await h.db.query<{ symbol: string }>(
    `SELECT s.symbol FROM signal_results s
      WHERE s.signal <> 'hold' AND EXISTS (SELECT 1 FROM market_data m WHERE m.symbol = s.symbol)
      GROUP BY s.symbol ORDER BY count(*) DESC, s.symbol LIMIT 1`,
  );
  expect(r.rows, 'the daily pipeline recommended something other than hold').toHaveLength(1);
  return r.rows[0].symbol;
}

/** Symbols with bars in any interval. */
async function symbolCount(h: PagesHarness): Promise<number> {
  const r = await h.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT symbol FROM market_data UNION SELECT symbol FROM intraday_bars) s`,
  );
  return r.rows[0].n;
}

/** Marks on the daily chart over all of the symbol's days: recommendations and model signals other than hold, both books' fills. */
async function expectedDaily(h: PagesHarness, symbol: string) {
  const r = await h.db.query<{ signals: number; models: number; trades: number; fills: number; last_close: number }>(
    `WITH span AS (SELECT min(date) AS first, max(date) AS last FROM market_data WHERE symbol = $1)
     SELECT (SELECT count(*)::int FROM signal_results, span WHERE symbol = $1 AND signal <> 'hold' AND run_date BETWEEN first AND last) AS signals,
            (SELECT count(*)::int FROM model_signals s JOIN model_runs r ON r.id = s.model_run_id, span
              WHERE s.symbol = $1 AND s.action <> 'HOLD' AND r.run_date BETWEEN first AND last) AS models,
            (SELECT count(*)::int FROM trades, span WHERE symbol = $1 AND run_date BETWEEN first AND last) AS trades,
            (SELECT count(*)::int FROM order_fills, span WHERE symbol = $1 AND (filled_at AT TIME ZONE $2)::date BETWEEN first AND last) AS fills,
            (SELECT close FROM market_data WHERE symbol = $1 ORDER BY date DESC LIMIT 1) AS last_close`,
    [symbol, TZ],
  );
  return r.rows[0];
}

/** Marks on the 5-minute chart: the strategies' BUY/SELL signals by outcome, and our fills, inside the stored bars. */
async function expectedIntraday(h: PagesHarness, symbol: string) {
  const r = await h.db.query<{ executed: number; rejected: number; fills: number }>(
    `WITH span AS (SELECT min(ts) AS first, max(ts) + interval '5 minutes' AS stop FROM intraday_bars WHERE symbol = $1 AND interval = '5m')
     SELECT count(*) FILTER (WHERE outcome = 'executed')::int AS executed, count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected,
            (SELECT count(*)::int FROM order_fills, span WHERE symbol = $1 AND filled_at >= first AND filled_at < stop) AS fills
       FROM trading_signals, span WHERE symbol = $1 AND action <> 'HOLD' AND signal_ts >= first AND signal_ts < stop`,
    [symbol],
  );
  return r.rows[0];
}

export async function checkMarketPage(h: PagesHarness): Promise<void> {
  const symbol = await tradedSymbol(h);
  const daily = await expectedDaily(h, symbol);
  const intraday = await expectedIntraday(h, symbol);
  expect(daily.fills, `${symbol} was filled in the replay`).toBeGreaterThan(0);

  // An unknown symbol is refused by name; a malformed one by field.
  const unknown = await fetch(`${h.url}/api/market/NOPE`, { headers: { authorization: `Bearer ${h.key}` } });
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toMatchObject({ field: 'symbol', message: expect.stringContaining('"NOPE"') });
  const malformed = await fetch(`${h.url}/api/market/${symbol}?interval=2h`, { headers: { authorization: `Bearer ${h.key}` } });
  expect(malformed.status).toBe(400);
  expect(await malformed.json()).toMatchObject({ field: 'interval' });

  const tab = await h.open(`#/market?symbol=${symbol}&interval=1d&range=all`);
  const { page } = tab;

  // Daily candles over volume in the pane below, every mark the tables hold.
  await expect.poll(() => seriesOf(page)).toBe('Candlestick:0,Histogram:1');
  await expect.poll(() => priceMarkers(page)).toBe(daily.signals + daily.models + daily.trades + daily.fills);
  await expect.poll(() => page.locator('#market-marks tbody tr[data-kind="fill"]').count()).toBe(daily.trades + daily.fills);
  await expect(page.locator('#market-latest tbody td').nth(3).textContent()).resolves.toBe(moneyFormat.format(daily.last_close));
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Market: ${symbol}`);
  expect(await page.locator(CHART).getAttribute('aria-label')).toContain(symbol);
  expect(await page.getByRole('group', { name: 'Symbols' }).getByRole('button', { name: symbol }).getAttribute('aria-pressed')).toBe(
    'true',
  );

  // The chart type buttons switch the library's series, by mouse...
  await button(page, 'Chart type', 'OHLC bars').click();
  await expect.poll(() => seriesOf(page)).toBe('Bar:0,Histogram:1');
  expect(await button(page, 'Chart type', 'OHLC bars').getAttribute('aria-pressed')).toBe('true');
  expect(await button(page, 'Chart type', 'Candles').getAttribute('aria-pressed')).toBe('false');
  await button(page, 'Chart type', 'Line').click();
  await expect.poll(() => seriesOf(page)).toBe('Line:0,Histogram:1');
  // ...keeping the marks on whichever series draws the price,
  expect(await priceMarkers(page)).toBe(daily.signals + daily.models + daily.trades + daily.fills);
  expect(page.url()).toContain('type=line');

  // ...and by keyboard: Shift+Tab back along the group, Enter and Space press, the focus visible.
  await button(page, 'Chart type', 'Line').focus();
  await page.keyboard.press('Shift+Tab');
  const focused = () => page.evaluate('document.activeElement.textContent');
  expect(await focused()).toBe('OHLC bars');
  expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect.poll(() => seriesOf(page)).toBe('Bar:0,Histogram:1');
  await page.keyboard.press('Shift+Tab');
  expect(await focused()).toBe('Candles');
  await page.keyboard.press('Space');
  await expect.poll(() => seriesOf(page)).toBe('Candlestick:0,Histogram:1');

  expect(await seriousViolations(page)).toEqual([]);
  await screenshots('market', page);

  // The replayed day's 5-minute bars: executed signals and fills marked, rejected ones on request.
  await button(page, 'Interval', '5 min').click();
  await expect.poll(() => page.url()).toContain('interval=5m');
  await expect.poll(() => priceMarkers(page)).toBe(intraday.executed + intraday.fills);
  expect(await seriesOf(page)).toBe('Candlestick:0,Histogram:1');
  expect(intraday.fills).toBeGreaterThan(0);
  if (intraday.rejected > 0) {
    const rejected = page.locator('button[data-layer="rejected"]');
    expect(await rejected.getAttribute('aria-pressed')).toBe('false');
    await rejected.click();
    await expect.poll(() => priceMarkers(page)).toBe(intraday.executed + intraday.rejected + intraday.fills);
  }
  // Hiding the fills takes exactly them off the chart.
  await page.locator('button[data-layer="fill"]').click();
  await expect.poll(() => page.locator('#market-marks tbody tr[data-kind="fill"]').count()).toBe(0);
  expect(await priceMarkers(page)).toBe(intraday.executed + intraday.rejected);
  await page.locator('button[data-layer="fill"]').click();
  await expect.poll(() => priceMarkers(page)).toBe(intraday.executed + intraday.rejected + intraday.fills);

  expect(await seriousViolations(page)).toEqual([]);
  await screenshots('market-intraday', page);

  // The symbol the daily pipeline recommended most, found with the filter (typing narrows the buttons, Enter
  // charts the best match): its recommendations and model signals marked on the daily chart.
  const signalled = await recommendedSymbol(h);
  const expected = await expectedDaily(h, signalled);
  await page.getByLabel('Symbol', { exact: true }).fill(signalled);
  expect(await page.getByRole('group', { name: 'Symbols' }).getByRole('button').count()).toBeLessThan(await symbolCount(h));
  await page.getByLabel('Symbol', { exact: true }).press('Enter');
  await button(page, 'Interval', 'Daily').click();
  await expect.poll(() => page.url()).toContain(`symbol=${signalled}&interval=1d`);
  expect(await page.getByRole('group', { name: 'Symbols' }).getByRole('button', { pressed: true }).textContent()).toContain(signalled);
  expect(expected.signals).toBeGreaterThan(0);
  await expect.poll(() => priceMarkers(page)).toBe(expected.signals + expected.models + expected.trades + expected.fills);
  await expect.poll(() => page.locator('#market-marks tbody tr[data-kind="signal"]').count()).toBe(expected.signals);
  // The last three months, where the seeded days are, for a screenshot whose marks can be told apart.
  await button(page, 'Range', '3M').click();
  await expect.poll(() => page.url()).toContain('range=3m');
  await screenshots('market-signals', page);

  // At phone width the page stays inside the screen (tables scroll in their own box).
  await page.setViewportSize({ width: 375, height: 800 });
  await expect
    .poll(() =>
      page
        .locator('.market')
        .evaluate((el: { getBoundingClientRect(): { right: number } }) => Math.round(el.getBoundingClientRect().right)),
    )
    .toBeLessThanOrEqual(375);

  expect(tab.consoleErrors).toEqual([]);
  await tab.ctx.close();
}
