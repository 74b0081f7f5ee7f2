/**
 * Load the effective config: YAML file (optional) < environment variables.
 * An invalid config throws one ConfigError listing every bad setting with its
 * env name, so a misconfigured pod fails at start with one readable message.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { configSchema, ENV_NAMES, SECRET_PATHS, type Config } from './schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== 'object' || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/**
 * Build the config from `env` (default process.env) and the YAML file named by
 * QUANT_CONFIG_FILE. Empty env values count as unset.
 *
 * @example
 *   const config = loadConfig({ TEMPORAL_PORT: '7300' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let raw: Record<string, unknown> = {};
  const file = env.QUANT_CONFIG_FILE;
  if (file) {
    try {
      raw = (parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>) ?? {};
    } catch (err) {
      throw new ConfigError([`QUANT_CONFIG_FILE (${file}): ${(err as Error).message}`]);
    }
  }
  for (const [path, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const path = issue.path.join('.');
        const envName = ENV_NAMES[path];
        return `${path}${envName ? ` (${envName})` : ''}: ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

/** The config with secrets replaced by "***", for printing and for hashing. */
export function redactConfig(config: Config): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const path of SECRET_PATHS) {
    const [a, b] = path.split('.');
    if (copy[a] && copy[a][b] !== undefined) copy[a][b] = '***';
  }
  return copy;
}

/** A stable content hash of a JSON-able value (sorted keys), hex sha256. */
export function stableHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}
