/**
 * Load the effective config: YAML file (optional) < environment variables.
 * An invalid config throws one ConfigError listing every bad setting with its
 * env name, so a misconfigured pod fails at start with one readable message.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { configSchema, ENV_NAMES, SECRET_PATHS, type Config } from './schema';
import { nearest } from './nearest';
import { canonicalJson } from '../domain/canonical-json';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Every valid setting path and group (`temporal`, `temporal.port`, ...). */
const VALID_PATHS: readonly string[] = [
  ...new Set(Object.keys(ENV_NAMES).flatMap((path) => path.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.')))),
];

/**
 * Keys of the YAML file that are no setting, each named with the nearest
 * valid one: a typo must not silently leave a default in force.
 */
function unknownKeys(node: unknown, prefix = ''): string[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (path in ENV_NAMES) continue;
    if (VALID_PATHS.includes(path)) {
      problems.push(...unknownKeys(value, path));
      continue;
    }
    const siblings = VALID_PATHS.filter((p) => p.split('.').length === path.split('.').length && p.startsWith(prefix));
    const guess = nearest(path, siblings.length ? siblings : VALID_PATHS);
    problems.push(`unknown key "${path}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
  }
  return problems;
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
      // Failsafe schema: every scalar stays a string, so YAML values pass the same checks as env
      // values (YAML 1.2 itself would read `port: 0x4331` as 17201).
      raw = (parseYaml(readFileSync(file, 'utf8'), { schema: 'failsafe' }) as Record<string, unknown>) ?? {};
    } catch (err) {
      throw new ConfigError([`QUANT_CONFIG_FILE (${file}): ${(err as Error).message}`]);
    }
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw new ConfigError([`QUANT_CONFIG_FILE (${file}): must be a mapping of settings`]);
    const unknown = unknownKeys(raw);
    if (unknown.length) throw new ConfigError(unknown.map((p) => `QUANT_CONFIG_FILE (${file}): ${p}`));
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
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
