/**
 * The first step of every workflow: check the input against the workflow's
 * zod schema (workflows/inputs.ts) and fail non-retryably, naming every bad
 * field, when it does not fit. Retrying cannot fix an input, and a bad input
 * that slipped past would otherwise wedge the run or fail deep inside it.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { checkInput, describeProblems, type InputSchema } from './inputs';

/**
 * The parsed input, or a non-retryable `InvalidInput` failure.
 *
 * @example
 *   const { date } = validateInput('screen', screenInputSchema, input);
 */
export function validateInput<S extends z.ZodType>(workflow: string, schema: InputSchema<S>, input: unknown): z.output<S> {
  const r = checkInput(schema, input);
  if (r.ok) return r.value;
  throw ApplicationFailure.create({
    type: 'InvalidInput',
    message: describeProblems(workflow, r.problems),
    nonRetryable: true,
    details: r.problems,
  });
}
