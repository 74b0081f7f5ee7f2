/**
 * `npm run bench:api`: the execution service under load, on this machine,
 * printing ONE JSON object. `quant api` runs as a child process (the real CLI
 * entry) against the local paper venue and a throwaway embedded Postgres
 * (free port, temp data dir); the load generator and the WebSocket clients
 * run in separate processes beside it.
 *
 * - Steady phase, open loop: 200 signals/s for 30 s, each sent at its
 *   scheduled time whether or not earlier ones were answered, latency counted
 *   from the scheduled time (no coordinated omission) to the "executed"
 *   answer: p50_ms, p95_ms, p99_ms (goals: p95 < 10, p99 < 25). During it
 *   1,000 WebSocket clients are connected: ws_p95_delivery_ms is the 95th
 *   percentile over every (client, order acknowledgement) pair of receipt
 *   time minus the service's emit time (goal < 250).
 * - Throughput phase, closed loop: autocannon with 50 connections for 30 s:
 *   signals_per_s (mean) and p99_ms_at_max (goal >= 1,000/s with p99 < 100).
 * - api_peak_rss_mb: the service's peak resident set (VmHWM; goal < 300): the API process plus its live event
 *   stream process (the sum of their peaks; api_main_peak_rss_mb and api_stream_peak_rss_mb apart).
 *   The service runs with the V8 heap cap its pod gets in the Helm chart
 *   (values.yaml `api.heapMb`, printed as api_heap_cap_mb), so the figure is
 *   the deployed configuration's, and runs as the pod runs it: the compiled
 *   build (`tsc -p tsconfig.build.json` into dist/, done first, ~20 s) under
 *   plain `node`. `--from-source` runs it through tsx instead, as `quant api`
 *   does in a checkout: tsx's loader thread and its compile caches add
 *   20-30 MB to each process that the image never has.
 * Every signal is a BUY of 1 share of one of the 49 synthetic symbols with a
 * unique idempotency key, on an account with 1e9 of cash and a 24/7 venue, so
 * the risk checks all run and pass (rejections are counted and reported).
 * - The floor, first: the same open loop at the same rate on GET /healthz
 *   (no database, risk or venue work; the WebSocket clients are connected
 *   but, with no orders, get no frames):
 *   floor_p50_ms, floor_p95_ms, floor_p99_ms, what HTTP on this machine
 *   costs before the service does anything; service_p50/p95/p99_ms are the
 *   steady phase's signal-to-order times as the service measured them
 *   (latency_ms of each answer).
 * Flags: --rate 200 --floor-s 10 --steady-s 30 --max-s 30 --connections 50 --ws-clients 1000
 * [--heap-mb N] [--semi-space-mb N] (other V8 memory settings than the chart's; 0 = V8's default) [--profile DIR] (CPU profiles of the API and WebSocket-client processes)
 * [--from-source] (the service through tsx, no build).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { DAILY_UNIVERSE } from '../src/adapters/hourly-dataset/universe';
import { createApiKeyRepo } from '../src/adapters/postgres/api-key-repo';
import { migrate } from '../src/adapters/postgres/migrate';
import { createPool } from '../src/adapters/postgres/pool';
import { freePort } from '../src/stack/free-port';
import { startEmbeddedPostgres, stopEmbeddedPostgres } from '../src/stack/postgres';
import { percentile } from './percentile';
import { loadAverage } from './support';
import { parse as parseYaml } from 'yaml';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no type declarations; the fields used are typed above.
const autocannon = require('autocannon') as Autocannon;

const repoRoot = join(__dirname, '..');

/** The API pod's heap cap from the chart's default values (one number for the pod and this bench). */
/** The V8 memory settings the chart gives the API pod (values.yaml `api.heapMb`, `api.semiSpaceMb`). */
function chartApiMemory(): { heapMb: number; semiSpaceMb: number } {
  const values = parseYaml(readFileSync(join(repoRoot, 'helm', 'quant-workflows', 'values.yaml'), 'utf8')) as {
    api: { heapMb: number; semiSpaceMb: number };
  };
  return { heapMb: values.api.heapMb, semiSpaceMb: values.api.semiSpaceMb };
}
const SYMBOLS = DAILY_UNIVERSE.map((c) => c.symbol);
let seq = 0;
const nextBody = () => {
  seq++;
  return JSON.stringify({
    symbol: SYMBOLS[seq % SYMBOLS.length],
    action: 'BUY',
    quantity: 1,
    confidence: 0.9,
    strategy_id: 'moving_average_crossover',
    idempotency_key: `bench-${process.pid}-${seq}`,
  });
};

