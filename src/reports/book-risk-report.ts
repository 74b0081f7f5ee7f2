/**
 * The hourly risk check's report: the book's measures against their limits,
 * each violation with its severity, whether trading was halted, and the
 * mitigation orders proposed (placed only when configured to).
 */
import type { RiskCheckResult } from '../domain/strategy-book/risk-check';
import { mdTable, money, pct } from './markdown';

export interface BookRiskReportInput {
  book: string;
  at: string;
  equity: number;
  result: RiskCheckResult;
  halted: boolean;
  /** Mitigation orders placed (0 unless PORTFOLIO_RISK_PLACE_MITIGATIONS). */
  placed: number;
}

const pctOrDash = (x: number) => (Number.isFinite(x) ? pct(x) : '-');

export function renderBookRiskReport(r: BookRiskReportInput): string {
  const m = r.result.metrics;
  return [
    `# Portfolio risk ${r.at}: ${r.book}`,
    '',
    `Equity ${money(r.equity)}; gross exposure ${money(m.grossExposure)}; largest position ${pctOrDash(m.maxWeight)} of equity;` +
      ` VaR 95 (bar returns) ${pctOrDash(m.var95)}; drawdown of the day ${pctOrDash(m.drawdown)}; correlated held pairs ${m.correlatedPairs}.`,
    '',
    r.halted ? '**Trading is halted.**' : 'Trading is not halted.',
    '',
    '## Violations',
    '',
    r.result.violations.length
      ? mdTable(
          ['rule', 'severity', 'symbol', 'message'],
          r.result.violations.map((v) => [v.rule, v.severity, v.symbol ?? '-', v.message]),
        )
      : 'None.',
    '',
    `## Mitigation orders (${r.placed > 0 ? `${r.placed} placed` : 'proposed, not placed'})`,
    '',
    r.result.mitigations.length
      ? mdTable(
          ['symbol', 'side', 'qty', 'reason'],
          r.result.mitigations.map((x) => [x.symbol, x.side, x.qty, x.reason]),
        )
      : 'None.',
    '',
  ].join('\n');
}
