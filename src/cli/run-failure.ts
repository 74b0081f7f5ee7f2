/**
 * What the CLI prints when a command fails for a reason that is not a usage
 * error: a failed run (the root cause's message and type, the step that
 * failed and the run's Web UI link), a schedule that does not exist (named,
 * with `quant schedules list`), a port already taken (the setting to
 * change), and bad input the command itself refused (one of our
 * non-retryable errors, whose message names the field, file or model). A Node stack trace says where the CLI stopped, which a user
 * cannot act on; the cause sits at the end of the failure's `cause` chain.
 */
import { ScheduleNotFoundError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import { isNonRetryable } from '../domain/errors';

/** Exit code of a command that ran and failed (2 stays for usage errors, 3 for a partial fan-out). */
export const EXIT_FAILED = 1;

export interface FailureContext {
  namespace: string;
  /** The Web UI base (http://host:port); absent when the stack does not serve one. */
  uiUrl?: string;
  /** The workflow the command started or awaited (the client's error does not carry it). */
  workflowId?: string;
  /** Its type, to name the step when the workflow itself failed. */
  workflowType?: string;
  /** Listening ports the command opens and the settings that choose them, for EADDRINUSE. */
  ports?: readonly { setting: string; port: number }[];
}

export interface FailureReport {
  /** The lines to print on stderr, without a stack. */
  lines: string[];
  exitCode: number;
}

/** One link in the chain from the run down to its root cause. */
interface Step {
  kind: 'activity' | 'child';
  type: string;
  id?: string;
}

/**
 * The Web UI page of a workflow.
 *
 * @example
 *   workflowLink('http://localhost:8233', 'default', 'screen-2026-12-01') // 'http://localhost:8233/namespaces/default/workflows/screen-2026-12-01'
 */
export function workflowLink(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Walk `cause` to the end, collecting the activities and children passed on the way. */
function unwind(err: Error): { root: Error; steps: Step[] } {
  const steps: Step[] = [];
  let cur: Error = err;
  for (let depth = 0; depth < 32; depth++) {
    if (cur instanceof ActivityFailure) steps.push({ kind: 'activity', type: cur.activityType, id: cur.activityId });
    else if (cur instanceof ChildWorkflowFailure)
      steps.push({ kind: 'child', type: cur.workflowType, id: cur.execution.workflowId ?? undefined });
    const next = (cur as { cause?: unknown }).cause;
    if (!(next instanceof Error)) break;
    cur = next;
  }
  return { root: cur, steps };
}

/** The root cause in words: its message and, where it has one, its failure type. */
function describeRoot(root: Error): string {
  if (root instanceof ApplicationFailure) {
    const type = root.type && root.type !== 'Error' ? ` (${root.type}${root.nonRetryable ? ', not retryable' : ''})` : '';
    return `${root.message || 'failed without a message'}${type}`;
  }
  if (root instanceof TimeoutFailure) {
    return `${root.message || 'timed out'} (${root.timeoutType ?? 'unknown'} timeout)`;
  }
  if (root instanceof TerminatedFailure) return `terminated${root.message ? `: ${root.message}` : ''}`;
  if (root instanceof CancelledFailure) return `cancelled${root.message ? `: ${root.message}` : ''}`;
  return root.message || root.name;
}

function describeSteps(steps: Step[], ctx: FailureContext): string {
  const parts = steps.map((s) => (s.kind === 'activity' ? `activity ${s.type}` : `child workflow ${s.type} (${s.id})`));
  if (parts.length === 0) return `workflow ${ctx.workflowType ?? ctx.workflowId ?? ''}`.trim() + ' itself';
  return parts.join(' > ');
}

function runFailure(err: WorkflowFailedError, ctx: FailureContext): FailureReport {
  const { root, steps } = unwind(err);
  const lines = [
    `quant: run ${ctx.workflowId ?? ''} failed`.replace('run  ', 'run '),
    `  cause: ${describeRoot(root)}`,
    `  step:  ${describeSteps(steps, ctx)}`,
  ];
  if (ctx.uiUrl && ctx.workflowId) lines.push(`  Web UI: ${workflowLink(ctx.uiUrl, ctx.namespace, ctx.workflowId)}`);
  const child = steps.filter((s) => s.kind === 'child').at(-1);
  if (ctx.uiUrl && child?.id) lines.push(`  failed child: ${workflowLink(ctx.uiUrl, ctx.namespace, child.id)}`);
  return { lines, exitCode: EXIT_FAILED };
}

function addressInUse(err: NodeJS.ErrnoException & { port?: number; address?: string }, ctx: FailureContext): FailureReport {
  const owner = err.port === undefined ? undefined : ctx.ports?.find((p) => p.port === err.port);
  const where = err.port === undefined ? '' : ` ${err.address ? `${err.address}:` : ''}${err.port}`;
  const settings = owner ? [owner.setting] : (ctx.ports ?? []).map((p) => p.setting);
  const change = settings.length ? `: another process uses it; set ${settings.join(' or ')} to a free port` : '';
  return { lines: [`quant: port${where} is already in use${change}`], exitCode: EXIT_FAILED };
}

/**
 * The text and exit code for a known failure, or undefined for anything
 * else (a bug, which keeps its stack).
 *
 * @example
 *   describeFailure(err, { namespace: 'default', uiUrl: 'http://localhost:8233', workflowId: 'rebalance-2026-12-01' })
 *   // { exitCode: 1, lines: ['quant: run rebalance-2026-12-01 failed',
 *   //   '  cause: rebalances are booked in date order (OutOfOrder, not retryable)',
 *   //   '  step:  activity bookTrades', '  Web UI: http://localhost:8233/namespaces/default/workflows/rebalance-2026-12-01'] }
 */
export function describeFailure(err: unknown, ctx: FailureContext): FailureReport | undefined {
  if (err instanceof WorkflowFailedError) return runFailure(err, ctx);
  if (err instanceof ScheduleNotFoundError) {
    const id = err.scheduleId ?? 'the schedule';
    return {
      lines: [`quant: schedule "${id}" not found in namespace ${ctx.namespace}; see the schedules there with: quant schedules list`],
      exitCode: EXIT_FAILED,
    };
  }
  if (err instanceof WorkflowNotFoundError) {
    return {
      lines: [`quant: workflow "${err.workflowId ?? ctx.workflowId}" not found in namespace ${ctx.namespace}`],
      exitCode: EXIT_FAILED,
    };
  }
  // Our own refusal of bad input (a model config, a file): its message names the problem; a stack would not help.
  if (isNonRetryable(err)) return { lines: [`quant: ${err.message}`], exitCode: EXIT_FAILED };
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return addressInUse(err as NodeJS.ErrnoException, ctx);
  // The SDK's Rust metrics exporter reports a taken port as text only.
  if (err instanceof Error && /address already in use/i.test(err.message))
    return addressInUse(Object.assign(new Error(err.message), { code }), ctx);
  return undefined;
}

/**
 * Run a command body (its own exit code passes through); a known failure
 * is printed (no stack) and becomes the exit code, anything else propagates.
 *
 * @example
 *   return reportFailures({ namespace, uiUrl, workflowId: 'screen-2026-12-01' }, () => runScreen(...));
 */
export async function reportFailures(
  ctx: FailureContext,
  body: () => Promise<number | void>,
  write: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number | undefined> {
  try {
    return (await body()) ?? undefined;
  } catch (err) {
    const report = describeFailure(err, ctx);
    if (!report) throw err;
    write(`${report.lines.join('\n')}\n`);
    return report.exitCode;
  }
}