/** Run a TypeScript entry through tsx, or (`compiled`) a built .js entry under plain node. */
function spawnNode(args: string[], env: NodeJS.ProcessEnv, nodeFlags: string[] = [], compiled = false): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, ...(compiled ? [] : ['--import', 'tsx']), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Compile the service into dist/ (what the image runs); the workflow bundle is not needed by `quant api`. */
function buildService(): void {
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: repoRoot,
    // tsc reports on stdout; this bench's stdout is its one JSON object.
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${r.status}); bench:api --from-source skips the build`);
}

/** Resolve with the first stdout line matching `re`. */
function waitForLine(child: ChildProcess, re: RegExp, what: string, ms = 120_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no "${re}" in ${ms / 1000} s:\n${seen}`)), ms);
    child.stderr!.on('data', (d) => (seen += String(d)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      seen += `${line}\n`;
      const m = re.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${seen}`)));
  });
}

/** One request; resolves with the status and body text. A GET sends no body. */
function send(agent: Agent, url: URL, key: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const post = (agent: Agent, url: URL, key: string, body: string) => send(agent, url, key, '/signals/execute', body);

/**
 * Open loop: request i is sent at start + i / rate; latency from that scheduled time to the answer.
 * `signals`: POST a signal each time, counting "executed" answers (and keeping the service's own latency_ms);
 * otherwise GET `path` and count every 200.
 */
async function openLoop(url: URL, key: string, rate: number, seconds: number, path: '/signals/execute' | '/healthz') {
  const signals = path === '/signals/execute';
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = rate * seconds;
  const latencies: number[] = [];
  /** The service's own signal-to-order time (latency_ms of the answer): what HTTP and scheduling add is the difference. */
  const serviceLatencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const inflight: Promise<void>[] = [];
  const start = performance.now() + 50;
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const scheduled = start + (sent * 1000) / rate;
      inflight.push(
        send(agent, url, key, path, signals ? nextBody() : undefined).then(
          (r) => {
            const answer = signals && r.status === 200 ? (JSON.parse(r.text) as { status: string; latency_ms: number }) : undefined;
            const outcome = signals ? (answer?.status ?? `http_${r.status}`) : r.status === 200 ? 'ok' : `http_${r.status}`;
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
            if (outcome === 'executed' || outcome === 'ok') latencies.push(performance.now() - scheduled);
            if (answer?.status === 'executed') serviceLatencies.push(answer.latency_ms);
          },
          () => {
            outcomes.network_error = (outcomes.network_error ?? 0) + 1;
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inflight);
  agent.destroy();
  return { latencies, serviceLatencies, outcomes };
}

/** The pids of `pid`'s children (the API's live event stream process): /proc/PID/stat's fourth field is the parent. */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string' },
      'steady-s': { type: 'string' },
      'floor-s': { type: 'string' },
      'max-s': { type: 'string' },
      connections: { type: 'string' },
      'ws-clients': { type: 'string' },
      profile: { type: 'string' },
      'heap-mb': { type: 'string' },
      'semi-space-mb': { type: 'string' },
      'from-source': { type: 'boolean' },
    },
  });
  const rate = Number(values.rate ?? 200);
  const steadyS = Number(values['steady-s'] ?? 30);
  const floorS = Number(values['floor-s'] ?? 10);
  const maxS = Number(values['max-s'] ?? 30);
  const connections = Number(values.connections ?? 50);
  const wsClients = Number(values['ws-clients'] ?? 1000);
  // --profile DIR: V8 CPU profiles of the API and WebSocket-client processes (written when they exit), to find where the time goes.
  const profileFlags = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];

  // --heap-mb N / --semi-space-mb N: other V8 memory settings than the chart's (0: V8's own default), to see what they cost.
  const chart = chartApiMemory();
  const heapCapMb = values['heap-mb'] !== undefined ? Number(values['heap-mb']) : chart.heapMb;
  const semiSpaceMb = values['semi-space-mb'] !== undefined ? Number(values['semi-space-mb']) : chart.semiSpaceMb;
  const dataDir = mkdtempSync(join(tmpdir(), 'quant-bench-api-'));
  const children: ChildProcess[] = [];
  try {
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    const db = createPool(pg.url, 2);
    await migrate(db);
    const key = (await createApiKeyRepo(db).create('bench', 'trade')).key;

    const fromSource = values['from-source'] === true;
    if (!fromSource) buildService();
    const api = spawnNode(
      [fromSource ? join('src', 'cli', 'main.ts') : join('dist', 'src', 'cli', 'main.js'), 'api'],
      {
        DATABASE_URL: pg.url,
        QUANT_DATA_DIR: dataDir,
        API_PORT: String(await freePort()),
        API_MARKET_HOURS: 'always',
        PAPER_MARKET_HOURS: 'always',
        PAPER_STARTING_CASH: '1000000000',
      },
      [
        ...(heapCapMb > 0 ? [`--max-old-space-size=${heapCapMb}`] : []),
        ...(semiSpaceMb > 0 ? [`--max-semi-space-size=${semiSpaceMb}`] : []),
        ...profileFlags,
      ],
      !fromSource,
    );
    children.push(api);
    const url = new URL((await waitForLine(api, /listening on (http:\/\/\S+)/, 'quant api'))[1]);

    const ws = spawnNode(
      [join('bench', 'api-ws-clients.ts'), `${url.origin.replace(/^http/, 'ws')}/ws`, key, String(wsClients)],
      {},
      profileFlags,
    );
    children.push(ws);
    await waitForLine(ws, /^ready$/, 'WebSocket clients');

    // Warm up (JIT, pools, the scrypt check of the key) before measuring.
    const warm = new Agent({ keepAlive: true });
    for (let i = 0; i < 200; i++) await post(warm, url, key, nextBody());
    warm.destroy();

    // The floor: the same open loop on GET /healthz (no database, no risk, no venue) with the same WebSocket
    // clients connected: what HTTP on this machine costs before the service does any work.
    const floor = await openLoop(url, key, rate, floorS, '/healthz');
    const steady = await openLoop(url, key, rate, steadyS, '/signals/execute');
    const wsLine = waitForLine(ws, /^\{.*\}$/, 'WebSocket clients', 60_000);
    ws.stdin!.write('stop\n');
    const wsResult = JSON.parse((await wsLine)[0]) as {
      clients: number;
      open_at_end: number;
      order_acks_received: number;
      p95_ms: number | null;
      p50_ms: number | null;
    };

    const max = await autocannon({
      url: `${url.origin}/signals/execute`,
      connections,
      duration: maxS,
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }) }],
    });
    const outcomes = await db.query<{ outcome: string; n: string }>('SELECT outcome, count(*) AS n FROM trading_signals GROUP BY outcome');
    const rules = await db.query<{ rule: string; n: string }>('SELECT rule, count(*) AS n FROM risk_violations GROUP BY rule');
    const rss = peakRssMb(api.pid!);
    // The service is two processes since the WebSocket clients moved out of its event loop: count both (the sum of
    // their peaks, an upper bound of their joint peak).
    const streamRss = childPids(api.pid!)
      .map(peakRssMb)
      .reduce<number>((a, b) => a + (b ?? 0), 0);
    await db.end();

    process.stdout.write(
      `${JSON.stringify(
        {
          steady_rate_per_s: rate,
          steady_seconds: steadyS,
          p50_ms: percentile(steady.latencies, 0.5),
          p95_ms: percentile(steady.latencies, 0.95),
          p99_ms: percentile(steady.latencies, 0.99),
          floor_seconds: floorS,
          floor_p50_ms: percentile(floor.latencies, 0.5),
          floor_p95_ms: percentile(floor.latencies, 0.95),
          floor_p99_ms: percentile(floor.latencies, 0.99),
          service_p50_ms: percentile(steady.serviceLatencies, 0.5),
          service_p95_ms: percentile(steady.serviceLatencies, 0.95),
          service_p99_ms: percentile(steady.serviceLatencies, 0.99),
          steady_outcomes: steady.outcomes,
          ws_clients: wsResult.clients,
          ws_open_at_end: wsResult.open_at_end,
          ws_p50_delivery_ms: wsResult.p50_ms,
          ws_p95_delivery_ms: wsResult.p95_ms,
          ws_deliveries: wsResult.order_acks_received,
          max_connections: connections,
          max_seconds: maxS,
          signals_per_s: Math.round(max.requests.average),
          p50_ms_at_max: max.latency.p50,
          p99_ms_at_max: max.latency.p99,
          max_non2xx: max.non2xx,
          max_errors: max.errors + max.timeouts,
          api_peak_rss_mb: rss === null ? null : rss + streamRss,
          api_main_peak_rss_mb: rss,
          api_stream_peak_rss_mb: streamRss,
          api_heap_cap_mb: heapCapMb > 0 ? heapCapMb : null,
          api_semi_space_mb: semiSpaceMb > 0 ? semiSpaceMb : null,
          api_build: fromSource ? 'source (tsx)' : 'compiled (dist/)',
          signals_by_outcome: Object.fromEntries(outcomes.rows.map((r) => [r.outcome, Number(r.n)])),
          rejections_by_rule: Object.fromEntries(rules.rows.map((r) => [r.rule, Number(r.n)])),
          ...loadAverage(),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    const exited = children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve()));
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 15_000))]);
    await stopEmbeddedPostgres(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:api failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
