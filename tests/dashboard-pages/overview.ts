/**
 * The Overview page on the demo data: the daily pipeline's figures as the
 * latest portfolio_snapshots and monitoring_runs rows hold them (read here
 * with SQL of our own, not through the view), equity and drawdown drawn in
 * two panes (as the chart library reports them), exposure by sector, then a
 * switch by keyboard to the replayed day's book, whose P&L is its
 * end-of-day result. No console error, axe-core clean, fits 375 px.
 */
import { expect } from 'vitest';
import { money, signedMoney } from '../../src/dashboard/format';
import { screenshots, seriousViolations } from '../dashboard-support';
import type { PagesHarness } from './harness';

/** The figures the page must show, straight from the tables. */
async function pipelineRows(h: PagesHarness) {
  const snapshot = await h.db.query(
    `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, cash, total_value, positions FROM portfolio_snapshots ORDER BY snapshot_date DESC LIMIT 1`,
  );
  const monitoring = await h.db.query(
    `SELECT daily_pnl, mtd_pnl, ytd_pnl FROM monitoring_runs WHERE status = 'completed' ORDER BY run_date DESC LIMIT 1`,
  );
  return {
    snapshot: snapshot.rows[0] as { d: string; cash: number; total_value: number; positions: { sector?: string | null }[] },
    monitoring: monitoring.rows[0] as { daily_pnl: number; mtd_pnl: number; ytd_pnl: number },
  };
}

export async function checkOverviewPage(h: PagesHarness): Promise<void> {
  const { ctx, page, consoleErrors } = await h.open('#/overview');
  const { snapshot, monitoring } = await pipelineRows(h);
  expect(snapshot.d).toBe(h.seed.pipelineDates.at(-1));

  // The daily pipeline's book is the default.
  await page.locator('#overview[data-book="pipeline"]').waitFor();
  const books = page.getByRole('group', { name: 'Book' });
  expect(await books.getByRole('button', { name: 'Daily pipeline' }).getAttribute('aria-pressed')).toBe('true');
  expect(await page.locator('#ov-total').textContent()).toBe(money(snapshot.total_value));
  expect(await page.locator('#ov-cash').textContent()).toBe(money(snapshot.cash));
  expect(await page.locator('#ov-pnl-day').textContent()).toBe(signedMoney(monitoring.daily_pnl));
  expect(await page.locator('#ov-pnl-mtd').textContent()).toBe(signedMoney(monitoring.mtd_pnl));
  expect(await page.locator('#ov-pnl-ytd').textContent()).toBe(signedMoney(monitoring.ytd_pnl));

  // Equity (an area) in the top pane, drawdown (a line) in the one below, as the library holds them.
  const chart = page.locator('#ov-chart');
  await expect.poll(() => chart.getAttribute('data-series')).toBe('Area:0,Line:1');
  expect(await chart.getAttribute('aria-label')).toMatch(/Equity curve .* drawdown/);

  // One row per sector held in the latest snapshot.
  const sectors = new Set(snapshot.positions.map((p) => p.sector || 'Unclassified'));
  const shown = await page
    .locator('#ov-sectors tbody tr')
    .evaluateAll((rows: { getAttribute(name: string): string | null }[]) => rows.map((r) => r.getAttribute('data-sector')));
  expect(new Set(shown)).toEqual(sectors);

  expect(await seriousViolations(page)).toEqual([]);
  await screenshots('overview', page);

  // Keyboard only: Tab to the replayed day's book and press Enter.
  const replay = books.getByRole('button', { name: `Replay ${h.seed.replayDate}`, exact: true });
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await replay.evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement);
  }
  expect(reached).toBe(true);
  expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none'); // visible focus
  await page.keyboard.press('Enter');
  await page.locator(`#overview[data-book="${h.seed.replayBook}"]`).waitFor();
  expect(await replay.getAttribute('aria-pressed')).toBe('true');
  expect(await books.getByRole('button', { name: 'Daily pipeline' }).getAttribute('aria-pressed')).toBe('false');

  // The replayed day's P&L is its end-of-day total; its value, the paper account's cash plus that P&L (it starts flat).
  const day = (
    await h.db.query(`SELECT pnl FROM strategy_day_results WHERE book = $1 AND session_date = $2 AND strategy = '*'`, [
      h.seed.replayBook,
      h.seed.replayDate,
    ])
  ).rows[0] as { pnl: number };
  const account = (await h.db.query('SELECT starting_cash FROM paper_venue_accounts WHERE account = $1', [h.seed.replayBook])).rows[0] as {
    starting_cash: number;
  };
  expect(await page.locator('#ov-pnl-day').textContent()).toBe(signedMoney(day.pnl));
  expect(await page.locator('#ov-total').textContent()).toBe(money(account.starting_cash + day.pnl));
  await expect.poll(() => chart.getAttribute('data-series')).toBe('Area:0,Line:1');

  expect(await seriousViolations(page)).toEqual([]);
  // Nothing of the page is wider than a phone (tables scroll inside their own box).
  await page.setViewportSize({ width: 375, height: 900 });
  await page.waitForTimeout(150);
  expect(
    await page.locator('#overview').evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth <= el.clientWidth),
  ).toBe(true);
  await screenshots('overview-replay', page);
  expect(consoleErrors).toEqual([]);
  await ctx.close();
}
