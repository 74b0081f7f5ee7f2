/**
 * The worker process of tests/rebalance-crash.test.ts: the production worker
 * (`buildWorker`: the same activities, clients and workflow bundle) plus the
 * one dependency only this test injects, a `beforeRebalanceCommit` hook.
 * While the pause file (argv[2]) exists, the hook writes `<file>.reached`
 * and waits, heartbeating, inside the booking transaction (trades inserted,
 * snapshot not yet taken), so the test can SIGKILL the process there.
 * Endpoints come from the stack's env, as for `quant worker`.
 *
 * Run: node --import tsx tests/rebalance-crash-worker.ts <pauseFile>
 */
import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config/load';
import { buildWorker } from '../src/worker/worker';
import { heartbeat } from '../activities/support/heartbeat';

const pauseFile = process.argv[2];
if (!pauseFile) throw new Error('usage: rebalance-crash-worker.ts <pauseFile>');
const need = (k: string) =>
  process.env[k] ??
  (() => {
    throw new Error(`${k} is not set`);
  })();

/** Hold the booking transaction open while the pause file exists. */
async function pauseWhileFileExists(date: string): Promise<void> {
  if (!existsSync(pauseFile)) return;
  writeFileSync(`${pauseFile}.reached`, date);
  while (existsSync(pauseFile)) {
    heartbeat('paused by the crash test');
    await sleep(200);
  }
}

async function main(): Promise<void> {
  const handle = await buildWorker({
    config: loadConfig(process.env),
    temporalAddress: need('TEMPORAL_ADDRESS'),
    databaseUrl: need('DATABASE_URL'),
    workflowBundlePath: need('WORKFLOW_BUNDLE_PATH'),
    beforeRebalanceCommit: pauseWhileFileExists,
    overrides: { shutdownGraceTime: '1s' },
  });
  process.once('SIGTERM', () => handle.worker.shutdown());
  try {
    await handle.worker.run();
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
