/**
 * JSON log lines: shape, level filtering, Temporal context fields, and that
 * secrets never reach the output.
 */
import { describe, expect, it } from 'vitest';
import { createJsonLogger, createLogFormatter } from './logger';

function capture(options: Parameters<typeof createJsonLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = createJsonLogger({ ...options, write: (l) => lines.push(l) });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createJsonLogger', () => {
  it('writes one JSON object per line with time, level, msg and run context', () => {
    const { logger, lines, records } = capture();
    logger.info('activity completed', {
      workflowId: 'analyze-AAPL-r1',
      workflowRunId: 'abc',
      activityType: 'saveResults',
      taskToken: 'CiQ0YjQ5',
      durationMs: 12,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const [rec] = records();
    expect(rec).toMatchObject({
      level: 'info',
      msg: 'activity completed',
      workflowId: 'analyze-AAPL-r1',
      runId: 'abc',
      activity: 'saveResults',
      durationMs: 12,
    });
    expect(rec.activityType).toBeUndefined();
    expect(rec.workflowRunId).toBeUndefined();
    expect(rec.taskToken).toBeUndefined();
    expect(new Date(rec.time as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('filters below the configured level', () => {
    const { logger, records } = capture({ level: 'warn' });
    logger.info('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    logger.error('shown too');
    expect(records().map((r) => r.level)).toEqual(['warn', 'error']);
  });

  it('never logs secrets: secret keys, URL credentials, literal secret values', () => {
    const dbUrl = 'postgres://quant:s3cr3t-pw@postgres:5432/quant';
    const { logger, lines } = capture({ secretValues: [dbUrl, 'AKIAEXAMPLEKEY', undefined] });
    logger.info(`connecting to ${dbUrl}`, {
      config: {
        postgres: { url: dbUrl },
        objectStore: { secretAccessKey: 'xyz', accessKeyId: 'AKIAEXAMPLEKEY', endpoint: 'http://minio:9000' },
      },
      FINNHUB_API_KEY: 'finn',
      note: 'key AKIAEXAMPLEKEY used',
      err: new Error(`failed to reach ${dbUrl}`),
    });
    const out = lines.join('\n');
    for (const secret of ['s3cr3t-pw', 'xyz', 'AKIAEXAMPLEKEY', 'finn']) expect(out).not.toContain(secret);
    expect(out).toContain('http://minio:9000');
    expect(out).toContain('postgres://quant:***@postgres:5432/quant');
  });

  it('serialises errors, bigints and cycles without throwing', () => {
    const format = createLogFormatter({ base: { service: 'quant-worker' } });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const err = Object.assign(new Error('bad row'), { type: 'InvalidPrice' });
    const line = format({
      level: 'ERROR',
      message: 'x',
      timestampNanos: 1_700_000_000_000_000_000n,
      meta: { err, n: 5n, cyclic, level: 'spoofed' },
    });
    const rec = JSON.parse(line);
    expect(rec).toMatchObject({
      level: 'error',
      service: 'quant-worker',
      n: '5',
      err: { name: 'Error', message: 'bad row', type: 'InvalidPrice' },
      cyclic: { a: 1, self: '[circular]' },
    });
    expect(rec.time).toBe('2023-11-14T22:13:20.000Z');
  });
});
