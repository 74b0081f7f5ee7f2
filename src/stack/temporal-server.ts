/**
 * The embedded Temporal server: the CLI's dev server on a SQLite file under
 * the data dir, started detached so it outlives the command that started it,
 * with our search attributes registered on every start (the CLI's
 * `--search-attribute` flags are ignored once the namespace exists in the file).
 */
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SEARCH_ATTRIBUTE_TYPES } from '../../workflows/names';
import { readLivePid, spawnDetached, stopPid, waitFor } from './processes';
import { resolveTemporalCli } from './temporal-cli';

export interface TemporalServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  cliPath?: string;
  log?: (msg: string) => void;
}

export function temporalPaths(dataDir: string) {
  const abs = resolve(dataDir);
  return { db: join(abs, 'temporal.db'), pidFile: join(abs, 'run', 'temporal.pid'), logFile: join(abs, 'logs', 'temporal.log') };
}

/**
 * Start the dev server unless it already runs (pid file), wait until its
 * frontend answers, and register the search attributes idempotently.
 * Returns the gRPC address and the Web UI URL.
 */
export async function startTemporalServer(opts: TemporalServerOptions): Promise<{ address: string; uiUrl: string; started: boolean }> {
  const paths = temporalPaths(opts.dataDir);
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = `http://localhost:${opts.uiPort}`;
  let started = false;
  if (!readLivePid(paths.pidFile)) {
    const cli = resolveTemporalCli({ cliPath: opts.cliPath, log: opts.log });
    mkdirSync(resolve(opts.dataDir), { recursive: true, mode: 0o700 });
    const args = [
      'server',
      'start-dev',
      '--db-filename',
      paths.db,
      '--ip',
      '127.0.0.1',
      '--port',
      String(opts.port),
      '--ui-port',
      String(opts.uiPort),
      '--namespace',
      opts.namespace,
      '--log-format',
      'json',
      '--log-level',
      'warn',
      '--sqlite-pragma',
      'journal_mode=WAL',
      '--sqlite-pragma',
      'synchronous=OFF',
      // New search attributes are visible to the next query, not after a cache refresh.
      '--dynamic-config-value',
      'system.forceSearchAttributesCacheRefreshOnRead=true',
      // An activity scheduled by a workflow task is handed back in that task's completion response to the
      // worker that has a free slot, skipping a trip through the task queue (bench:fanout: three per contract).
      '--dynamic-config-value',
      'system.enableActivityEagerExecution=true',
      ...Object.entries(SEARCH_ATTRIBUTE_TYPES).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]),
    ];
    spawnDetached(cli, args, { logFile: paths.logFile, pidFile: paths.pidFile });
    started = true;
  }
  await waitFor(
    `Temporal dev server on ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: opts.namespace });
        return true;
      } finally {
        await connection.close();
      }
    },
    120_000,
    `see ${paths.logFile}`,
  );
  // The SQLite file holds every workflow history: owner-only. The server creates it (an existing
  // empty file would be taken for an initialised one), so it is closed down once the server answers.
  for (const f of [paths.db, `${paths.db}-wal`, `${paths.db}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  await registerSearchAttributes(address, opts.namespace);
  return { address, uiUrl, started };
}

/** Add the search attributes of SEARCH_ATTRIBUTE_TYPES (Contract, RunDate, RunDay, Pipeline, Model) to `namespace` if missing. Safe to call on any server, any number of times. */
export async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
  const typeOf = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME };
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const have = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = Object.entries(SEARCH_ATTRIBUTE_TYPES).filter(([name]) => !have.has(name));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, typeOf[type]])),
    });
  } finally {
    await connection.close();
  }
}

export async function stopTemporalServer(dataDir: string): Promise<boolean> {
  const pid = readLivePid(temporalPaths(dataDir).pidFile);
  if (!pid) return false;
  await stopPid(pid);
  return true;
}

export function temporalServerPid(dataDir: string): number | undefined {
  return readLivePid(temporalPaths(dataDir).pidFile);
}
