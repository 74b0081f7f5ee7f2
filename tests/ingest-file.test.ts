/**
 * WF1 with the file provider (MARKET_DATA_PROVIDER=file): malformed CSV rows
 * are reported with their line numbers in the run's result and report, and
 * the well-formed rows are imported. A file that is not text, has no valid
 * row or repeats a (symbol, date) fails the ingest non-retryably with the
 * reason named, and neither store (Postgres, the Parquet partition) gets a
 * row of it; the failure quotes at most a short escaped excerpt of the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { startTestWorker, testConfig, useTestStack } from './helpers';
import { runIngest } from '../src/cli/commands/ingest';
import { createMarketDataRepo } from '../src/adapters/postgres/market-data-repo';
import type { Db } from '../src/adapters/postgres/pool';

const dir = mkdtempSync(join(tmpdir(), 'qw-csv-'));
const csv = join(dir, 'eod.csv');
writeFileSync(
  csv,
  [
    'date,symbol,open,high,low,close,adj_close,volume',
    '2024-05-14,AAPL,187.5,188.3,186.3,187.4,186.9,52393600',
    '2024-05-14,MSFT,411.1,not-a-number,410.0,416.6,414.9,15109300', // line 3: bad high
    '2024-05-14,XOM,117.2,118.1,116.8,117.9,114.2', // line 4: missing volume
    '2024-05-14,JPM,197.1,198.6,196.5,198.4,195.5,8012000',
  ].join('\n') + '\n',
);
const config = testConfig({ MARKET_DATA_PROVIDER: 'file', MARKET_DATA_FILE: csv });
const stack = useTestStack(config);

describe('WF1 ingest from a CSV file', () => {
  it('imports the good rows and reports the malformed ones by line number', async () => {
    const r = await runIngest(stack.client, config.temporal.taskQueue, { date: '2024-05-14', symbols: ['AAPL', 'MSFT', 'XOM', 'JPM'] });
    expect(r.status).toBe('completed');
    const malformed = r.failures.filter((f) => f.type === 'MalformedRow');
    expect(malformed.map((f) => f.symbol).sort()).toEqual(['line 3', 'line 4']);
    expect(malformed.find((f) => f.symbol === 'line 3')!.message).toMatch(/high/);
    const bars = await createMarketDataRepo(stack.db).loadBars(['AAPL', 'JPM', 'MSFT', 'XOM'], '2024-05-14', '2024-05-14');
    expect(bars.map((b) => b.symbol).sort()).toEqual(['AAPL', 'JPM']);
    expect(bars.find((b) => b.symbol === 'AAPL')).toMatchObject({ close: 187.4, adjClose: 186.9, volume: 52393600 });
    const report = new TextDecoder().decode(await stack.worker.store.get(r.reportKey!));
    expect(report).toMatch(/line 3 \| MalformedRow/);
    expect(report).toMatch(/line 4 \| MalformedRow/);
  });
});

async function failedIngest(file: string, date: string): Promise<{ type?: string; message: string; attempts: number }> {
  const cfg = testConfig({ MARKET_DATA_PROVIDER: 'file', MARKET_DATA_FILE: file });
  const worker = await startTestWorker(cfg);
  try {
    const err = await runIngest(stack.client, cfg.temporal.taskQueue, { date, symbols: ['AAPL', 'MSFT'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    // The workflow reports IngestFailed; the activity's own failure carries the file's error type.
    const history = await stack.client.workflow.getHandle(`ingest-${date}`).fetchHistory();
    const failed = (history.events ?? []).find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    const attempts = (history.events ?? [])
      .filter((e) => e.activityTaskStartedEventAttributes)
      .map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
    expect((err as WorkflowFailedError).cause?.message).toContain(failed?.message ?? 'no activity failure');
    return { type: failed?.applicationFailureInfo?.type ?? undefined, message: failed?.message ?? '', attempts: Math.max(...attempts) };
  } finally {
    await worker.stop();
  }
}

async function nothingStored(date: string): Promise<void> {
  const rows = await stack.db.query<{ n: number }>('SELECT count(*)::int AS n FROM market_data WHERE date = $1::date', [date]);
  expect(rows.rows[0].n).toBe(0);
  const [y, m, d] = date.split('-');
  expect(await stack.worker.store.list(`market_data/source=file/year=${y}/month=${m}/day=${d}/`)).toEqual([]);
}

describe('WF1 ingest from a file it must refuse', () => {
  it('a binary file fails once with NotTextFile, its bytes nowhere but a short escaped excerpt', async () => {
    const garbage = join(dir, 'garbage.csv');
    writeFileSync(
      garbage,
      Buffer.concat([Buffer.from('date,symbol\n'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131) % 256))]),
    );
    const r = await failedIngest(garbage, '2024-05-15');
    expect(r.type).toBe('NotTextFile');
    expect(r.attempts).toBe(1);
    expect(r.message).toMatch(/not a text file: binary data/);
    expect(r.message.length).toBeLessThan(400);
    expect(r.message).not.toMatch(/[\u0000-\u0008\u007f-\uffff]/);
    const history = JSON.stringify(await stack.client.workflow.getHandle('ingest-2024-05-15').fetchHistory());
    expect(history).not.toMatch(/\\u0000|[\u0080-\uffff]/);
    await nothingStored('2024-05-15');
  });

  it('a header-only file is a failed ingest (EmptyImport), not a success with quality 1', async () => {
    const empty = join(dir, 'header-only.csv');
    writeFileSync(empty, 'date,symbol,open,high,low,close,adj_close,volume\n');
    const r = await failedIngest(empty, '2024-05-16');
    expect(r).toMatchObject({ type: 'EmptyImport', attempts: 1 });
    await nothingStored('2024-05-16');
  });

  it('duplicate (symbol, date) rows reject the file: neither store gets any row', async () => {
    const dups = join(dir, 'dups.csv');
    writeFileSync(
      dups,
      [
        'date,symbol,open,high,low,close,adj_close,volume',
        '2024-05-17,AAPL,187.5,188.3,186.3,187.4,186.9,52393600',
        '2024-05-17,MSFT,411.1,417.0,410.0,416.6,414.9,15109300',
        '2024-05-17,AAPL,187.6,188.4,186.4,187.5,187.0,52393700', // line 4 repeats line 2
      ].join('\n') + '\n',
    );
    const r = await failedIngest(dups, '2024-05-17');
    expect(r).toMatchObject({ type: 'DuplicateRows', attempts: 1 });
    expect(r.message).toContain('line 4 repeats AAPL 2024-05-17 of line 2');
    await nothingStored('2024-05-17');
  });
});
