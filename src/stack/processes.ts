/**
 * Detached background processes with pid files: what `quant stack up` leaves
 * running for the user to browse, and what `quant stack down` stops. A pid
 * file whose process is gone counts as not running, so `up` after a crash or
 * a reboot simply starts again.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live pid recorded in `pidFile`, or undefined (a stale file is removed). */
export function readLivePid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim().split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
  rmSync(pidFile, { force: true });
  return undefined;
}

/**
 * Start `command` detached from this process, output appended to `logFile`, pid written to `pidFile`.
 * Logs can hold data (queries, workflow inputs), so they and their folders are owner-only;
 * the child writes through the descriptor opened here, whatever user it runs as.
 */
export function spawnDetached(command: string, args: string[], opts: { logFile: string; pidFile: string } & SpawnOptions): number {
  mkdirSync(dirname(opts.logFile), { recursive: true, mode: 0o700 });
  mkdirSync(dirname(opts.pidFile), { recursive: true, mode: 0o700 });
  const fd = openSync(opts.logFile, 'a', 0o600);
  // Also for a log file an older version created world-readable.
  chmodSync(opts.logFile, 0o600);
  const { logFile: _l, pidFile: _p, ...spawnOpts } = opts;
  const child = spawn(command, args, { ...spawnOpts, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.unref();
  writeFileSync(opts.pidFile, `${child.pid}\n`, { mode: 0o600 });
  return child.pid;
}

/** Send SIGTERM (then SIGKILL after `graceMs`) and wait until the process is gone. */
export async function stopPid(pid: number, graceMs = 15_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `check` until it resolves true or `timeoutMs` passes; the error names `what`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, hint = ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await sleep(250);
  }
  throw new Error(
    `${what} did not become ready within ${Math.round(timeoutMs / 1000)} s${lastError ? `: ${(lastError as Error).message}` : ''}${hint ? ` (${hint})` : ''}`,
  );
}
