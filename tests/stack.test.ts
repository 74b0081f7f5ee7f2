/**
 * `quant stack up|status|down` as a user runs them, on a second stack with its
 * own data dir and ports: up twice is fine, the search attributes are
 * registered (also when the SQLite file already holds the namespace), the
 * processes outlive the command, and down stops them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { embeddedDatabaseUrl } from '../src/stack/postgres';
import { freePort } from '../src/stack/free-port';

const repoRoot = join(__dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'quant-stack-'));
let temporalPort = 0;
let uiPort = 0;
let pgPort = 0;
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  [temporalPort, uiPort, pgPort] = [await freePort(), await freePort(), await freePort()];
  env = {
    ...process.env,
    QUANT_DATA_DIR: dataDir,
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    EMBEDDED_PG_PORT: String(pgPort),
  };
  for (const k of ['TEMPORAL_ADDRESS', 'DATABASE_URL']) delete env[k];
});

function quant(...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
    env,
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

async function searchAttributes(): Promise<Record<string, unknown>> {
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  try {
    return (await connection.operatorService.listSearchAttributes({ namespace: 'default' })).customAttributes ?? {};
  } finally {
    await connection.close();
  }
}

afterAll(() => {
  try {
    quant('stack', 'down');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('quant stack', () => {
  it('comes up, is idempotent, registers search attributes, and goes down', async () => {
    const first = quant('stack', 'up');
    expect(first).toContain(`Temporal: 127.0.0.1:${temporalPort}  Web UI: http://localhost:${uiPort}`);
    expect(first).toMatch(/migrations: applied 1/);
    const second = quant('stack', 'up');
    expect(second).toMatch(/migrations: up to date/);

    // The SQLite file holds every history, the logs whatever was logged: owner-only (issue 11, point 13).
    const mode = (p: string) => (statSync(join(dataDir, p)).mode & 0o777).toString(8);
    expect({
      db: mode('temporal.db'),
      logs: mode('logs'),
      temporalLog: mode('logs/temporal.log'),
      postgresLog: mode('logs/postgres.log'),
      run: mode('run'),
    }).toEqual({
      db: '600',
      logs: '700',
      temporalLog: '600',
      postgresLog: '600',
      run: '700',
    });
    if (existsSync(join(dataDir, 'temporal.db-wal'))) expect(mode('temporal.db-wal')).toBe('600');

    const attrs = await searchAttributes();
    expect(Object.keys(attrs)).toEqual(expect.arrayContaining(['Contract', 'RunDate', 'RunDay', 'Pipeline']));

    const status = quant('stack', 'status');
    expect(status).toMatch(/temporal\s+running \(pid \d+\)/);
    expect(status).toMatch(/postgres\s+running \(pid \d+\)/);

    // Postgres is real and holds our tables.
    const client = new pg.Client({ connectionString: embeddedDatabaseUrl(dataDir, pgPort) });
    await client.connect();
    const tables = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    await client.end();
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['fanout_runs', 'fanout_results', 'fanout_aggregates', 'schema_migrations']),
    );

    expect(quant('stack', 'down')).toMatch(/stopped temporal, postgres/);
    expect(quant('stack', 'status')).toMatch(/temporal\s+stopped[\s\S]*postgres\s+stopped/);

    // Restart on the existing SQLite file: the namespace exists, the attributes are still there.
    quant('stack', 'up');
    expect(Object.keys(await searchAttributes())).toEqual(expect.arrayContaining(['Contract', 'RunDate', 'RunDay', 'Pipeline']));
  });

  it('names a wrong argument', () => {
    let message = '';
    try {
      quant('stack', 'sideways');
    } catch (e) {
      message = String((e as { stderr?: string }).stderr);
    }
    // commander's wording (src/cli/program.ts), with the pointer to the help that lists the subcommands.
    expect(message).toMatch(/unknown command 'sideways'\n\(add --help for usage\)/);
  });
});
