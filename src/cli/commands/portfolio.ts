/**
 * `quant portfolio` (positions, cash, value and the last snapshot of the
 * paper account) and `quant run rebalance --date D` (WF4 for one date: same
 * date = same workflow ID; a date already executed returns its stored result
 * and trades nothing), and `quant portfolio rollback --to D [--yes]` (undo
 * the book after D in one logged transaction; without --yes it only shows
 * what it would undo and exits 2).
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { stackEndpoints } from '../../stack/stack';
import { createPool } from '../../adapters/postgres/pool';
import { createPortfolioRepo, type RollbackSummary } from '../../adapters/postgres/portfolio-repo';
import { fmt, mdTable } from '../../reports/markdown';
import { UsageError, type OutputFormat } from '../args';
import { runWorkflowCommand } from '../with-client';
import { announceRun, printResult, webUiLink } from '../output';
import { PIPELINE_DAILY, SEARCH_ATTRIBUTES, workflowIds } from '../../../workflows/names';
import type { RebalanceInput, RebalanceResult } from '../../../workflows/rebalance';
import { dailyStartOptions } from './daily-start';
import { refuseFutureRunDate } from '../run-date';

const out = (s: string) => process.stdout.write(`${s}\n`);

/**
 * WF4 for one date under `rebalance-<date>`; waits for the result.
 *
 * @example
 *   await runRebalance(client, 'quant-workflows', { date: '2026-02-06' })
 */
export async function runRebalance(client: Client, taskQueue: string, input: RebalanceInput & { date: string }): Promise<RebalanceResult> {
  return client.workflow.execute('rebalance', {
    ...dailyStartOptions(taskQueue, workflowIds.rebalance(input.date), input.date, `WF4 rebalance ${input.date} (paper)`),
    args: [input],
  });
}

export const rebalanceRunCommand = async (
  o: { date: string; output: OutputFormat; worker?: boolean },
  config: Config,
): Promise<number | undefined> => {
  const date = refuseFutureRunDate(o.date);
  const workflowId = workflowIds.rebalance(date);
  return runWorkflowCommand(config, { workflowId, workflowType: 'rebalance', inProcessWorker: o.worker }, async (client, uiUrl) => {
    announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
    printResult(o.output, await runRebalance(client, config.temporal.taskQueue, { date }));
  });
};

const describeRollback = (r: RollbackSummary) =>
  `${r.trades} trades, ${r.dividends} dividends, ${r.snapshots} snapshots and ${r.runs} rebalancing runs dated after ${r.toDate}` +
  `${r.removedDates.length ? ` (${r.removedDates.join(', ')})` : ''}; positions restored from ${r.restoredFrom ? `the snapshot of ${r.restoredFrom}` : 'nothing (initial capital, no positions)'}`;

/** `quant portfolio rollback --to D [--yes]`. */
export const portfolioRollbackCommand = async (o: { to: string; yes?: boolean }, config: Config): Promise<void> => {
  const usage = 'quant portfolio rollback --to YYYY-MM-DD [--yes]';
  const db = createPool(stackEndpoints(config).databaseUrl, 2);
  try {
    const repo = createPortfolioRepo(db);
    if (!o.yes) {
      const plan = await repo.planRollback(o.to);
      out(`would undo ${describeRollback(plan)}`);
      throw new UsageError('nothing was changed: add --yes to undo it', usage);
    }
    const done = await repo.rollbackAfter(o.to);
    out(`rolled back ${describeRollback(done)} (logged in portfolio_rollbacks)`);
  } finally {
    await db.end();
  }
};

export const portfolioCommand = async (o: { output: OutputFormat }, config: Config): Promise<void> => {
  const db = createPool(stackEndpoints(config).databaseUrl, 2);
  try {
    const repo = createPortfolioRepo(db);
    const snap = await repo.latestSnapshot();
    const positions = await repo.getPositions();
    if (o.output === 'json') {
      const positionsValue = positions.reduce((a, p) => a + p.shares * p.lastPrice, 0);
      const cash = snap?.cash ?? config.portfolio.initialCapital;
      out(
        JSON.stringify(
          {
            snapshot: snap ?? null,
            positions: positions.map((p) => ({ ...p, value: p.shares * p.lastPrice, unrealized: p.shares * (p.lastPrice - p.avgCost) })),
            cash,
            positionsValue,
            totalValue: cash + positionsValue,
          },
          null,
          2,
        ),
      );
      return;
    }
    if (!snap) {
      out(
        `No snapshot yet: the paper account holds its initial capital of ${fmt(config.portfolio.initialCapital)} in cash. Run \`quant run rebalance --date D\`.`,
      );
      return;
    }
    const value = positions.reduce((a, p) => a + p.shares * p.lastPrice, 0);
    out(`Paper account (last snapshot ${snap.snapshotDate})`);
    out('');
    out(
      mdTable(
        ['symbol', 'sector', 'shares', 'avg cost', 'last price', 'price date', 'value', 'weight %', 'unrealized'],
        positions.map((p) => [
          p.symbol,
          p.sector ?? '-',
          fmt(p.shares, 4),
          fmt(p.avgCost),
          fmt(p.lastPrice),
          p.lastPriceDate,
          fmt(p.shares * p.lastPrice),
          fmt((p.shares * p.lastPrice * 100) / (snap.cash + value)),
          fmt(p.shares * (p.lastPrice - p.avgCost)),
        ]),
      ),
    );
    out('');
    out(`cash            ${fmt(snap.cash)}`);
    out(`positions value ${fmt(value)}`);
    out(`total value     ${fmt(snap.cash + value)}`);
    out(
      `snapshot ${snap.snapshotDate}: total ${fmt(snap.totalValue)} (cash ${fmt(snap.cash)} + positions ${fmt(snap.positionsValue)}), costs paid ${fmt(snap.costsPaidCum)}, dividends ${fmt(snap.dividendsCum)}`,
    );
  } finally {
    await db.end();
  }
};
