/**
 * The ONNX sentiment classifier (`onnxruntime-node`, CPU). It loads a model
 * directory of one of two kinds, read from local files only (nothing is
 * fetched from a hub):
 *
 * - the shipped bag-of-words model (`models/sentiment/`): `model.onnx` +
 *   `preprocessing.json` (type `quant-headline-bow`) + `labels.json`; the
 *   headline is split into word stems here and the vocabulary lookup runs in
 *   the graph;
 * - an exported Hugging Face sequence-classification model (e.g. a
 *   DistilRoBERTa or FinBERT fine-tuned on financial news): `model.onnx` +
 *   `tokenizer.json` (BPE, byte-level BPE or WordPiece, via
 *   `@huggingface/tokenizers`) + optional `tokenizer_config.json` + the label
 *   map in `labels.json` or `config.json` (`id2label`). Inputs `input_ids`,
 *   `attention_mask` and, when the graph has it, `token_type_ids` (int64);
 *   the first output (or `logits`) is [batch, labels].
 *
 * Labels are matched by name (positive/neutral/negative, also pos/neu/neg
 * and bullish/bearish); a two-label model gives neutral probability 0.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { HEADLINE_TOKENS_VERSION, headlineTokens } from './headline-tokens';
import type { SentimentClassifier, SentimentLabel, SentimentPrediction } from './types';
import { QuantError } from '../../domain/errors';

export interface OnnxSentimentClassifierOptions {
  /** The model directory. */
  modelDir: string;
  /** Texts per ONNX run. Default 64. */
  batchSize?: number;
  /** Hugging Face models: truncate token sequences to this length. Default: tokenizer.json truncation, else tokenizer_config model_max_length, else 512. */
  maxLength?: number;
  /** onnxruntime intra-op threads. Default 1 (the worker runs many activities at once). */
  intraOpNumThreads?: number;
}

/** A model directory that cannot be loaded: missing files, unknown label names, unsupported format. */
export class SentimentModelError extends QuantError {
  readonly type = 'SentimentModelError';
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'SentimentModelError';
  }
}

const LABEL_ALIASES: Record<string, SentimentLabel> = {
  positive: 'positive',
  pos: 'positive',
  bullish: 'positive',
  neutral: 'neutral',
  neu: 'neutral',
  negative: 'negative',
  neg: 'negative',
  bearish: 'negative',
};

