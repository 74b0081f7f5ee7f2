/**
 * The Strategies page's day of signals and rejections on the demo data:
 * with no signal today it shows the replayed day and says so; its counts per
 * strategy and rule, and the rejections listed for one strategy (chosen with
 * the button group, by keyboard), are the risk_violations rows of that
 * New York day, read here with SQL of our own. No console error, axe-core
 * clean, screenshots.
 */
import { expect } from 'vitest';
import { screenshots, seriousViolations } from '../dashboard-support';
import type { PagesHarness } from './harness';

interface Rejection {
  strategy: string;
  symbol: string;
  rule: string;
  reason: string;
}

/** The day's rejections, from the tables; the day is the signal's own New York date. */
async function rejectionsOf(h: PagesHarness, date: string): Promise<Rejection[]> {
  const r = await h.db.query(
    `SELECT s.strategy_id AS strategy, s.symbol, v.rule, v.reason
       FROM risk_violations v JOIN trading_signals s ON s.id = v.signal_id
      WHERE (s.signal_ts AT TIME ZONE 'America/New_York')::date = $1::date`,
    [date],
  );
  return r.rows as Rejection[];
}

const key = (r: Omit<Rejection, 'strategy'>) => `${r.symbol} | ${r.rule} | ${r.reason}`;

export async function checkStrategiesActivity(h: PagesHarness): Promise<void> {
  const { ctx, page, consoleErrors } = await h.open('#/strategies');
  const day = h.seed.replayDate;
  const rejections = await rejectionsOf(h, day);
  expect(rejections.length).toBeGreaterThan(0);

  // No signal today (the demo replays a past day): the latest day with signals, named.
  await page.locator('#activity-summary').waitFor();
  expect(await page.locator('#activity-day').textContent()).toContain(day);
  expect(await page.locator('#activity-head').textContent()).toContain(day);

  // Rejections per strategy, and per strategy and rule, as stored.
  const perStrategy = new Map<string, number>();
  const perRule = new Map<string, number>();
  for (const r of rejections) {
    perStrategy.set(r.strategy, (perStrategy.get(r.strategy) ?? 0) + 1);
    perRule.set(`${r.strategy} ${r.rule}`, (perRule.get(`${r.strategy} ${r.rule}`) ?? 0) + 1);
  }
  for (const [strategy, n] of perStrategy) {
    const row = page.locator(`#activity-summary tr[data-strategy-activity="${strategy}"]`);
    expect((await row.locator('td').nth(2).textContent())?.replace(/,/g, '')).toBe(String(n));
    const rules = [...perRule].filter(([k]) => k.startsWith(`${strategy} `));
    for (const [k, count] of rules)
      expect(await row.locator('td').nth(4).textContent()).toContain(`${k.split(' ')[1]} (${count.toLocaleString('en-US')})`);
  }

  // The strategy with the fewest rejections, chosen by keyboard, then "Rejected": its rows are exactly the stored ones.
  const [strategy] = [...perStrategy].sort((a, b) => a[1] - b[1])[0]!;
  const strategies = page.getByRole('group', { name: 'Strategy' });
  const button = strategies.getByRole('button', { name: strategy, exact: true });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
  await page.getByRole('group', { name: 'Outcome' }).getByRole('button', { name: 'Rejected', exact: true }).click();
  const rows = page.locator('#activity-signals tbody tr');
  const expected = rejections.filter((r) => r.strategy === strategy);
  await expect.poll(() => page.locator('.activity-count').textContent()).toContain(`of ${expected.length.toLocaleString('en-US')} signals`);
  // Every page of rows, up to the last.
  while (await page.locator('.activity-more').count()) {
    const before = await rows.count();
    await page.locator('.activity-more').click();
    await expect.poll(() => rows.count()).toBeGreaterThan(before);
  }
  const shown = await rows.evaluateAll(
    (
      trs: {
        querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
        querySelector(s: string): { textContent: string | null } | null;
      }[],
    ) =>
      trs.map((tr) => ({
        strategy: tr.querySelectorAll('td')[1]!.textContent,
        symbol: tr.querySelectorAll('td')[3]!.textContent,
        outcome: tr.querySelector('.outcome')?.textContent,
        rule: tr.querySelector('.rule')?.textContent,
        reason: tr.querySelector('.reason')?.textContent,
      })),
  );
  expect(shown.every((r) => r.strategy === strategy && r.outcome === 'rejected')).toBe(true);
  expect(shown.map((r) => key({ symbol: r.symbol!, rule: r.rule!, reason: r.reason! })).sort()).toEqual(expected.map(key).sort());

  expect(await seriousViolations(page)).toEqual([]);
  await screenshots('strategies-activity', page);
  expect(consoleErrors).toEqual([]);
  await ctx.close();
}
