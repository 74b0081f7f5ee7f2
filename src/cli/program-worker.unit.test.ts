/**
 * The options this branch adds to the declared commands: `--worker` on every
 * command that starts a workflow and waits (handed to the handler, which runs
 * a worker in-process), nowhere else; and `report`'s help lists the
 * workflows that write reports.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, type CommandName } from './program';

function parse(argv: string[]) {
  const calls: { name: CommandName; opts: Record<string, unknown> }[] = [];
  let text = '';
  const { run } = buildProgram(async (name, opts) => void calls.push({ name, opts }), {
    writeOut: (s) => (text += s),
    writeErr: (s) => (text += s),
  });
  return run(argv).then((code) => ({ code, calls, text }));
}

describe('--worker', () => {
  it.each([
    ['run', 'pipeline', '--date', '2026-02-06'],
    ['run', 'screen', '--date', '2026-02-06'],
    ['run', 'ingest'],
    ['run', 'orchestrator', '--contracts', '2'],
    ['run', 'risk-analysis'],
  ])('is an option of %s %s', async (...argv) => {
    const r = await parse([...argv, '--worker']);
    expect(r.code).toBe(0);
    expect(r.calls[0].opts.worker).toBe(true);
  });

  it('is refused where nothing starts a workflow', async () => {
    const r = await parse(['schedules', 'list', '--worker']);
    expect(r.code).toBe(2);
    expect(r.calls).toEqual([]);
  });
});

describe('report --help', () => {
  it('lists the workflows that write reports', async () => {
    const r = await parse(['report', '--help']);
    expect(r.code).toBe(0);
    const words = r.text.replace(/\s+/g, ' ');
    expect(words).toContain(
      'one of ingest, screen, signal, rebalance, monitor, backtest, riskAnalysis, orchestrator, validateData, aggregatePortfolio',
    );
  });
});
