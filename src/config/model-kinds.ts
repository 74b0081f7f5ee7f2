/**
 * The kinds of model the registry knows, each with the zod schema of its
 * config, and the built-in models a fresh stack registers. A kind is the
 * strategy code; a model is a name, a kind and a config; a version is one
 * config of a name (src/adapters/postgres/model-repo.ts). Configs are strict:
 * a misspelt field is refused, not ignored, because a silently ignored
 * parameter would make two "different" versions the same model.
 */
import { z } from 'zod';
import { QuantError } from '../domain/errors';

/** WF3's combined score (src/domain/scoring.ts) as a model: the three branch weights, summing to 1. */
const combinedScoreConfig = z
  .strictObject({
    technicalWeight: z.number().min(0).max(1).default(0.3),
    fundamentalWeight: z.number().min(0).max(1).default(0.4),
    sentimentWeight: z.number().min(0).max(1).default(0.3),
  })
  .refine((c) => Math.abs(c.technicalWeight + c.fundamentalWeight + c.sentimentWeight - 1) < 1e-9, {
    message: 'technicalWeight + fundamentalWeight + sentimentWeight must be 1',
    path: ['sentimentWeight'],
  });

/** The seed's enhanced momentum strategy: RSI 14 with 70/30, MACD 12/26/9, 5 % positions, 2 % stop loss. */
const enhancedMomentumConfig = z
  .strictObject({
    rsiPeriod: z.number().int().min(2).max(100).default(14),
    rsiOverbought: z.number().gt(50).lt(100).default(70),
    rsiOversold: z.number().gt(0).lt(50).default(30),
    macdFast: z.number().int().min(2).default(12),
    macdSlow: z.number().int().min(3).default(26),
    macdSignal: z.number().int().min(2).default(9),
    /** Fraction of equity per position. */
    positionSize: z.number().gt(0).max(1).default(0.05),
    /** Stop loss as a fraction below the entry price. */
    stopLoss: z.number().gt(0).lt(1).default(0.02),
  })
  .refine((c) => c.macdFast < c.macdSlow, { message: 'macdFast must be below macdSlow', path: ['macdFast'] });

export const MODEL_KINDS = {
  combinedScore: { schema: combinedScoreConfig, description: "WF3's combined technical, fundamental and sentiment score" },
  enhancedMomentum: { schema: enhancedMomentumConfig, description: 'RSI mean reversion confirmed by MACD momentum' },
} as const;

export type ModelKind = keyof typeof MODEL_KINDS;
export const MODEL_KIND_NAMES = Object.keys(MODEL_KINDS) as ModelKind[];

/** A model's name: lower case letters, digits, `_`, `.`, `-` (it names MLflow experiments and Web UI filters). */
export const MODEL_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** A registration the registry refuses (bad name, unknown kind, a config that fails its kind's schema, a retired config). */
export class ModelRegistrationError extends QuantError {
  readonly type = 'ModelRegistration';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ModelRegistrationError';
  }
}

export function isModelKind(kind: string): kind is ModelKind {
  return Object.hasOwn(MODEL_KINDS, kind);
}

/**
 * The config of `kind` with its defaults filled in, or an error naming every
 * field that is wrong.
 *
 * @example
 *   parseModelConfig('enhancedMomentum', { rsiPeriod: 10 }) // { rsiPeriod: 10, rsiOverbought: 70, ... }
 */
export function parseModelConfig(kind: string, raw: unknown): Record<string, unknown> {
  if (!isModelKind(kind)) throw new ModelRegistrationError(`unknown model kind "${kind}"; known kinds: ${MODEL_KIND_NAMES.join(', ')}`);
  const parsed = MODEL_KINDS[kind].schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${field ? `field "${field}"` : 'config'}: ${issue.message}`;
  });
  throw new ModelRegistrationError(`model config of kind ${kind} is invalid: ${problems.join('; ')}`);
}

export function checkModelName(name: string): void {
  if (!MODEL_NAME.test(name))
    throw new ModelRegistrationError(
      `model name "${name}" is invalid: use 1-63 lower-case letters, digits, "_", "." or "-", starting with a letter or digit`,
    );
}

/** What a fresh stack registers (idempotently): each with its kind's defaults, the seed's parameters. */
export const BUILT_IN_MODELS: readonly { name: string; kind: ModelKind }[] = [
  { name: 'combined-score', kind: 'combinedScore' },
  { name: 'enhanced-momentum', kind: 'enhancedMomentum' },
];
