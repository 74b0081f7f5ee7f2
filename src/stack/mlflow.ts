/**
 * A real MLflow tracking server for the tests (and for a user who wants one
 * beside the embedded stack): `mlflow` from PyPI, pinned, installed once per
 * machine into a virtual environment in the tool cache (like the Temporal
 * CLI's build), then `mlflow server` with a SQLite backend and a local
 * artifact folder that the server proxies, on a free loopback port.
 *
 * `MLFLOW_BIN` may name an existing `mlflow` executable instead.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { acquireLock } from './go-tools';
import { freePort } from './free-port';
import { waitFor } from './processes';
import { toolCacheDir } from './temporal-cli';

/** The MLflow release the tests run against (the newest on PyPI when chosen, 2026-12). */
export const MLFLOW_VERSION = '3.17.2';

/** The venv lives beside the Go tools' binaries: `<cache>/../mlflow-<version>`. */
function venvDir(): string {
  return join(dirname(toolCacheDir()), `mlflow-${MLFLOW_VERSION}`);
}

/** How to run `mlflow`: the command and the arguments before mlflow's own. */
export interface MlflowCommand {
  command: string;
  args: string[];
}

/**
 * How to run `mlflow`, installing it (about a minute, once) when none is
 * cached. Throws with pip's last lines when the install fails.
 */
export function resolveMlflow(opts: { log?: (msg: string) => void } = {}): MlflowCommand {
  const log = opts.log ?? (() => undefined);
  const fromEnv = process.env.MLFLOW_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`MLFLOW_BIN points to ${fromEnv}, which does not exist`);
    return { command: fromEnv, args: [] };
  }
  const venv = venvDir();
  // The venv was built under another name and renamed: its scripts' first lines name the old path, so they
  // run through the venv's python, which finds its prefix from where it is.
  const bin: MlflowCommand = { command: join(venv, 'bin', 'python'), args: [join(venv, 'bin', 'mlflow')] };
  const stamp = join(venv, '.installed');
  if (existsSync(stamp)) return bin;
  mkdirSync(dirname(venv), { recursive: true });
  const release = acquireLock(`${venv}.lock`, 20 * 60_000, log);
  try {
    if (existsSync(stamp)) return bin;
    log(`installing mlflow==${MLFLOW_VERSION} from PyPI into ${venv}; this takes about a minute once`);
    // Install into a private folder, then rename: a killed install never leaves a half-made venv behind.
    const staging = mkdtempSync(`${venv}.build-`);
    try {
      const python = process.env.PYTHON ?? 'python3';
      execFileSync(python, ['-m', 'venv', staging], { stdio: ['ignore', 'ignore', 'pipe'] });
      execFileSync(
        join(staging, 'bin', 'python'),
        ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `mlflow==${MLFLOW_VERSION}`],
        { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
      );
      rmSync(venv, { recursive: true, force: true });
      renameSync(staging, venv);
      writeFileSync(stamp, `${MLFLOW_VERSION}\n`);
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-5).join('\n');
      throw new Error(`could not install mlflow==${MLFLOW_VERSION} into a venv: ${stderr || (err as Error).message}`);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return bin;
  } finally {
    release();
  }
}

export interface RunningMlflow {
  /** http://127.0.0.1:<port>, what MLFLOW_TRACKING_URI would be. */
  trackingUri: string;
  /** Where the server keeps the artifacts it proxies. */
  artifactDir: string;
  stop(): Promise<void>;
}

/**
 * Start `mlflow server` on a free loopback port with its data in a fresh
 * temporary folder (removed on stop), and wait until `/health` answers.
 *
 * @example
 *   const mlflow = await startTestMlflow();
 *   const tracker = createMlflowTracker({ trackingUri: mlflow.trackingUri });
 */
export async function startTestMlflow(
  opts: { log?: (msg: string) => void; startTimeoutMs?: number; /** Web workers of the server; default 1. */ workers?: number } = {},
): Promise<RunningMlflow> {
  const mlflow = resolveMlflow(opts);
  const root = mkdtempSync(join(tmpdir(), 'qw-mlflow-'));
  const port = await freePort();
  const artifactDir = join(root, 'artifacts');
  const logFile = join(root, 'server.log');
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      mlflow.command,
      [
        ...mlflow.args,
        'server',
        '--backend-store-uri',
        `sqlite:///${join(root, 'mlflow.db')}`,
        '--artifacts-destination',
        artifactDir,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        String(opts.workers ?? 1),
      ],
      { stdio: ['ignore', fd, fd], detached: true, env: { ...process.env, MLFLOW_TRACKING_URI: '' } },
    );
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`could not start ${mlflow.command} server`);
  const pid = child.pid;
  let exited: number | null | undefined;
  const exitedP = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  // The server forks its web workers: signal the whole process group.
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.once('exit', killOnExit);
  const trackingUri = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited === undefined) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await exitedP;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `MLflow on ${trackingUri}`,
      async () => {
        if (exited !== undefined) throw new Error(`mlflow server exited with code ${exited}: ${readFileSync(logFile, 'utf8').slice(-500)}`);
        return (await fetch(`${trackingUri}/health`, { signal: AbortSignal.timeout(2000) })).ok;
      },
      opts.startTimeoutMs ?? 120_000,
      `log: ${logFile}`,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { trackingUri, artifactDir, stop };
}

/**
 * For tests: a started server, or why there is none (MLflow could not be
 * installed on this machine). With QUANT_REQUIRE_MLFLOW=1 (CI sets it) a
 * failed install is an error, not a skip.
 */
export async function startTestMlflowOrReason(
  opts: { log?: (msg: string) => void } = {},
): Promise<RunningMlflow | { unavailable: string }> {
  try {
    return await startTestMlflow(opts);
  } catch (err) {
    if (process.env.QUANT_REQUIRE_MLFLOW === '1') throw err;
    return { unavailable: `MLflow could not be started here, so this test skips: ${(err as Error).message}` };
  }
}
