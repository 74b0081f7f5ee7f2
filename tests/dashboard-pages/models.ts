/**
 * The Models page with the demo data: the ranking table row for row as the
 * latest performance_reports row holds it (read here from the table, not
 * through the view code), underperformers flagged exactly as that row names
 * them, the curves chart holding one line per version plus the benchmark,
 * the button group (mouse and keyboard) narrowing it to one version. The
 * demo's versions do not underperform, so the flag itself is also checked on
 * the page's own answer with one version marked (the request is answered by
 * the test, the page is not).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshots, seriousViolations } from '../dashboard-support';
import type { PagesHarness } from './harness';

const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signedPct = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});

interface StoredRanking {
  rank: number;
  name: string;
  version: number;
  sharpe: number | null;
  total_return: number | null;
  signals: number;
}

const seriesOf = (page: Page) =>
  page.locator('#model-curves').evaluate((el: { dataset: Record<string, string | undefined> }) => el.dataset.series);
const flaggedRows = (page: Page) =>
  page
    .locator('#model-ranking tbody tr:has([data-flag="underperformer"])')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')));

export async function checkModelsPage(h: PagesHarness): Promise<void> {
  const stored = await h.db.query<{ d: string; rankings: StoredRanking[]; underperformers: { model: string }[]; top_performers: string[] }>(
    `SELECT to_char(report_date, 'YYYY-MM-DD') AS d, rankings, underperformers, top_performers FROM performance_reports ORDER BY report_date DESC LIMIT 1`,
  );
  expect(stored.rows, 'the model pipeline stored a ranking').toHaveLength(1);
  const latest = stored.rows[0];
  expect(latest.d).toBe(h.seed.modelDates.at(-1));
  expect(latest.rankings.length, 'the ranking names the registered models (the built-ins are registered before the seed)').toBeGreaterThan(
    0,
  );

  const { ctx, page, consoleErrors } = await h.open('#/models');
  try {
    const rows = page.locator('#model-ranking tbody tr');
    await expect.poll(() => rows.count()).toBe(latest.rankings.length);
    await expect.poll(() => page.locator('.models-page .badge').textContent()).toBe(`Ranking of ${latest.d}, by Sharpe`);

    // Row for row, as the stored ranking holds it: rank, version, Sharpe to 2 decimals, signed return, signals judged.
    // The version's name is the row header's first text (its flags follow it).
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((c, i) => ((i === 1 ? c.firstChild?.textContent : c.textContent) ?? '').trim())),
    );
    expect(shown.map((cells) => [cells[0], cells[1], cells[3], cells[4], cells[6]])).toEqual(
      [...latest.rankings]
        .sort((a, b) => a.rank - b.rank)
        .map((r) => [
          String(r.rank),
          `${r.name}@${r.version}`,
          r.sharpe == null ? '–' : two.format(r.sharpe),
          r.total_return == null ? '–' : signedPct.format(r.total_return),
          String(r.signals),
        ]),
    );
    expect(await flaggedRows(page)).toEqual(latest.underperformers.map((u) => u.model));
    const tops = await page
      .locator('#model-ranking tbody tr:has([data-flag="top"])')
      .evaluateAll((trs) => trs.map((r) => r.getAttribute('data-model')));
    expect(tops.sort()).toEqual([...latest.top_performers].sort());
    // The harness configures no MLflow: no column of links that lead nowhere.
    await expect.poll(() => page.locator('#model-ranking thead th', { hasText: 'MLflow' }).count()).toBe(0);

    // One line per version plus the benchmark, on the one pane; the chart says what it shows.
    const lines = latest.rankings.length + 1;
    await expect.poll(() => seriesOf(page)).toBe(Array(lines).fill('Line:0').join(','));
    expect(await page.locator('#model-curves').getAttribute('aria-label')).toMatch(
      /^Cumulative return in percent of .+ against the benchmark, \d{4}-\d\d-\d\d to /,
    );
    await expect.poll(() => page.locator('.models-page .legend li').count()).toBe(lines);

    // The button group: a version alone (by mouse), then all again (by keyboard).
    const group = page.getByRole('group', { name: 'Models on the chart' });
    const first = latest.rankings.find((r) => r.rank === 1)!;
    await group.getByRole('button', { name: `${first.name}@${first.version}`, exact: true }).click();
    await expect.poll(() => seriesOf(page)).toBe('Line:0,Line:0');
    expect(await group.getByRole('button', { name: `${first.name}@${first.version}`, exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await group.getByRole('button', { name: 'All models' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => seriesOf(page)).toBe(Array(lines).fill('Line:0').join(','));
    expect(await group.getByRole('button', { name: 'All models' }).getAttribute('aria-pressed')).toBe('true');

    expect(await seriousViolations(page)).toEqual([]);
    await screenshots('models', page);
    expect(consoleErrors).toEqual([]);
  } finally {
    await ctx.close();
  }

  // The flag and the MLflow link as they look: the page's own answer, with its last version marked as an
  // underperformer and an MLflow experiment given to its first (the harness runs without MLflow).
  const flagged = await h.open('#/models');
  try {
    const last = [...latest.rankings].sort((a, b) => b.rank - a.rank)[0];
    const label = `${last.name}@${last.version}`;
    const reason = 'Sharpe below 0 on 5 consecutive evaluations (today -0.42)';
    const experiment = 'http://mlflow.test:5000/#/experiments/7';
    await flagged.page.route('**/api/models', async (route) => {
      const answer = await route.fetch();
      const body = (await answer.json()) as {
        mlflow_configured: boolean;
        rankings: { rank: number; label: string; underperforming: string | null; mlflow_url: string | null }[];
      };
      body.mlflow_configured = true;
      for (const r of body.rankings) {
        if (r.label === label) r.underperforming = reason;
        if (r.rank === 1) r.mlflow_url = experiment;
      }
      await route.fulfill({ response: answer, json: body });
    });
    await flagged.page.reload();
    await expect.poll(() => flaggedRows(flagged.page)).toEqual([label]);
    const row = flagged.page.locator(`#model-ranking tbody tr[data-model="${label}"]`);
    expect(await row.getAttribute('class')).toContain('underperformer');
    expect(await row.locator('th [data-flag="underperformer"]').textContent()).toBe('Underperformer');
    expect(await row.locator('[data-reason]').textContent()).toBe(reason);
    const top = latest.rankings.find((r) => r.rank === 1)!;
    const link = flagged.page.getByRole('link', { name: `Runs of ${top.name} in MLflow` });
    expect(await link.getAttribute('href')).toBe(experiment);
    expect(await flagged.page.locator('#model-ranking tbody tr .mlflow-link').count()).toBe(1);
    expect(await seriousViolations(flagged.page)).toEqual([]);
    await screenshots('models-underperformer', flagged.page);
    expect(flagged.consoleErrors).toEqual([]);
  } finally {
    await flagged.ctx.close();
  }
}
