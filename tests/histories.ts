/**
 * Replay fixtures, kept per workflow type and per version:
 * `tests/histories/<workflowType>/v<N>.json`. A fixture is the history of a
 * run of one version of the workflow code; tests/replay.test.ts replays every
 * one of them against today's code, so a change that would break a run
 * started on an older version fails there.
 *
 * Fixtures are never overwritten. Recording is opt-in per type:
 * `QUANT_RECORD_HISTORIES=orchestrator,analyzeSymbol` (or `all`) writes the
 * next version, v<N+1>.json, for the named types; without it nothing is
 * written. Record a new version after a change made behind `patched()`, so
 * both the old and the new path stay covered (README "Changing a workflow").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveTemporalCli } from '../src/stack/temporal-cli';

export const HISTORIES_DIR = join(__dirname, 'histories');

const VERSION_FILE = /^v([1-9][0-9]*)\.json$/;

/** One fixture: a workflow type, a version and where its file is. */
export interface HistoryFixture {
  workflowType: string;
  version: number;
  path: string;
}

/** Every fixture, by workflow type then version. */
export function listHistoryFixtures(dir = HISTORIES_DIR): HistoryFixture[] {
  const out: HistoryFixture[] = [];
  for (const workflowType of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const file of readdirSync(join(dir, workflowType))) {
      const m = VERSION_FILE.exec(file);
      if (m) out.push({ workflowType, version: Number(m[1]), path: join(dir, workflowType, file) });
    }
  }
  return out.sort((a, b) => a.workflowType.localeCompare(b.workflowType) || a.version - b.version);
}

/** The versions of one type's fixtures, ascending (empty when there are none). */
export function fixtureVersions(workflowType: string, dir = HISTORIES_DIR): number[] {
  return listHistoryFixtures(dir)
    .filter((f) => f.workflowType === workflowType)
    .map((f) => f.version);
}

/**
 * Which types `QUANT_RECORD_HISTORIES` asks to record: a comma-separated list
 * of workflow types, or `all`. The old boolean form (`1`, `true`) is refused:
 * it would add a version of every workflow whether it changed or not.
 */
export function recordingRequested(workflowType: string, setting = process.env.QUANT_RECORD_HISTORIES): boolean {
  if (!setting) return false;
  const names = setting
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.some((n) => ['1', 'true', 'yes'].includes(n.toLowerCase()))) {
    throw new Error(
      `QUANT_RECORD_HISTORIES=${setting}: name the workflow types to record a new version of (e.g. orchestrator,analyzeSymbol) or "all"`,
    );
  }
  return names.includes('all') || names.includes(workflowType);
}

/**
 * Where the next version of `workflowType`'s fixture goes: v<highest + 1>.json.
 * Never the path of an existing file.
 */
export function nextFixturePath(workflowType: string, dir = HISTORIES_DIR): string {
  const versions = fixtureVersions(workflowType, dir);
  const path = join(dir, workflowType, `v${(versions.at(-1) ?? 0) + 1}.json`);
  if (existsSync(path)) throw new Error(`refusing to overwrite replay fixture ${path}`);
  return path;
}

/**
 * When `QUANT_RECORD_HISTORIES` names `workflowType` (or is `all`), save the
 * finished run `workflowId` (its latest run, or `runId`) as the type's next fixture version and return its
 * path; otherwise write nothing. The Temporal CLI's JSON is the standard
 * export that Worker.runReplayHistory reads.
 */
export function recordHistory(workflowId: string, workflowType: string, temporalAddress: string, runId?: string): string | undefined {
  if (!recordingRequested(workflowType)) return undefined;
  const temporal = resolveTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH });
  // Without a run ID, the latest run; with one, that run (e.g. the first of a continue-as-new chain).
  const json = execFileSync(temporal, [
    'workflow',
    'show',
    '--address',
    temporalAddress,
    '--workflow-id',
    workflowId,
    ...(runId ? ['--run-id', runId] : []),
    '--output',
    'json',
  ]);
  const path = nextFixturePath(workflowType);
  mkdirSync(join(HISTORIES_DIR, workflowType), { recursive: true });
  writeFileSync(path, json, { flag: 'wx' }); // wx: fail rather than overwrite, even in a race
  process.stderr.write(`[histories] recorded ${workflowId} as ${path}\n`);
  return path;
}
