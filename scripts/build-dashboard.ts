/**
 * Build the dashboard bundle (src/dashboard -> dist/dashboard) and print its
 * files with their gzip sizes. Run by `npm ci`'s prepare step and by
 * `npm run build`; the service also builds it on first start when missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildDashboard, DASHBOARD_OUT } from '../src/api/dashboard';

async function main(): Promise<void> {
  const { files } = await buildDashboard();
  for (const f of files) {
    const body = readFileSync(join(DASHBOARD_OUT, f));
    process.stdout.write(`dist/dashboard/${f}: ${body.length} bytes, ${gzipSync(body).length} gzip\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`build-dashboard: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
