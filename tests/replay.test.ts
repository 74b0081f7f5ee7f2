/**
 * Determinism guard: recorded histories of representative runs replay
 * against the current workflow code. A change that alters the command
 * sequence of a running workflow fails here; wrap such changes in patched().
 * Re-record with QUANT_RECORD_HISTORIES=1 npx vitest run tests/fanout.test.ts tests/pipeline.test.ts
 * (and tests/trading-workflows.test.ts for reconciliation and riskAnalysis).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { testEnv } from './helpers';
import { createMetrics, createMetricsSinks } from '../src/adapters/metrics';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('recorded histories replay on the current code', () => {
  it('has a fixture for the fan-out and for every daily workflow', () => {
    for (const wf of ['orchestrator', 'analyzeSymbol', 'pipeline', 'ingest', 'screen', 'signal', 'rebalance', 'monitor', 'backtest', 'reconciliation', 'riskAnalysis']) {
      expect(files.some((f) => f.startsWith(`${wf}-`)), wf).toBe(true);
    }
  });

  it.each(files)('%s', async (file) => {
    const history = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const workflowId = file.replace(/\.json$/, '');
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: testEnv().bundlePath }, sinks: createMetricsSinks(createMetrics({ processMetrics: false })) }, history, workflowId),
    ).resolves.toBeUndefined();
  });
});
