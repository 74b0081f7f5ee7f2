/**
 * One Temporal client per CLI command: connect to the configured (or embedded)
 * frontend, run the command, close the connection whatever happens.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config/schema';
import { stackEndpoints } from '../stack/stack';
import { connectClient } from './fanout-client';

/**
 * @example
 *   await withClient(config, (client, uiUrl) => client.workflow.start(...));
 */
export async function withClient<T>(config: Config, fn: (client: Client, uiUrl?: string) => Promise<T>): Promise<T> {
  const e = stackEndpoints(config);
  const client = await connectClient(e.temporalAddress, config.temporal.namespace);
  try {
    return await fn(client, e.uiUrl);
  } finally {
    await client.connection.close();
  }
}
