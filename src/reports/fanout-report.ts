/**
 * Markdown for the fan-out: the data validation report of `validateData`
 * (verdict, quality score, findings), the orchestrator's run report
 * (succeeded and failed contracts, validation outcome, hashes) and the
 * portfolio report of `aggregatePortfolio` (P&L, Sharpe, win rate,
 * top/bottom contracts).
 */
import type { ContractSummary } from '../domain/fanout-run';
import { fmt, mdTable } from './markdown';

/** One contract's line in the reports: its analysis summary. */
export type ContractLine = ContractSummary;

export interface ValidationReportInput {
  runKey: string;
  dataset: string;
  bars: number;
  contractsChecked: number;
  status: string;
  /** Share of clean columns, in [0, 1]. */
  qualityScore: number;
  problems: readonly string[];
}

/**
 * The validation report of one run.
 *
 * @example
 *   await store.put(layout.report('validateData', new Date(), runKey), renderValidationReport(v));
 */
export function renderValidationReport(v: ValidationReportInput): string {
  return [
    `# Data validation for run ${v.runKey}`,
    '',
    `- Dataset: \`${v.dataset}\` (${v.bars} bars, ${v.contractsChecked} contracts checked)`,
    `- Status: **${v.status}**`,
    `- Quality score (share of clean columns): ${(v.qualityScore * 100).toFixed(1)} %`,
    '',
    '## Findings',
    '',
    ...(v.problems.length ? v.problems.map((p) => `- ${p}`) : ['None.']),
    '',
  ].join('\n');
}

export interface RunReportInput {
  runKey: string;
  /** `partial`: some contracts failed; the report says so first. */
  status?: 'completed' | 'partial';
  dataset: string;
  datasetHash: string;
  configHash: string;
  requested: number;
  validation: { status: string; problems: string[]; reportKey?: string } | null;
  results: ContractLine[];
  failures: { contract: string; error: string }[];
  /** Failed / requested, in [0, 1]; shown when the orchestrator supplies it (runs from version 2 on). */
  failedShare?: number;
}

export function renderRunReport(r: RunReportInput): string {
  const parts = [
    `# Fan-out run ${r.runKey}`,
    '',
    r.failures.length > 0
      ? `**Status: PARTIAL** - ${r.failures.length} of ${r.requested} contracts failed; rerun them with \`quant run orchestrator --retry-failed ${r.runKey}\`.`
      : `**Status: completed** - all ${r.requested} contracts succeeded.`,
    '',
    `- Dataset: \`${r.dataset}\` (sha256 \`${r.datasetHash}\`)`,
    `- Effective config sha256: \`${r.configHash}\``,
    `- Contracts requested: ${r.requested}; succeeded: ${r.results.length}; failed: ${r.failures.length}` +
      (r.failedShare === undefined ? '' : ` (${fmt(r.failedShare * 100)} % failed)`),
    `- Validation: ${r.validation ? r.validation.status : 'not run'}${r.validation?.reportKey ? ` (report \`${r.validation.reportKey}\`)` : ''}`,
  ];
  if (r.validation && r.validation.problems.length > 0) {
    parts.push('', '## Validation findings', '', ...r.validation.problems.map((p) => `- ${p}`));
  }
  parts.push('', `## Failed contracts (${r.failures.length})`, '');
  parts.push(
    r.failures.length === 0
      ? 'None.'
      : mdTable(
          ['Contract', 'Error'],
          r.failures.map((f) => [f.contract, f.error.replace(/\s+/g, ' ').slice(0, 300)]),
        ),
  );
  parts.push('', `## Succeeded contracts (${r.results.length})`, '');
  parts.push(
    mdTable(
      ['Contract', 'Bars', 'Trades', 'Good', 'Bad', 'Success %', 'Avg beta', 'Avg VIX', 'P&L %'],
      r.results.map((x) => [
        x.contract,
        x.bars,
        x.totalTrades,
        x.goodTrades,
        x.badTrades,
        fmt(x.successRate),
        fmt(x.avgBeta, 3),
        fmt(x.avgVix),
        fmt(x.pnlPct),
      ]),
    ),
  );
  return parts.join('\n') + '\n';
}

export interface PortfolioReportInput {
  runKey: string;
  contracts: number;
  bars: number;
  totalPnlPct: number;
  sharpe: number | null;
  winRate: number | null;
  goodTrades: number;
  badTrades: number;
  equityKey: string;
  results: ContractLine[];
}

/** Top and bottom `n` by a key, ties broken by contract name so the output is stable. */
export function rank<T extends { contract: string }>(rows: T[], key: (r: T) => number, n = 10): { top: T[]; bottom: T[] } {
  const sorted = [...rows].sort((a, b) => key(b) - key(a) || a.contract.localeCompare(b.contract));
  return { top: sorted.slice(0, n), bottom: sorted.slice(-n).reverse() };
}

export function renderPortfolioReport(p: PortfolioReportInput): string {
  const line = (x: ContractLine) => [x.contract, fmt(x.successRate), fmt(x.pnlPct), x.totalTrades];
  const headers = ['Contract', 'Success %', 'P&L %', 'Trades'];
  const bySuccess = rank(p.results, (x) => x.successRate);
  const byPnl = rank(p.results, (x) => x.pnlPct);
  return [
    `# Portfolio of fan-out run ${p.runKey}`,
    '',
    mdTable(
      ['Metric', 'Value'],
      [
        ['Contracts', p.contracts],
        ['Bars', p.bars],
        ['Total P&L (sum of bar returns, %)', fmt(p.totalPnlPct)],
        ['Sharpe (annualised, 252 x 8 bars, rf 0)', fmt(p.sharpe, 3)],
        ['Win rate (good / (good + bad))', p.winRate === null ? 'n/a' : `${fmt(p.winRate * 100)} %`],
        ['Good / bad trades', `${p.goodTrades} / ${p.badTrades}`],
      ],
    ),
    '',
    `Equity curve: \`${p.equityKey}\``,
    '',
    '## Top 10 by success rate',
    '',
    mdTable(headers, bySuccess.top.map(line)),
    '',
    '## Bottom 10 by success rate',
    '',
    mdTable(headers, bySuccess.bottom.map(line)),
    '',
    '## Top 10 by P&L',
    '',
    mdTable(headers, byPnl.top.map(line)),
    '',
    '## Bottom 10 by P&L',
    '',
    mdTable(headers, byPnl.bottom.map(line)),
    '',
  ].join('\n');
}
