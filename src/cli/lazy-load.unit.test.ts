/**
 * Each command loads only its own module (issue 13's memory goal): the CLI's
 * entry loads no Temporal client or worker, and `quant api` loads neither the worker,
 * the activities, the reports nor any workflow code but the shared names and
 * input schemas. Read from node's module cache in a fresh process.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

/** The files a fresh node process has loaded after importing `modules` in order. */
function loadedAfter(...modules: string[]): Promise<string[]> {
  const chain = modules.map((m) => `.then(() => import(${JSON.stringify(join(root, m))}))`).join('');
  const script = `Promise.resolve()${chain}.then(() => process.stdout.write(JSON.stringify(Object.keys(require.cache))))`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, maxBuffer: 16 << 20 }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout) as string[]),
    ),
  );
}

describe('lazy command modules', () => {
  it('the entry loads no Temporal client or worker and no command', async () => {
    const loaded = await loadedAfter('src/cli/main.ts');
    // @temporalio/common comes with the shared input schemas (search attribute keys); it holds no connection code.
    expect(loaded.filter((f) => /@temporalio\/(client|worker|core-bridge)/.test(f))).toEqual([]);
    expect(loaded.filter((f) => f.includes('/src/cli/commands/'))).toEqual([]);
  });

  it('quant api loads no worker, activity, report or workflow code', async () => {
    const loaded = await loadedAfter('src/cli/main.ts', 'src/cli/commands/api.ts');
    expect(loaded.filter((f) => f.includes('@temporalio/worker'))).toEqual([]);
    expect(loaded.filter((f) => /\/(activities|src\/reports|src\/worker)\//.test(f))).toEqual([]);
    const workflowFiles = loaded.filter((f) => f.startsWith(join(root, 'workflows/'))).map((f) => f.slice(root.length + 1));
    expect(workflowFiles.sort()).toEqual(['workflows/inputs.ts', 'workflows/names.ts']);
  });
});
