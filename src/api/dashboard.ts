/**
 * The dashboard's files: built from src/dashboard by esbuild into
 * dist/dashboard (never committed), by `npm ci`'s prepare step, by
 * `npm run build`, or by the service on its first start when the bundle is
 * missing; served by the API at `/` and `/assets/:file` without a key (they
 * hold no data). The files are read once into memory: a fixed set of names,
 * so no request path ever reaches the filesystem.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';

/** The package root: the nearest folder above this file with a package.json (src/api from source, dist/src/api compiled). */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const DASHBOARD_SOURCE = join(packageRoot(), 'src', 'dashboard');
export const DASHBOARD_OUT = join(packageRoot(), 'dist', 'dashboard');

/**
 * Bundle src/dashboard/main.tsx (Preact, minified, one JS and one CSS file) into `outDir` with index.html.
 * Built in a fresh folder and renamed into place, so a reader (or a second build at the same time) never sees
 * half a bundle. esbuild is loaded here only: the production image carries the bundle, not the bundler.
 *
 * @example
 *   await buildDashboard(); // dist/dashboard/{index.html, assets/app.js, assets/app.css}
 */
export async function buildDashboard(outDir = DASHBOARD_OUT): Promise<{ files: string[] }> {
  const esbuild = await import('esbuild');
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(join(tmp, 'assets'), { recursive: true });
  try {
    await esbuild.build({
      entryPoints: { app: join(DASHBOARD_SOURCE, 'main.tsx') },
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2020',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      outdir: join(tmp, 'assets'),
      tsconfig: join(DASHBOARD_SOURCE, 'tsconfig.json'),
      logLevel: 'warning',
    });
    await copyFile(join(DASHBOARD_SOURCE, 'index.html'), join(tmp, 'index.html'));
    await rm(outDir, { recursive: true, force: true });
    await rename(tmp, outDir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return { files: ['index.html', ...(await readdir(join(outDir, 'assets'))).map((f) => `assets/${f}`)] };
}

/** The latest modification time (epoch ms) of the dashboard's sources. */
async function newestSource(): Promise<number> {
  const names = await readdir(DASHBOARD_SOURCE, { recursive: true });
  const times = await Promise.all(names.map(async (n) => (await stat(join(DASHBOARD_SOURCE, n))).mtimeMs));
  return Math.max(0, ...times);
}

export interface DashboardFile {
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The built dashboard as a map of URL path -> file; builds it first when the sources are here and it is
 * missing (a checkout started without `npm ci`'s prepare step) or older than them. Undefined when there is no bundle and it cannot be
 * built (an image without one): the service still runs, its `/` says how to build the dashboard.
 */
export async function loadDashboard(
  log: (line: string) => void = () => undefined,
  outDir = DASHBOARD_OUT,
): Promise<Map<string, DashboardFile> | undefined> {
  const built = join(outDir, 'index.html');
  const haveSources = existsSync(join(DASHBOARD_SOURCE, 'main.tsx'));
  if (!existsSync(built) && !haveSources) return undefined;
  // In a checkout, a bundle older than its sources is rebuilt too, so an edited page never serves stale.
  if (haveSources && (!existsSync(built) || (await newestSource()) > (await stat(built)).mtimeMs)) {
    log(`building the dashboard into ${outDir}`);
    try {
      await buildDashboard(outDir);
    } catch (err) {
      // Another process building at the same moment, or no esbuild: serve what is there, if anything.
      log(`the dashboard could not be built (${err instanceof Error ? err.message : String(err)}): run npm run build:dashboard`);
      if (!existsSync(built)) return undefined;
    }
  }
  const files = new Map<string, DashboardFile>();
  files.set('/', { type: TYPES['.html'], body: await readFile(join(outDir, 'index.html')) });
  for (const name of await readdir(join(outDir, 'assets'))) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/assets/${name}`, { type, body: await readFile(join(outDir, 'assets', name)) });
  }
  return files;
}
