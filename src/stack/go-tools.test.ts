/**
 * resolveGoTool's order (env var, PATH, cache, go install) and its lock: two
 * processes resolving the same missing tool build it once. A fake `go` on
 * PATH stands in for the real toolchain so the test takes seconds.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveGoTool, type GoTool } from './go-tools';

const run = promisify(execFile);
const tool: GoTool = { name: 'qw-fake-tool', envVar: 'QW_FAKE_TOOL_PATH', module: 'example.com/fake/cmd/qw-fake-tool', version: 'v1.2.3' };

/** A `go` that records its calls, waits a little (so builds overlap), and installs a script into $GOBIN. */
function fakeGo(): { dir: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'qw-fake-go-'));
  const log = join(dir, 'calls.log');
  writeFileSync(
    join(dir, 'go'),
    `#!/bin/sh\necho "$*" >> "${log}"\nsleep 1\nprintf '#!/bin/sh\\necho fake\\n' > "$GOBIN/${tool.name}"\nchmod +x "$GOBIN/${tool.name}"\n`,
  );
  chmodSync(join(dir, 'go'), 0o755);
  return { dir, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

describe('resolveGoTool', () => {
  it('prefers the env var and names it when it points nowhere', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'qw-cache-'));
    const binary = join(cacheDir, 'elsewhere');
    writeFileSync(binary, '');
    expect(resolveGoTool(tool, { env: { QW_FAKE_TOOL_PATH: binary }, cacheDir })).toBe(binary);
    expect(() => resolveGoTool(tool, { env: { QW_FAKE_TOOL_PATH: '/nope/tool' }, cacheDir })).toThrow(/QW_FAKE_TOOL_PATH/);
  });

  it('builds into the cache once, then reuses it; a new version rebuilds', () => {
    const go = fakeGo();
    const cacheDir = mkdtempSync(join(tmpdir(), 'qw-cache-'));
    const env = { PATH: `${go.dir}:/usr/bin:/bin` };
    const saved = process.env.PATH;
    process.env.PATH = env.PATH; // findOnPath reads process.env
    try {
      const path = resolveGoTool(tool, { env, cacheDir });
      expect(path).toBe(join(cacheDir, tool.name));
      expect(resolveGoTool(tool, { env, cacheDir })).toBe(path);
      expect(go.calls()).toEqual([`install ${tool.module}@v1.2.3`]);
      resolveGoTool({ ...tool, version: 'v1.2.4' }, { env, cacheDir });
      expect(go.calls()).toHaveLength(2);
      expect(readFileSync(`${path}.version`, 'utf8').trim()).toBe('v1.2.4');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('serialises concurrent builds across processes with a lock file', async () => {
    const go = fakeGo();
    const cacheDir = mkdtempSync(join(tmpdir(), 'qw-cache-'));
    mkdirSync(cacheDir, { recursive: true });
    const script = `const { resolveGoTool } = require(${JSON.stringify(join(__dirname, 'go-tools.ts'))});
      process.stdout.write(resolveGoTool(${JSON.stringify(tool)}, { cacheDir: ${JSON.stringify(cacheDir)} }));`;
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const env = { ...process.env, PATH: `${go.dir}:${process.env.PATH}` };
    const [a, b] = await Promise.all([run(tsx, ['-e', script], { env }), run(tsx, ['-e', script], { env })]);
    expect(a.stdout).toBe(join(cacheDir, tool.name));
    expect(b.stdout).toBe(a.stdout);
    expect(go.calls()).toHaveLength(1);
    expect(existsSync(join(cacheDir, `${tool.name}.lock`))).toBe(false);
  });
});
