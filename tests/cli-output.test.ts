/**
 * `quant ... -o json` as a script runs it, on the real test stack: stdout is
 * one JSON document, messages go to stderr, and `runs list` shows a daily
 * run (from Temporal's visibility store) with its workflow ID beside the
 * fan-out runs, under a header row in the default table.
 */
import { describe, expect, it } from 'vitest';
import { testConfig, runQuant, useTestStack } from './helpers';

const config = testConfig();
useTestStack(config);

const quant = (args: string[]) => runQuant(args, config.temporal.taskQueue);

describe('quant -o json', () => {
  it('run ingest prints its result alone on stdout; runs list lists it as a daily run', async () => {
    const date = '2024-03-15';
    const ran = await quant(['run', 'ingest', '--date', date, '-o', 'json']);
    expect(ran.status, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ date, status: 'completed', provider: 'synthetic', symbols: 49 });
    expect(ran.stderr).toContain(`workflow: ingest-${date}`);

    // Visibility is eventually consistent: the closed run shows up within a few seconds.
    let daily: { kind: string; workflow: string; workflowId: string; run: string; status: string } | undefined;
    for (let i = 0; i < 20 && daily?.status !== 'completed'; i++) {
      const listed = await quant(['runs', 'list', '--limit', '50', '-o', 'json']);
      expect(listed.status, listed.stderr).toBe(0);
      daily = (JSON.parse(listed.stdout) as (typeof daily)[]).find((l) => l?.workflowId === `ingest-${date}`);
      if (daily?.status !== 'completed') await new Promise((r) => setTimeout(r, 500));
    }
    expect(daily).toMatchObject({ kind: 'daily', workflow: 'ingest', run: date, status: 'completed' });

    const table = await quant(['runs', 'list', '--limit', '50']);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^started\s+kind\s+workflow\s+workflow ID\s+run\s+status\s+detail$/);
    expect(lines.some((l) => new RegExp(`daily\\s+ingest\\s+ingest-${date}\\s+${date}\\s+completed`).test(l))).toBe(true);
  });

  it('portfolio and schedules list parse as JSON', async () => {
    const p = await quant(['portfolio', '-o', 'json']);
    expect(p.status, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ cash: expect.any(Number), positions: expect.any(Array) });
    const s = await quant(['schedules', 'list', '-o', 'json']);
    expect(s.status, s.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(s.stdout))).toBe(true);
  });
});
