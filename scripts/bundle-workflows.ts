/**
 * Build the workflow bundle once, at image build time (`npm run build`), so
 * the production worker loads `workflowBundle: { codePath }` instead of running
 * webpack at every pod start (slow and memory-hungry on a Pi). The workflow
 * interceptors are baked in here because a worker given a prebuilt bundle
 * ignores `interceptors.workflowModules`.
 *
 * Usage: tsx scripts/bundle-workflows.ts [outPath]   (default dist/workflow-bundle.js)
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { metricsWorkflowInterceptorModule } from '../src/adapters/metrics';

/** Interceptor modules every bundle carries; dev workers pass the same list as `interceptors.workflowModules`. */
export function workflowInterceptorModules(): string[] {
  return [metricsWorkflowInterceptorModule()];
}

/**
 * `workflows/index` next to this script: `.ts` from source, `.js` from dist.
 * Probed rather than require.resolve'd, so it also works inside vitest, whose
 * transform does not teach `require.resolve` the `.ts` extension.
 */
export function workflowsIndexPath(): string {
  for (const ext of ['.ts', '.js']) {
    const candidate = join(__dirname, '..', 'workflows', `index${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`workflows/index not found next to ${__dirname}`);
}

/**
 * Bundle `workflows/index.ts` into one file and return its path and size.
 *
 * @example
 *   const { path } = await bundleWorkflows('/tmp/bundle.js');
 *   await Worker.create({ workflowBundle: { codePath: path }, ... });
 */
export async function bundleWorkflows(
  outPath = resolve(__dirname, '..', 'dist', 'workflow-bundle.js'),
): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsIndexPath(),
    workflowInterceptorModules: workflowInterceptorModules(),
  });
  const path = resolve(outPath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return { path, bytes: Buffer.byteLength(code) };
}

if (require.main === module) {
  bundleWorkflows(process.argv[2]).then(
    ({ path, bytes }) => console.log(`workflow bundle: ${path} (${(bytes / 1024).toFixed(0)} KiB)`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
