/**
 * Resolve a Go-built command-line tool (helm, kubeconform, ...) the way the
 * Temporal CLI is resolved: an env var naming the binary, else the tool on
 * PATH, else a cached build under the tool cache, else `go install
 * module@version` into that cache. Nothing is downloaded from release pages:
 * only the Go module proxy is reachable here.
 *
 * Concurrent resolutions (two vitest workers, two CI jobs on one machine) are
 * serialised with a lock file next to the binary, so a tool is built once.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { findOnPath, toolCacheDir } from './temporal-cli';

export interface GoTool {
  /** Binary name, also the cache file name: `<cache>/<name>`. */
  name: string;
  /** Env var that may name an existing binary, e.g. HELM_PATH. */
  envVar: string;
  /** Go package path of the main package, e.g. helm.sh/helm/v3/cmd/helm. */
  module: string;
  /** Exact version, e.g. v3.22.0. */
  version: string;
}

/** Helm 3: the newest release the Go module proxy serves that builds with Go 1.26. */
export const HELM: GoTool = { name: 'helm', envVar: 'HELM_PATH', module: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0' };

/** Kubeconform (needs JSON schemas, which it downloads by default; see tests/deploy/helm.test.ts for what we use offline). */
export const KUBECONFORM: GoTool = {
  name: 'kubeconform',
  envVar: 'KUBECONFORM_PATH',
  module: 'github.com/yannh/kubeconform/cmd/kubeconform',
  version: 'v0.8.0',
};

export interface ResolveGoToolOptions {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default toolCacheDir() (QUANT_TOOL_CACHE or ~/.cache/quant-workflows/bin). */
  cacheDir?: string;
  log?: (msg: string) => void;
  /** How long to wait for another process's build. Default 20 minutes (helm takes ~2-5 min on 2 cores). */
  lockTimeoutMs?: number;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take `<path>` exclusively; a lock whose owner died, or older than the timeout, is broken. Returns the release. */
export function acquireLock(path: string, timeoutMs: number, log: (msg: string) => void): () => void {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let stale = false;
    try {
      const owner = Number(readFileSync(path, 'utf8'));
      stale = (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) || Date.now() - statSync(path).mtimeMs > timeoutMs;
    } catch {
      continue; // released between our open and read: try again at once
    }
    if (stale) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${path} (another build in progress?)`);
    if (!announced) {
      log(`waiting for another process building into ${path.replace(/\.lock$/, '')}`);
      announced = true;
    }
    sleepSync(500);
  }
}

/**
 * Absolute path of the tool's binary, building it once per machine if needed.
 * A cached build made for another version (recorded in `<name>.version`) is rebuilt.
 *
 * @example
 *   const helm = resolveGoTool(HELM);
 *   execFileSync(helm, ['template', 'helm/quant-workflows']);
 */
export function resolveGoTool(tool: GoTool, options: ResolveGoToolOptions = {}): string {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const fromEnv = env[tool.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${tool.envVar} points to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const onPath = findOnPath(tool.name);
  if (onPath) return onPath;

  const cacheDir = options.cacheDir ?? toolCacheDir();
  const binary = join(cacheDir, tool.name);
  const stamp = `${binary}.version`;
  const upToDate = () => existsSync(binary) && (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() === tool.version);
  if (upToDate()) return binary;

  mkdirSync(cacheDir, { recursive: true });
  const release = acquireLock(`${binary}.lock`, options.lockTimeoutMs ?? 20 * 60_000, log);
  try {
    if (upToDate()) return binary; // someone else built it while we waited
    const spec = `${tool.module}@${tool.version}`;
    log(`building ${tool.name} (go install ${spec}) into ${cacheDir}; this takes a few minutes once`);
    // Build into a private folder, then rename: a killed build never leaves a half-written binary.
    const staging = mkdtempSync(join(cacheDir, `.${tool.name}-build-`));
    try {
      execFileSync('go', ['install', spec], {
        env: { ...env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      });
      renameSync(join(staging, tool.name), binary);
      writeFileSync(stamp, `${tool.version}\n`);
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-5).join('\n');
      throw new Error(
        `could not build ${tool.name} with go install ${spec}: ${stderr || (err as Error).message}. Set ${tool.envVar} to an existing binary.`,
      );
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return binary;
  } finally {
    release();
  }
}
