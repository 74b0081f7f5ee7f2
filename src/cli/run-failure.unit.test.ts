/**
 * The failure text of the CLI on failure objects built the way the client
 * builds them (WorkflowFailedError > ChildWorkflowFailure > ActivityFailure
 * > ApplicationFailure): the root cause and its type, the failed step, the
 * Web UI link, exit 1, and no stack line.
 */
import { describe, expect, it } from 'vitest';
import { ModelRegistrationError } from '../config/model-kinds';
import { ScheduleNotFoundError, WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import { describeFailure, reportFailures, workflowLink } from './run-failure';

const ctx = { namespace: 'default', uiUrl: 'http://127.0.0.1:8233', workflowId: 'pipeline-2026-12-01', workflowType: 'pipeline' };

function chain(): WorkflowFailedError {
  const root = ApplicationFailure.nonRetryable(
    'rebalances are booked in date order: 2026-12-02 is booked, 2026-12-01 comes before it',
    'OutOfOrderRebalance',
  );
  const activity = new ActivityFailure('activity failed', 'bookTrades', '7', RetryState.NON_RETRYABLE_FAILURE, 'worker@host', root);
  const child = new ChildWorkflowFailure(
    'default',
    { workflowId: 'rebalance-2026-12-01', runId: 'r1' },
    'rebalance',
    RetryState.NON_RETRYABLE_FAILURE,
    activity,
  );
  return new WorkflowFailedError('Workflow execution failed', child, RetryState.NON_RETRYABLE_FAILURE);
}

describe('describeFailure', () => {
  it('names the root cause, the failed step through the child, and both Web UI links', () => {
    const r = describeFailure(chain(), ctx)!;
    expect(r.exitCode).toBe(1);
    expect(r.lines).toEqual([
      'quant: run pipeline-2026-12-01 failed',
      '  cause: rebalances are booked in date order: 2026-12-02 is booked, 2026-12-01 comes before it (OutOfOrderRebalance, not retryable)',
      '  step:  child workflow rebalance (rebalance-2026-12-01) > activity bookTrades',
      '  Web UI: http://127.0.0.1:8233/namespaces/default/workflows/pipeline-2026-12-01',
      '  failed child: http://127.0.0.1:8233/namespaces/default/workflows/rebalance-2026-12-01',
    ]);
    expect(r.lines.join('\n')).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });

  it('a failure of the workflow itself (its input check) names the workflow as the step', () => {
    const err = new WorkflowFailedError(
      'Workflow execution failed',
      ApplicationFailure.nonRetryable('run date 2027-06-01 is after the last completed NYSE session', 'FutureRunDate'),
      RetryState.NON_RETRYABLE_FAILURE,
    );
    const r = describeFailure(err, { ...ctx, workflowId: 'screen-2027-06-01', workflowType: 'screen' })!;
    expect(r.lines[1]).toBe('  cause: run date 2027-06-01 is after the last completed NYSE session (FutureRunDate, not retryable)');
    expect(r.lines[2]).toBe('  step:  workflow screen itself');
  });

  it('an activity timeout says which timeout', () => {
    const timeout = new TimeoutFailure('activity StartToClose timeout', undefined, 'START_TO_CLOSE');
    const err = new WorkflowFailedError(
      'Workflow execution failed',
      new ActivityFailure('activity failed', 'loadPrices', '1', RetryState.TIMEOUT, undefined, timeout),
      RetryState.NON_RETRYABLE_FAILURE,
    );
    const r = describeFailure(err, { namespace: 'default' })!;
    expect(r.lines[1]).toBe('  cause: activity StartToClose timeout (START_TO_CLOSE timeout)');
    expect(r.lines[2]).toBe('  step:  activity loadPrices');
    // Without a Web UI (a cluster frontend), no link line.
    expect(r.lines).toHaveLength(3);
  });

  it('a schedule not found is named with the command that lists them', () => {
    const r = describeFailure(new ScheduleNotFoundError('Schedule not found', 'daily-ingst'), ctx)!;
    expect(r.exitCode).toBe(1);
    expect(r.lines).toEqual([
      'quant: schedule "daily-ingst" not found in namespace default; see the schedules there with: quant schedules list',
    ]);
  });

  it('a metrics port in use names the setting to change', () => {
    const err = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:9464'), {
      code: 'EADDRINUSE',
      syscall: 'listen',
      address: '127.0.0.1',
      port: 9464,
    });
    const ports = [
      { setting: 'METRICS_PORT', port: 9464 },
      { setting: 'SDK_METRICS_PORT', port: 9465 },
    ];
    expect(describeFailure(err, { ...ctx, ports })!.lines).toEqual([
      'quant: port 127.0.0.1:9464 is already in use: another process uses it; set METRICS_PORT to a free port',
    ]);
    // The SDK's exporter reports it as text only: both candidate settings are named.
    expect(describeFailure(new Error('Address already in use (os error 98)'), { ...ctx, ports })!.lines[0]).toBe(
      'quant: port is already in use: another process uses it; set METRICS_PORT or SDK_METRICS_PORT to a free port',
    );
  });

  it('bad input our code refused is printed as its message alone', () => {
    const r = describeFailure(
      new ModelRegistrationError('model config of kind enhancedMomentum is invalid: unknown field(s) "rsi_period"'),
      ctx,
    );
    expect(r).toEqual({ lines: ['quant: model config of kind enhancedMomentum is invalid: unknown field(s) "rsi_period"'], exitCode: 1 });
  });

  it('anything else is not ours to explain (it keeps its stack)', () => {
    expect(describeFailure(new TypeError('x is undefined'), ctx)).toBeUndefined();
  });
});

describe('reportFailures', () => {
  it('prints a known failure and returns exit 1; rethrows an unknown one', async () => {
    let text = '';
    const code = await reportFailures(
      ctx,
      async () => Promise.reject(chain()),
      (s) => (text += s),
    );
    expect(code).toBe(1);
    expect(text).toContain('cause: rebalances are booked in date order');
    await expect(reportFailures(ctx, async () => Promise.reject(new RangeError('bug')))).rejects.toThrow('bug');
    expect(await reportFailures(ctx, async () => undefined)).toBeUndefined();
  });

  it('links encode the workflow id', () => {
    expect(workflowLink('http://h:1', 'default', 'a b')).toBe('http://h:1/namespaces/default/workflows/a%20b');
  });
});
