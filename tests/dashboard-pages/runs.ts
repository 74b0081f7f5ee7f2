/**
 * The Runs page with the demo data: every seeded daily pipeline day and the
 * fan-out run listed as completed, the Web UI links at the harness's UI with
 * the right workflow IDs (the fan-out's children link a visibility query on
 * its tree filtered to the runs with a Contract), a report opened by mouse
 * rendering its chart (a data: SVG image the browser decoded), one opened by
 * keyboard, and the kind filter.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshots, seriousViolations } from '../dashboard-support';
import type { PagesHarness } from './harness';

/** The namespace the test stack runs in (testConfig's default). */
const NAMESPACE = 'default';
const DAILY_STEPS = ['ingest', 'screen', 'signal', 'rebalance', 'monitor', 'backtest'];

const row = (page: Page, workflowId: string) => page.locator(`#runs tbody tr[data-workflow-id="${workflowId}"]`).first();

export async function checkRunsPage(h: PagesHarness): Promise<void> {
  const { ctx, page, consoleErrors } = await h.open('#/runs');
  try {
    const rows = page.locator('#runs tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(await page.locator('.runs-page [data-missing]').count(), 'both sources listed').toBe(0);
    // Every seeded day: the seed ran ~80 daily workflows, more than the first 50.
    await page.getByRole('group', { name: 'Runs listed of each kind' }).getByRole('button', { name: 'Last 200' }).click();
    const last = h.seed.pipelineDates.at(-1)!;
    for (const date of h.seed.pipelineDates)
      await expect.poll(() => row(page, `pipeline-${date}`).getAttribute('data-status'), { message: date }).toBe('completed');
    for (const step of DAILY_STEPS) expect(await row(page, `${step}-${last}`).getAttribute('data-status'), step).toBe('completed');
    const fanout = row(page, h.seed.fanoutWorkflowId);
    expect(await fanout.getAttribute('data-status')).toBe('completed');
    expect(await fanout.locator('th').textContent()).toBe(h.seed.fanoutRunKey);

    // Web UI links: the workflow itself, and for the fan-out its children filtered to the ones with a Contract.
    const base = `${h.uiUrl}/namespaces/${NAMESPACE}/workflows`;
    expect(await row(page, `monitor-${last}`).locator('[data-link="workflow"]').getAttribute('href')).toBe(`${base}/monitor-${last}`);
    expect(await fanout.locator('[data-link="workflow"]').getAttribute('href')).toBe(`${base}/${h.seed.fanoutWorkflowId}`);
    const children = new URL((await fanout.locator('[data-link="children"]').getAttribute('href'))!);
    expect(`${children.origin}${children.pathname}`).toBe(base);
    expect(children.searchParams.get('query')).toBe(
      `Pipeline = 'fanout' AND RootWorkflowId = '${h.seed.fanoutWorkflowId}' AND Contract IS NOT NULL`,
    );

    // A report by mouse: its chart is an <img> with a data: SVG the browser decoded.
    await row(page, `monitor-${last}`)
      .getByRole('button', { name: /^Monitor report/ })
      .click();
    const panel = page.locator('#run-report');
    await expect.poll(() => panel.locator('h2').textContent()).toBe(`Monitor report: monitor-${last}`);
    const img = panel.locator('.report img').first();
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await expect
      .poll(() => img.evaluate((el: { complete: boolean; naturalWidth: number }) => el.complete && el.naturalWidth > 0))
      .toBe(true);
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('report-title');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots('runs-report', page);

    // A report by keyboard: the fan-out's run report.
    await fanout.getByRole('button', { name: /^Run report/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.locator('h2').textContent()).toBe(`Run report: ${h.seed.fanoutWorkflowId}`);
    await expect.poll(() => panel.locator('.report').textContent()).toContain(h.seed.fanoutRunKey);
    await panel.getByRole('button', { name: 'Close report' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.count()).toBe(0);
    // Back on the button that opened it.
    expect(await page.evaluate('document.activeElement && document.activeElement.dataset.report')).toBe(
      await fanout.getByRole('button', { name: /^Run report/ }).getAttribute('data-report'),
    );

    // The kind filter: fan-out runs only.
    await page.getByRole('group', { name: 'Kind of run' }).getByRole('button', { name: 'Fan-out' }).click();
    await expect
      .poll(async () => [...new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind'))))])
      .toEqual(['fanout']);
    await page.getByRole('group', { name: 'Kind of run' }).getByRole('button', { name: 'All' }).click();

    expect(await seriousViolations(page)).toEqual([]);
    await screenshots('runs', page);
    expect(consoleErrors).toEqual([]);
  } finally {
    await ctx.close();
  }
}
