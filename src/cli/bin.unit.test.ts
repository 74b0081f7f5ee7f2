/**
 * `npx quant` runs bin/quant through a symlink (node_modules/.bin/quant ->
 * ../quant-workflows/bin/quant): the script must find the checkout from its
 * real path, not from the link's folder.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(__dirname, '..', '..', 'bin', 'quant');
const dir = mkdtempSync(join(tmpdir(), 'quant-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: dir }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('bin/quant through a symlink', () => {
  it('a relative link in another folder, as npm lays out node_modules/.bin', async () => {
    mkdirSync(join(dir, 'pkg'));
    mkdirSync(join(dir, '.bin'));
    symlinkSync(bin, join(dir, 'pkg', 'quant'));
    symlinkSync('../pkg/quant', join(dir, '.bin', 'quant')); // a link to a link, the second one relative
    const r = await run(join(dir, '.bin', 'quant'), ['--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: quant \[options\] \[command\]/);
    expect(r.stdout).toContain('run ingest');
  });

  it('a subcommand help through the link exits 0 without running it', async () => {
    symlinkSync(bin, join(dir, 'quant-abs'));
    const r = await run(join(dir, 'quant-abs'), ['stack', 'down', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: quant stack down');
    expect(r.stdout).toContain('stop the embedded stack');
  });
});
