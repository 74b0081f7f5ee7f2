/**
 * Argument checks for `quant`: commander argParsers that turn a bad value
 * into a usage error naming the option (exit 2, nothing started), and the
 * schema check of a whole workflow input before it is started.
 */
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { isIsoDate } from '../domain/dates';
import { checkInput, describeProblems, type InputSchema } from '../../workflows/inputs';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(usage ? `${message}\nusage: ${usage}` : message);
    this.name = 'UsageError';
  }
}

/** How a command prints its result: an aligned table for people, JSON (stdout only) for scripts. */
export type OutputFormat = 'table' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json'];

/**
 * A calendar date YYYY-MM-DD (commander argParser): `2025-13-45` is refused
 * here, so no command ever sees an impossible date. Commander names the
 * option in the message ("option '--date <YYYY-MM-DD>' argument '2025-13-45' is invalid").
 */
export function dateArg(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError('must be a calendar date YYYY-MM-DD');
  return value;
}

/** A decimal integer >= min (commander argParser); `1e9`, `0x10` and `ten` are typos more often than wishes. */
export function intArg(min: number): (value: string) => number {
  return (value) => {
    const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`must be an integer >= ${min}`);
    return n;
  };
}

/** A finite number in [min, max] (commander argParser). */
export function numberArg(min: number, max = Infinity, exclusiveMin = false): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    const low = exclusiveMin ? n > min : n >= min;
    if (!Number.isFinite(n) || !low || n > max)
      throw new InvalidArgumentError(`must be a number ${exclusiveMin ? '>' : '>='} ${min}${Number.isFinite(max) ? ` and <= ${max}` : ''}`);
    return n;
  };
}

/** A comma-separated list (commander argParser): `A, B,,C` is [A, B, C]. */
export function listArg(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
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
  schema: InputSchema<S>,
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
