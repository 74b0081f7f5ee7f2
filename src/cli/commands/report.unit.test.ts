/**
 * `quant report` on a real filesystem object store (a temp folder): every
 * workflow that writes a report is accepted, an unknown name is a usage
 * error listing the valid ones, a missing report exits 1 with a message
 * (never InvalidObjectKeyError), and the newest report is the one of the
 * latest run date written last - not the alphabetically last name.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load';
import { createObjectStore } from '../../adapters/object-store';
import { layout, REPORT_WORKFLOWS } from '../../adapters/layout';
import { UsageError } from '../args';
import { findReport, reportCommand, reportWorkflow } from './report';

const dir = mkdtempSync(join(tmpdir(), 'quant-report-'));
const config = loadConfig({ QUANT_DATA_DIR: dir });
const store = createObjectStore(config);
const day = (d: string) => new Date(`${d}T00:00:00Z`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stdout = '';
let stderr = '';
beforeAll(async () => {
  // Day 11-30: an older run. Day 12-01: a 31-day backtest written AFTER a one-day one whose name sorts last.
  await store.put(layout.report('backtest', day('2026-11-30'), 'backtest-2026-11-30_2026-11-30'), '# backtest 11-30\n');
  await store.put(layout.report('backtest', day('2026-12-01'), 'backtest-2026-12-01_2026-12-01'), '# one-day backtest\n');
  await sleep(30);
  await store.put(layout.report('backtest', day('2026-12-01'), 'backtest-2026-10-30_2026-12-01'), '# 31-day backtest\n');
  await store.put(layout.reportAsset('backtest', day('2026-12-01'), 'backtest-2026-10-30_2026-12-01-equity.svg'), '<svg/>');
  await store.put(layout.report('aggregatePortfolio', day('2026-12-02'), 'synthetic-10c-20261202-abc123'), '# aggregate\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
}
afterEach(() => vi.restoreAllMocks());

describe('reportWorkflow', () => {
  it('accepts every report folder and the run-command spellings', () => {
    for (const w of REPORT_WORKFLOWS) expect(reportWorkflow(w)).toBe(w);
    expect(reportWorkflow('aggregate')).toBe('aggregatePortfolio');
    expect(reportWorkflow('risk-analysis')).toBe('riskAnalysis');
    expect(reportWorkflow('validate')).toBe('validateData');
  });

  it('an unknown name is a usage error that lists the valid ones', () => {
    expect(() => reportWorkflow('foo')).toThrow(UsageError);
    expect(() => reportWorkflow('foo')).toThrow(
      /no workflow "foo" writes reports; choose one of: ingest, screen, signal, rebalance, monitor, backtest, orchestrator, .*aggregate/,
    );
  });
});

describe('findReport', () => {
  it('picks the latest run date, and within it the report written last', async () => {
    const found = await findReport(store, 'backtest');
    expect(found?.reportKey).toBe('reports/backtest/year=2026/month=12/day=01/backtest-2026-10-30_2026-12-01.md');
    expect(found?.chartKeys).toEqual(['reports/backtest/year=2026/month=12/day=01/backtest-2026-10-30_2026-12-01-equity.svg']);
    expect((await findReport(store, 'backtest', '2026-11-30'))?.reportKey).toMatch(/day=30\/backtest-2026-11-30_2026-11-30\.md$/);
    expect(await findReport(store, 'backtest', '2026-12-05')).toBeNull();
  });
});

describe('quant report', () => {
  it('prints the newest backtest report', async () => {
    capture();
    expect(await reportCommand('backtest', {}, config)).toBeUndefined();
    expect(stdout).toContain('# 31-day backtest');
    expect(stdout).toMatch(/report: file:\/\/.*backtest-2026-10-30_2026-12-01\.md \(written /);
  });

  it('report aggregate finds the aggregatePortfolio report', async () => {
    capture();
    await reportCommand('aggregate', {}, config);
    expect(stdout).toContain('# aggregate');
  });

  it('report foo is a usage error (exit 2 in main), naming the valid workflows', async () => {
    capture();
    await expect(reportCommand('foo', {}, config)).rejects.toThrow(/no workflow "foo" writes reports/);
  });

  it('a date without a report, or a workflow that has none yet, exits 1 with a message', async () => {
    capture();
    expect(await reportCommand('backtest', { date: '2026-12-05' }, config)).toBe(1);
    expect(stderr).toMatch(/^quant: no backtest report for 2026-12-05 \(looked under file:\/\/.*day=05\)/);
    expect(stderr).not.toMatch(/InvalidObjectKey|trailing slash/);
    capture();
    expect(await reportCommand('monitor', {}, config)).toBe(1);
    expect(stderr).toMatch(/no monitor report yet/);
    expect(stdout).toBe('');
  });
});
