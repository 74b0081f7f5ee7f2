/**
 * Find (or build) the Temporal CLI whose `server start-dev` is our embedded
 * Temporal server. Order, as DESIGN.md says: TEMPORAL_CLI_PATH, `temporal` on
 * PATH, a cached build, then `go install ...@v1.5.1` into the cache. Release
 * downloads are not used: nothing but package registries is reachable here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The last CLI version that `go install` can build (later ones carry a replace directive). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Binaries we build live outside the repo so every clone and CI run shares them. */
export function toolCacheDir(): string {
  return process.env.QUANT_TOOL_CACHE ?? join(homedir(), '.cache', 'quant-workflows', 'bin');
}

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Resolve the Temporal CLI binary, building it with Go when nothing else is
 * found (a few minutes, once per machine).
 *
 * @example
 *   const temporal = resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH });
 */
export function resolveTemporalCli(opts: { cliPath?: string; log?: (msg: string) => void } = {}): string {
  const log = opts.log ?? (() => undefined);
  if (opts.cliPath) {
    if (!existsSync(opts.cliPath)) throw new Error(`TEMPORAL_CLI_PATH points to ${opts.cliPath}, which does not exist`);
    return opts.cliPath;
  }
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;
  const cacheDir = toolCacheDir();
  const cached = join(cacheDir, 'temporal');
  if (existsSync(cached)) return cached;
  mkdirSync(cacheDir, { recursive: true });
  log(`building the Temporal CLI (go install ${TEMPORAL_CLI_MODULE}) into ${cacheDir}; this takes a few minutes once`);
  try {
    execFileSync('go', ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: cacheDir, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (err) {
    throw new Error(
      `could not build the Temporal CLI with go install ${TEMPORAL_CLI_MODULE}: ${(err as Error).message}. Set TEMPORAL_CLI_PATH to an existing binary.`,
    );
  }
  return cached;
}
