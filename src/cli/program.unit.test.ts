/**
 * The `quant` declaration, parsed without running anything: the spy stands
 * in for the handlers, so "not called" means the command did nothing.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, type CommandName } from './program';

function quant(argv: string[]) {
  const calls: { name: CommandName; opts: Record<string, unknown>; args: string[] }[] = [];
  let stdout = '';
  let stderr = '';
  const { run, commands } = buildProgram(
    async (name, opts, args) => {
      calls.push({ name, opts, args });
    },
    { writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) },
  );
  return run(argv).then((code) => ({ code, calls, stdout, stderr, commands: commands().map((c) => c.split(' ')) }));
}

describe('quant --help', () => {
  it.each([['worker'], ['db', 'migrate'], ['stack', 'down'], ['run', 'pipeline'], ['api']])(
    '%s --help prints usage, description and an example, exits 0 and runs nothing',
    async (...path) => {
      for (const flag of ['--help', '-h']) {
        const r = await quant([...path, flag]);
        expect(r.code).toBe(0);
        expect(r.calls).toEqual([]);
        expect(r.stdout).toContain(`Usage: quant ${path.join(' ')}`);
        expect(r.stdout).toMatch(/Example:\n {2}\$ quant /);
      }
    },
  );

  it('help anywhere on the line wins over missing options', async () => {
    const r = await quant(['run', 'pipeline', '--sentiment-weight', '0.5', '--help']);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
  });

  it('every command has a one-line description and an example, and none speaks of WF numbers', async () => {
    const { commands: all, stdout } = await quant(['--help']);
    expect(stdout).toMatch(/quant run ingest \[options\] +end-of-day prices/);
    expect(all.map((p) => p.join(' '))).toContain('run ingest');
    for (const path of all) {
      const r = await quant([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      const description = r.stdout.split('\n\n')[1];
      expect(description, path.join(' ')).toMatch(/^\S.{10,}$/s);
      expect(r.stdout, path.join(' ')).toContain(`$ quant ${path.join(' ')}`);
      expect(r.stdout, path.join(' ')).not.toMatch(/\bWF\d/);
    }
    expect((await quant(['run', '--help'])).stdout).not.toMatch(/\bWF\d/);
  });

  it('no arguments at all is the top-level help', async () => {
    const { main } = await import('./main.js');
    // main() prints with the real stdout; only its exit code matters here.
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await main([])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
  });
});

describe('usage errors exit 2 and run nothing', () => {
  it.each([
    [['worker', '--bogus'], /unknown option '--bogus'/],
    [['db', 'migrate', '--yes'], /unknown option '--yes'/],
    [['stack', 'down', 'now'], /too many arguments/],
    [['run', 'pipeline'], /give --date <YYYY-MM-DD>, or a range with both --from and --to/],
    [['run', 'pipeline', '--from', '2025-03-03'], /give --date <YYYY-MM-DD>, or a range with both --from and --to/],
    [
      ['run', 'pipeline', '--date', '2025-13-45'],
      /option '--date <YYYY-MM-DD>' argument '2025-13-45' is invalid\. must be a calendar date/,
    ],
    [['run', 'backtest', '--date', '2025-03-14', '--start', '2025-02-30'], /'--start <YYYY-MM-DD>' argument '2025-02-30' is invalid/],
    [['run', 'ingest', '--from', '2025-01-01', '--to', '2025-00-10'], /'--to <YYYY-MM-DD>' argument '2025-00-10' is invalid/],
    [['run', 'ingest', '--date', '2025-03-14', '--from', '2025-01-01'], /cannot be used with option '--from/],
    [['portfolio', 'rollback', '--to', 'yesterday'], /'--to <YYYY-MM-DD>' argument 'yesterday' is invalid/],
    [['schedules', 'backfill', 'daily', '--from', '2025-1-1', '--to', '2025-01-31'], /'--from <YYYY-MM-DD>' argument '2025-1-1'/],
    [['data', 'generate', '--contracts', 'abc'], /'--contracts <n>' argument 'abc' is invalid\. must be an integer >= 1/],
    [['run', 'orchestrator', '--contracts', '0'], /must be an integer >= 1/],
    [['run', 'signal', '--date', '2025-03-14', '--sentiment-weight', '2'], /'--sentiment-weight <w>' argument '2' is invalid/],
    [['run', 'aggregate', '--run', 'K'], /required option '--run-key <key>' not specified/],
    [['run', 'analyze-symbol', '--contract', 'AAPL', '--run', 'K'], /unknown option '--run'/],
    [
      ['run', 'orchestrator', '--retry-failed', 'K', '--contracts', '3'],
      /'--retry-failed <runKey>' cannot be used with option '--contracts/,
    ],
    [['runs', 'list', '-o', 'yaml'], /argument 'yaml' is invalid\. Allowed choices are table, json/],
    [['nonsense'], /unknown command 'nonsense'/],
    [['stack'], /Usage: quant stack/],
  ])('%j', async (argv, message) => {
    const r = await quant(argv);
    expect(r.code).toBe(2);
    expect(r.calls).toEqual([]);
    expect(r.stderr).toMatch(message);
  });
});

describe('options reach the command parsed', () => {
  it('one --run-key spelling, typed values, table by default', async () => {
    expect((await quant(['run', 'aggregate', '--run-key', 'K'])).calls).toEqual([
      { name: 'run aggregate', opts: { runKey: 'K', output: 'table' }, args: [] },
    ]);
    expect((await quant(['run', 'analyze-symbol', '--contract', 'AAPL', '--run-key', 'K'])).calls[0].opts).toMatchObject({
      contract: 'AAPL',
      runKey: 'K',
    });
    expect((await quant(['run', 'orchestrator', '--contracts', '25', '--fail', 'A, B', '--wait', '-o', 'json'])).calls[0].opts).toEqual({
      contracts: 25,
      fail: ['A', 'B'],
      wait: true,
      output: 'json',
    });
    expect((await quant(['run', 'pipeline', '--date', '2024-02-29', '--lookback-days', '0'])).calls[0].opts).toEqual({
      date: '2024-02-29',
      lookbackDays: 0,
      output: 'table',
    });
    expect((await quant(['run', 'ingest', '--lookback-days', '5'])).calls[0].opts).toMatchObject({ lookbackDays: 5 });
    expect((await quant(['run', 'ingest', '--lookback', '5'])).calls[0].opts).toMatchObject({ lookback: 5 });
    expect((await quant(['runs', 'list'])).calls[0].opts).toEqual({ limit: 20, output: 'table' });
    expect((await quant(['schedules', 'pause', 'daily-ingest', '--note', 'holiday'])).calls[0]).toEqual({
      name: 'schedules pause',
      opts: { note: 'holiday' },
      args: ['daily-ingest'],
    });
    expect((await quant(['portfolio', 'rollback', '--to', '2025-03-14', '--yes'])).calls[0]).toMatchObject({
      name: 'portfolio rollback',
      opts: { to: '2025-03-14', yes: true },
    });
    expect((await quant(['portfolio', '-o', 'json'])).calls[0]).toMatchObject({ name: 'portfolio', opts: { output: 'json' } });
    expect((await quant(['api', 'keys', 'revoke', 'ab12'])).calls[0]).toMatchObject({ name: 'api keys revoke', args: ['ab12'] });
  });

  it('-o json is offered on runs list, portfolio, schedules list and every run command', async () => {
    const { commands } = await quant(['--help']);
    const withOutput = commands
      .filter((p) => p[0] === 'run' || ['runs list', 'portfolio', 'schedules list'].includes(p.join(' ')))
      .map((p) => p.join(' '));
    expect(withOutput.length).toBeGreaterThan(12);
    for (const p of withOutput) expect((await quant([...p.split(' '), '--help'])).stdout, p).toMatch(/-o, --output <format>/);
  });

  it("the command's exit code is the program's", async () => {
    const { run } = buildProgram(async () => 3);
    expect(await run(['run', 'orchestrator', '--wait'])).toBe(3);
  });
});