/** Map a model's label names (index order) to ours; throws naming the dir and the label that does not map. */
export function mapLabels(names: readonly string[], modelDir: string): SentimentLabel[] {
  const out = names.map((n) => {
    const l = LABEL_ALIASES[n.trim().toLowerCase()];
    if (!l)
      throw new SentimentModelError(
        `${modelDir}: label ${JSON.stringify(n)} is not positive, neutral or negative; add a labels.json such as ["negative","neutral","positive"] in output order`,
      );
    return l;
  });
  if (!out.includes('positive') || !out.includes('negative'))
    throw new SentimentModelError(`${modelDir}: labels ${JSON.stringify(names)} must include positive and negative`);
  if (new Set(out).size !== out.length) throw new SentimentModelError(`${modelDir}: labels ${JSON.stringify(names)} repeat a class`);
  return out;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new SentimentModelError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** labels.json (array, or { id2label }) else config.json id2label, in index order. */
async function readLabelNames(modelDir: string): Promise<string[]> {
  const fromId2label = (m: unknown, path: string): string[] => {
    if (!m || typeof m !== 'object') throw new SentimentModelError(`${path}: id2label must be an object`);
    const entries = Object.entries(m as Record<string, unknown>).map(([k, v]) => [Number(k), String(v)] as const);
    entries.sort((a, b) => a[0] - b[0]);
    entries.forEach(([k], i) => {
      if (k !== i) throw new SentimentModelError(`${path}: id2label keys must be 0..n-1`);
    });
    return entries.map(([, v]) => v);
  };
  const labelsPath = join(modelDir, 'labels.json');
  if (existsSync(labelsPath)) {
    const j = await readJson(labelsPath);
    if (Array.isArray(j) && j.every((x) => typeof x === 'string')) return j as string[];
    if (j && typeof j === 'object' && 'id2label' in j) return fromId2label((j as { id2label: unknown }).id2label, labelsPath);
    throw new SentimentModelError(`${labelsPath}: expected an array of label names or { "id2label": {...} }`);
  }
  const configPath = join(modelDir, 'config.json');
  if (existsSync(configPath)) {
    const j = (await readJson(configPath)) as { id2label?: unknown };
    if (j.id2label) return fromId2label(j.id2label, configPath);
  }
  throw new SentimentModelError(`${modelDir}: no label map (labels.json, or config.json with id2label)`);
}

function softmax(logits: ArrayLike<number>, offset: number, k: number): number[] {
  let max = -Infinity;
  for (let i = 0; i < k; i++) max = Math.max(max, logits[offset + i]);
  const e = Array.from({ length: k }, (_, i) => Math.exp(logits[offset + i] - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

function toPrediction(probs: readonly number[], labels: readonly SentimentLabel[]): SentimentPrediction {
  const probabilities: Record<SentimentLabel, number> = { positive: 0, neutral: 0, negative: 0 };
  labels.forEach((l, i) => (probabilities[l] = probs[i]));
  let best = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
  return { label: labels[best], probabilities, score: probabilities.positive - probabilities.negative };
}

/** One batch of texts -> rows of class probabilities in the model's label order. */
type BatchRunner = (texts: readonly string[]) => Promise<number[][]>;

async function bowRunner(session: ort.InferenceSession, modelDir: string, k: number): Promise<BatchRunner> {
  const pre = (await readJson(join(modelDir, 'preprocessing.json'))) as {
    type?: string;
    version?: number;
    input?: string;
    output?: string;
  };
  if (pre.type !== 'quant-headline-bow' || pre.version !== HEADLINE_TOKENS_VERSION) {
    throw new SentimentModelError(
      `${modelDir}/preprocessing.json: type ${pre.type} version ${pre.version} is not supported (quant-headline-bow version ${HEADLINE_TOKENS_VERSION})`,
    );
  }
  const input = pre.input ?? 'tokens';
  const output = pre.output ?? 'probabilities';
  if (!session.inputNames.includes(input) || !session.outputNames.includes(output)) {
    throw new SentimentModelError(
      `${modelDir}/model.onnx: expected input ${input} and output ${output}, has ${session.inputNames.join(',')} -> ${session.outputNames.join(',')}`,
    );
  }
  return async (texts) => {
    const tokens = texts.map(headlineTokens);
    const width = Math.max(1, ...tokens.map((t) => t.length));
    const flat: string[] = [];
    for (const t of tokens) for (let j = 0; j < width; j++) flat.push(t[j] ?? '');
    const out = await session.run({ [input]: new ort.Tensor('string', flat, [texts.length, width]) });
    const probs = out[output].data as Float32Array;
    return texts.map((_, i) => Array.from(probs.subarray(i * k, (i + 1) * k)));
  };
}

async function hfRunner(
  session: ort.InferenceSession,
  modelDir: string,
  k: number,
  maxLengthOpt: number | undefined,
): Promise<BatchRunner> {
  const tokenizerJson = (await readJson(join(modelDir, 'tokenizer.json'))) as {
    truncation?: { max_length?: number } | null;
    padding?: { pad_id?: number } | null;
  };
  const configPath = join(modelDir, 'tokenizer_config.json');
  const tokenizerConfig = (existsSync(configPath) ? await readJson(configPath) : {}) as { model_max_length?: number; pad_token?: string };
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (err) {
    throw new SentimentModelError(`${modelDir}/tokenizer.json: ${err instanceof Error ? err.message : String(err)}`);
  }
  const configMax = tokenizerConfig.model_max_length;
  const maxLength = maxLengthOpt ?? tokenizerJson.truncation?.max_length ?? (configMax && configMax < 100_000 ? configMax : 512);
  const padToken = typeof tokenizerConfig.pad_token === 'string' ? tokenizerConfig.pad_token : undefined;
  const padId =
    tokenizerJson.padding?.pad_id ??
    (padToken ? tokenizer.token_to_id(padToken) : undefined) ??
    tokenizer.token_to_id('<pad>') ??
    tokenizer.token_to_id('[PAD]') ??
    0;
  const special = new Set([...tokenizer.get_added_tokens_decoder().entries()].filter(([, t]) => t.special).map(([id]) => id));
  for (const name of ['input_ids', 'attention_mask']) {
    if (!session.inputNames.includes(name))
      throw new SentimentModelError(`${modelDir}/model.onnx: no input ${name} (inputs: ${session.inputNames.join(', ')})`);
  }
  const withTypes = session.inputNames.includes('token_type_ids');
  const output = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0];
  return async (texts) => {
    const encoded = texts.map((t) => {
      let ids = tokenizer.encode(t).ids;
      // Keep the closing special token ([SEP], </s>) when truncating, as the HF tokenizers do.
      if (ids.length > maxLength)
        ids = special.has(ids[ids.length - 1]) ? [...ids.slice(0, maxLength - 1), ids[ids.length - 1]] : ids.slice(0, maxLength);
      return ids;
    });
    const width = Math.max(1, ...encoded.map((e) => e.length));
    const n = texts.length;
    const ids = new BigInt64Array(n * width).fill(BigInt(padId));
    const mask = new BigInt64Array(n * width);
    encoded.forEach((e, i) => {
      for (let j = 0; j < e.length; j++) {
        ids[i * width + j] = BigInt(e[j]);
        mask[i * width + j] = 1n;
      }
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [n, width]),
      attention_mask: new ort.Tensor('int64', mask, [n, width]),
    };
    if (withTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n * width), [n, width]);
    const out = await session.run(feeds);
    const logits = out[output];
    if (logits.dims.length !== 2 || logits.dims[0] !== n || logits.dims[1] !== k) {
      throw new SentimentModelError(
        `${modelDir}/model.onnx: output ${output} has shape [${logits.dims.join(', ')}], expected [${n}, ${k}] for ${k} labels`,
      );
    }
    const data = logits.data as Float32Array;
    return texts.map((_, i) => softmax(data, i * k, k));
  };
}

/**
 * Load a model directory (see the file comment for the two kinds).
 *
 * @example
 *   const clf = await createOnnxSentimentClassifier({ modelDir: 'models/sentiment' });
 *   const [p] = await clf.classify(['Apple beats estimates, shares jump']);
 *   p.label // 'positive'; p.score = P(pos) - P(neg)
 *   await clf.close();
 */
export async function createOnnxSentimentClassifier(options: OnnxSentimentClassifierOptions): Promise<SentimentClassifier> {
  const { modelDir } = options;
  const batchSize = options.batchSize ?? 64;
  const modelPath = join(modelDir, 'model.onnx');
  if (!existsSync(modelPath)) throw new SentimentModelError(`${modelDir}: no model.onnx`);
  const hf = existsSync(join(modelDir, 'tokenizer.json'));
  if (!hf && !existsSync(join(modelDir, 'preprocessing.json')))
    throw new SentimentModelError(`${modelDir}: neither tokenizer.json (Hugging Face) nor preprocessing.json (shipped model)`);
  const labels = mapLabels(await readLabelNames(modelDir), modelDir);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: 1,
    });
  } catch (err) {
    throw new SentimentModelError(`${modelPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const run = hf ? await hfRunner(session, modelDir, labels.length, options.maxLength) : await bowRunner(session, modelDir, labels.length);
  const modelName = `${hf ? 'hf' : 'bow'}:${modelDir}`;
  let closed = false;
  // InferenceSession.run is thread-safe, so concurrent activities share one session; close waits for runs in flight.
  const inflight = new Set<Promise<unknown>>();
  return {
    modelName,
    async classify(texts) {
      if (closed) throw new Error(`sentiment classifier ${modelName} is closed`);
      if (texts.length === 0) return [];
      const work = (async () => {
        const out: SentimentPrediction[] = [];
        for (let i = 0; i < texts.length; i += batchSize) {
          const rows = await run(texts.slice(i, i + batchSize));
          for (const p of rows) out.push(toPrediction(p, labels));
        }
        return out;
      })();
      inflight.add(work);
      try {
        return await work;
      } finally {
        inflight.delete(work);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inflight]);
      await session.release();
    },
  };
}

/** Throughput of a classifier: headlines per second over the given headlines (one warm-up call first). */
export interface ClassifierThroughput {
  headlines: number;
  seconds: number;
  headlinesPerSecond: number;
}

/**
 * Classify `headlines` `rounds` times (after one warm-up batch) and report
 * headlines per second. For `bench/` (never a timed test).
 *
 * @example
 *   const t = await measureClassifierThroughput(clf, headlines); // { headlinesPerSecond: 45000, ... }
 */
export async function measureClassifierThroughput(
  classifier: SentimentClassifier,
  headlines: readonly string[],
  options: { rounds?: number } = {},
): Promise<ClassifierThroughput> {
  if (headlines.length === 0) throw new RangeError('measureClassifierThroughput: no headlines');
  const rounds = options.rounds ?? 5;
  await classifier.classify(headlines.slice(0, 16));
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) await classifier.classify(headlines);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const n = headlines.length * rounds;
  return { headlines: n, seconds, headlinesPerSecond: n / seconds };
}
