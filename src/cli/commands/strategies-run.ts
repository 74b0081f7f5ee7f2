/**
 * `quant run strategies --at T` and `quant run intraday-replay --date D`:
 * one signal cycle at an instant, and a whole replayed session. An instant
 * more than the staleness limit away from now cannot trade the live book
 * (the execution service refuses stale signals), so it runs against the
 * replay book of its date (`replay:<date>`), like a replayed day; `--live`
 * insists on the live book. Inputs are checked against the workflows' own
 * schemas before anything starts.
 */
import { type Client, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { checkedInput, type OutputFormat } from '../args';
import { strategySignalsInputSchema, tradingDayInputSchema } from '../../../workflows/inputs';
import { instantId, workflowIds } from '../../../workflows/names';
import type { StrategySignalsResult } from '../../../workflows/strategy-signals';
import type { TradingDayResult } from '../../../workflows/trading-day';
import { runWorkflowCommand } from '../with-client';
import { announceRun, out, printResult, textTable, webUiLink } from '../output';

/** A replayed trading day, `trading-day-<date>[-<tag>]`; a replay of that day already running is joined. */
export async function runTradingDay(
  client: Client,
  taskQueue: string,
  input: { date: string; tag?: string; strategies?: string[] },
): Promise<TradingDayResult> {
  return client.workflow.execute('tradingDay', {
    taskQueue,
    workflowId: workflowIds.tradingDay(input.date, input.tag),
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    staticSummary: `replayed trading day ${input.date}${input.tag ? ` (${input.tag})` : ''}`,
    args: [input],
  });
}

const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));

/** The cycle as a person reads it: what each strategy said, what the risk manager decided, which orders went out. */
export function renderCycle(r: StrategySignalsResult): string {
  if (r.skipped) return `cycle ${r.at} (${r.book}): nothing to do: ${r.skipped}`;
  const o = r.outcome!;
  const lines = [
    `cycle ${r.at} on book ${r.book}: ${r.strategies.length} strategies, ${o.signals} signals, ` +
      `${o.lines.filter((l) => l.outcome === 'executed').length} orders${o.halted ? ' (TRADING HALTED)' : ''}`,
  ];
  if (o.lines.length)
    lines.push(
      textTable(
        ['strategy', 'symbol', 'action', 'conf', 'decision', 'order', 'side', 'qty', 'fill', 'reason / rule'],
        o.lines.map((l) => [
          l.strategy,
          l.symbol,
          l.action,
          fmt(l.confidence),
          `${l.outcome}${l.duplicate ? ' (repeat)' : ''}`,
          l.orderId ?? '-',
          l.side ?? '-',
          l.qty ?? '-',
          fmt(l.fillPrice),
          l.detail ?? l.reason,
        ]),
      ),
    );
  if (o.dropped.length) lines.push('dropped:', ...o.dropped.map((d) => `  ${d.strategy} ${d.symbol}: ${d.reason}`));
  if (r.problems.length) lines.push('problems:', ...r.problems.map((p) => `  ${p}`));
  return lines.join('\n');
}

export function renderReplay(r: TradingDayResult): string {
  const p = r.replay;
  const lines = [
    `replayed ${r.date} on book ${p.book}: ${p.cycles} cycles, ${p.signals} signals, ${p.executed} orders executed,` +
      ` ${p.rejected} rejected, ${p.notPlaced} not placed, ${p.unwound} pair legs unwound; p95 cycle ${fmt(p.p95CycleMs, 1)} ms`,
    `bars: ${r.bars.bars?.stored ?? 0} stored (${r.bars.bars?.source ?? '-'}), ${r.bars.bars?.gaps.length ?? 0} symbols with gaps, ${r.bars.bars?.halted.length ?? 0} halted`,
    `risk checks: ${p.riskChecks}${p.haltedAt ? `; trading HALTED at ${p.haltedAt}` : ''}`,
  ];
  const day = r.endOfDay.day;
  if (day) {
    lines.push(`end of day: P&L ${fmt(day.pnl)} on ${day.orders} orders, ${day.roundTrips} round trips; report ${day.reportKey}`);
    lines.push(
      textTable(
        ['strategy', 'P&L', 'orders', 'success', 'Sharpe', 'attribution'],
        day.strategies.map((s) => [s.strategy, fmt(s.pnl), s.orders, fmt(s.successRate), fmt(s.sharpe), fmt(s.attribution)]),
      ),
    );
  }
  if (p.problems.length) lines.push('problems:', ...p.problems.map((x) => `  ${x}`));
  return lines.join('\n');
}

export const strategiesRunCommands = {
  strategies: async (
    o: { at: string; live?: boolean; strategies?: string[]; output: OutputFormat; worker?: boolean },
    config: Config,
  ): Promise<number | undefined> => {
    const at = Date.parse(o.at);
    const stale = Math.abs(Date.now() - at) > config.api.maxSignalAgeSeconds * 1000;
    const book = o.live || !stale ? { kind: 'live' as const } : { kind: 'replay' as const };
    const input = checkedInput(
      'strategySignals',
      strategySignalsInputSchema,
      { at: o.at, book, ...(o.strategies ? { strategies: o.strategies } : {}) },
      { at: '--at', strategies: '--strategies' },
    );
    const workflowId = workflowIds.strategySignals(book.kind, instantId(at));
    return runWorkflowCommand(config, { workflowId, workflowType: 'strategySignals', inProcessWorker: o.worker }, async (client, uiUrl) => {
      announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
      const result: StrategySignalsResult = await client.workflow.execute('strategySignals', {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: `signal cycle at ${o.at} (${book.kind} book)`,
        args: [input],
      });
      if (o.output === 'json') printResult('json', result);
      else out(renderCycle(result));
    });
  },
  'intraday-replay': async (
    o: { date: string; tag?: string; strategies?: string[]; output: OutputFormat; worker?: boolean },
    config: Config,
  ): Promise<number | undefined> => {
    const input = checkedInput(
      'tradingDay',
      tradingDayInputSchema,
      { date: o.date, ...(o.tag ? { tag: o.tag } : {}), ...(o.strategies ? { strategies: o.strategies } : {}) },
      { date: '--date', tag: '--tag', strategies: '--strategies' },
    );
    const workflowId = workflowIds.tradingDay(input.date, input.tag);
    return runWorkflowCommand(config, { workflowId, workflowType: 'tradingDay', inProcessWorker: o.worker }, async (client, uiUrl) => {
      announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
      const result = await runTradingDay(client, config.temporal.taskQueue, input);
      if (o.output === 'json') printResult('json', result);
      else out(renderReplay(result));
    });
  },
};
