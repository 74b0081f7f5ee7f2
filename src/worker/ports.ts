/**
 * The worker's two listening ports (our /metrics server and the Temporal
 * SDK's loopback exporter) checked before anything binds, so a taken or
 * unbindable port stops the worker at start with the setting named, rather
 * than as a bare EADDRINUSE from deep inside the runtime.
 */
import { createServer } from 'node:net';
import { ConfigError } from '../config/load';

export interface ListenPort {
  /** The setting that chose it, e.g. METRICS_PORT. */
  setting: string;
  host: string;
  port: number;
}

function tryListen(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * Throws one ConfigError naming every port that cannot be bound.
 *
 * @example
 *   await assertPortsFree([{ setting: 'METRICS_PORT', host: '127.0.0.1', port: 9464 }]);
 */
export async function assertPortsFree(ports: readonly ListenPort[]): Promise<void> {
  const problems: string[] = [];
  for (const p of ports) {
    const err = await tryListen(p.host, p.port);
    if (err)
      problems.push(
        `${p.setting}: cannot listen on ${p.host}:${p.port} (${err.code ?? err.message}${err.code === 'EADDRINUSE' ? ': another process uses it; choose a free port' : ''})`,
      );
  }
  if (problems.length) throw new ConfigError(problems);
}
