/**
 * WF1 with the file provider (MARKET_DATA_PROVIDER=file): malformed CSV rows
 * are reported with their line numbers in the run's result and report, and
 * the well-formed rows are imported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { testConfig, useTestStack } from './helpers';
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
