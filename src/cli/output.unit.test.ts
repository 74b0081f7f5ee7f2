/** `-o json` puts one parseable document on stdout and everything else on stderr. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announceRun, printResult, textTable, webUiLink } from './output';

let stdout = '';
let stderr = '';
const real = { out: process.stdout.write, err: process.stderr.write };
beforeEach(() => {
  stdout = stderr = '';
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
});
afterEach(() => {
  process.stdout.write = real.out;
  process.stderr.write = real.err;
});

describe('run output', () => {
  const result = { date: '2025-03-14', stored: 49, symbols: ['AAPL', 'MSFT'], reportKey: null };
  const link = webUiLink('http://localhost:8233', 'default', 'ingest-2025-03-14');

  it('json: stdout parses as the result; the workflow ID and Web UI link go to stderr', () => {
    announceRun('json', 'ingest-2025-03-14', link);
    printResult('json', result);
    expect(JSON.parse(stdout)).toEqual(result);
    expect(stderr).toContain('workflow: ingest-2025-03-14');
    expect(stderr).toContain('Web UI:   http://localhost:8233/namespaces/default/workflows/ingest-2025-03-14');
  });

  it('table: a header row, one field a line, the link on stdout', () => {
    announceRun('table', 'ingest-2025-03-14', link);
    printResult('table', result);
    expect(stderr).toBe('');
    expect(stdout.split('\n')).toEqual([
      'workflow: ingest-2025-03-14',
      'Web UI:   http://localhost:8233/namespaces/default/workflows/ingest-2025-03-14',
      'field      value',
      'date       2025-03-14',
      'stored     49',
      'symbols    ["AAPL","MSFT"]',
      'reportKey  -',
      '',
    ]);
  });

  it('no Web UI link without a known UI (cluster profile)', () => {
    expect(webUiLink(undefined, 'default', 'x')).toBeUndefined();
  });

  it('textTable pads every column but the last', () => {
    expect(textTable(['id', 'state', 'note'], [['daily-ingest', 'PAUSED', 'holiday']])).toBe(
      'id            state   note\ndaily-ingest  PAUSED  holiday',
    );
  });
});
