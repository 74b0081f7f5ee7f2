/**
 * Argument parsing for `quant`: node's parseArgs in strict mode, wrapped so a
 * usage error always names the offending argument and the command's usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { checkInput, describeProblems } from '../../workflows/inputs';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(usage ? `${message}\nusage: ${usage}` : message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(msg, usage);
  }
}

/** A positive integer option, or a UsageError naming the option. */
export function intOption(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  // Decimal digits only: `1e9` or `0x10` is a typo more often than a wish.
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/**
 * Check a workflow input against the schema the workflow itself checks
 * first (workflows/inputs.ts), before anything is started: a bad input is a
 * UsageError (exit 2) naming the field, shown as its option where one maps
 * to it, and no run is ever reported as started.
 *
 * @example
 *   const input = checkedInput('orchestrator', orchestratorInputSchema, { numContracts: 1e9 }, { numContracts: '--contracts' });
 *   // UsageError: invalid orchestrator input: --contracts (numContracts): Too big: expected number to be <=100000
 */
export function checkedInput<S extends z.ZodType>(
  workflow: string,
  schema: S,
  input: unknown,
  options: Record<string, string> = {},
  usage?: string,
): z.output<S> {
  const r = checkInput(schema, input);
  if (r.ok) return r.value;
  const named = r.problems.map((p) => {
    const root = p.field.split('.')[0];
    return options[root] ? { ...p, field: `${options[root]} (${p.field})` } : p;
  });
  throw new UsageError(describeProblems(workflow, named), usage);
}
