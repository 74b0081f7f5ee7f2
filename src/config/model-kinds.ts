/**
 * The kinds of model the registry knows, each with the parser of its
 * config, and the built-in models a fresh stack registers. A kind is the
 * strategy code; a model is a name, a kind and a config; a version is one
 * config of a name (src/adapters/postgres/model-repo.ts). Configs are strict:
 * a misspelt field is refused, not ignored, because a silently ignored
 * parameter would make two "different" versions the same model.
 *
 * The daily kinds have a zod schema here. The intraday strategy kinds that
 * are also model kinds (src/domain/strategies/daily-bars.ts) are parsed by
 * the strategy's own parser, defaults and checks (src/domain may not use
 * zod): one source of truth, so a strategy's params and its model's config
 * can never disagree on a default or a bound.
 */
import { z } from 'zod';
import { QuantError } from '../domain/errors';
import { CROSS_REGISTERED_KINDS, type CrossRegisteredKind } from '../domain/strategies/daily-bars';
import { strategyOf } from '../domain/strategies/registry';

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

/** A kind's config with its defaults filled in, or every problem, each naming its field ("config" when none). */
type ParseKindConfig = (raw: unknown) => { config: Record<string, unknown> } | { problems: string[] };

interface ModelKindSpec {
  parse: ParseKindConfig;
  description: string;
}

function zodKind(schema: z.ZodType<Record<string, unknown>>, description: string): ModelKindSpec {
  return {
    description,
    parse(raw) {
      const parsed = schema.safeParse(raw ?? {});
      if (parsed.success) return { config: parsed.data };
      return {
        problems: parsed.error.issues.map((issue) => {
          const field = issue.path.join('.');
          if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
          return `${field ? `field "${field}"` : 'config'}: ${issue.message}`;
        }),
      };
    },
  };
}

/** An intraday strategy kind as a model kind: its config is the strategy's params, read by the strategy's own parser. */
function strategyKind(kind: CrossRegisteredKind): ModelKindSpec {
  const strategy = strategyOf(kind, kind);
  return {
    description: `the intraday ${kind} strategy, run on daily bars`,
    parse(raw) {
      const given = raw ?? {};
      if (typeof given !== 'object' || Array.isArray(given)) return { problems: ['config: must be a mapping of settings'] };
      const r = strategy.parseConfig(given as Record<string, unknown>);
      if ('config' in r) return { config: r.config as Record<string, unknown> };
      return { problems: (r.problems ?? [r.problem]).map((p) => `field "${p.setting}": ${p.message}`) };
    },
  };
}

const STRATEGY_MODEL_KINDS = Object.fromEntries(CROSS_REGISTERED_KINDS.map((kind) => [kind, strategyKind(kind)])) as Record<
  CrossRegisteredKind,
  ModelKindSpec
>;

export const MODEL_KINDS = {
  combinedScore: zodKind(combinedScoreConfig, "WF3's combined technical, fundamental and sentiment score"),
  enhancedMomentum: zodKind(enhancedMomentumConfig, 'RSI mean reversion confirmed by MACD momentum'),
  ...STRATEGY_MODEL_KINDS,
} satisfies Record<string, ModelKindSpec>;

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
 *   parseModelConfig('movingAverageCrossover', { fastPeriod: 12 }) // { fastPeriod: 12, slowPeriod: 30, volatilityBars: 20, symbols: [] }
 */
export function parseModelConfig(kind: string, raw: unknown): Record<string, unknown> {
  if (!isModelKind(kind)) throw new ModelRegistrationError(`unknown model kind "${kind}"; known kinds: ${MODEL_KIND_NAMES.join(', ')}`);
  const parsed = MODEL_KINDS[kind].parse(raw);
  if ('config' in parsed) return parsed.config;
  throw new ModelRegistrationError(`model config of kind ${kind} is invalid: ${parsed.problems.join('; ')}`);
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
