/**
 * The shipped headline sentiment model: word-stem unigrams and bigrams
 * (`headline-tokens.ts`) -> term counts -> multinomial logistic regression
 * over negative / neutral / positive, trained by full-batch gradient descent
 * from zero weights (no randomness, fixed epochs, so the result is a pure
 * function of the CSV files) and exported as an ONNX graph:
 *
 *   tokens: string[batch, n] -> TfIdfVectorizer (TF, 1..2-grams, the vocabulary
 *   as its pool) -> MatMul W -> Add b -> logits -> Softmax -> probabilities
 *
 * `scripts/build-sentiment-model.ts` calls `buildSentimentModelFiles` and
 * writes the files to `models/sentiment/`.
 */
import { encodeOnnxModel, OnnxDataType } from './onnx-proto';
import { HEADLINE_TOKENS_VERSION, headlineTokens } from './headline-tokens';
import type { SentimentLabel } from './types';

/** Class order of the shipped model's outputs. */
export const BOW_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

export interface LabelledHeadline {
  label: SentimentLabel;
  text: string;
  /** 1-based line in the source file, for error messages. */
  line?: number;
}

export interface BowTrainOptions {
  /** An n-gram enters the vocabulary when at least this many training headlines contain it. Default 2. */
  minDocFreq?: number;
  /** L2 penalty on the weights (not the biases). Default 0.002. */
  l2?: number;
  /** Gradient-descent step size. Default 1. */
  learningRate?: number;
  /** Full-batch epochs. Default 1500. */
  epochs?: number;
}

export interface BowModel {
  /** Unigrams (sorted), then bigrams (sorted, words joined by one space). */
  vocab: string[];
  unigramCount: number;
  /** Row-major [vocab.length, labels.length], float32-rounded. */
  weights: Float32Array;
  bias: Float32Array;
  labels: readonly SentimentLabel[];
  options: Required<BowTrainOptions>;
}

const LABELS = new Set<string>(['positive', 'neutral', 'negative']);

/**
 * Parse a labelled CSV with a header `label,text` (RFC 4180 quoting). Throws
 * naming the line of an unknown label, a missing column or an empty text.
 *
 * @example
 *   parseLabelledCsv('label,text\npositive,"Profit jumps, shares rise"\n')
 *   // [{ label: 'positive', text: 'Profit jumps, shares rise', line: 2 }]
 */
export function parseLabelledCsv(csv: string, source = 'csv'): LabelledHeadline[] {
  const rows: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') {
        rows.push(row);
        lines.push(rowLine);
      }
      row = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
    lines.push(rowLine);
  }
  const header = rows.shift()?.map((h) => h.trim().toLowerCase());
  lines.shift();
  const li = header?.indexOf('label') ?? -1;
  const ti = header?.indexOf('text') ?? -1;
  if (li < 0 || ti < 0) throw new Error(`${source}: header must have columns label and text, got ${JSON.stringify(header)}`);
  return rows.map((r, k) => {
    const label = (r[li] ?? '').trim();
    const text = (r[ti] ?? '').trim();
    if (!LABELS.has(label))
      throw new Error(`${source}:${lines[k]}: unknown label ${JSON.stringify(label)} (positive, neutral or negative)`);
    if (!text) throw new Error(`${source}:${lines[k]}: empty text`);
    return { label: label as SentimentLabel, text, line: lines[k] };
  });
}

/** Unigram and contiguous-bigram strings of a token list (bigram words joined by one space). */
function ngrams(tokens: readonly string[]): string[] {
  const out = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

/** Sparse count features of one headline against a vocabulary index. */
function featurize(text: string, index: ReadonlyMap<string, number>): Map<number, number> {
  const f = new Map<number, number>();
  for (const g of ngrams(headlineTokens(text))) {
    const j = index.get(g);
    if (j !== undefined) f.set(j, (f.get(j) ?? 0) + 1);
  }
  return f;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Train the model. Deterministic: zero initial weights, full-batch gradient
 * descent on mean cross-entropy + l2/2 ||W||^2 for a fixed number of epochs,
 * every sum in a fixed order.
 */
export function trainBowModel(rows: readonly LabelledHeadline[], options: BowTrainOptions = {}): BowModel {
  const opts: Required<BowTrainOptions> = { minDocFreq: 2, l2: 0.002, learningRate: 1, epochs: 1500, ...options };
  const df = new Map<string, number>();
  for (const r of rows) for (const g of new Set(ngrams(headlineTokens(r.text)))) df.set(g, (df.get(g) ?? 0) + 1);
  const kept = [...df.entries()].filter(([, n]) => n >= opts.minDocFreq).map(([g]) => g);
  const unigrams = kept.filter((g) => !g.includes(' ')).sort(byCodeUnit);
  const bigrams = kept.filter((g) => g.includes(' ')).sort(byCodeUnit);
  const vocab = [...unigrams, ...bigrams];
  const index = new Map(vocab.map((g, i) => [g, i]));
  const K = BOW_LABELS.length;
  const V = vocab.length;
  const X = rows.map((r) => [...featurize(r.text, index).entries()].sort((a, b) => a[0] - b[0]));
  const y = rows.map((r) => BOW_LABELS.indexOf(r.label));
  const W = new Float64Array(V * K);
  const b = new Float64Array(K);
  const gW = new Float64Array(V * K);
  const gb = new Float64Array(K);
  const p = new Float64Array(K);
  const n = rows.length;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    gW.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      softmaxRow(X[i], W, b, K, p);
      p[y[i]] -= 1;
      for (let k = 0; k < K; k++) gb[k] += p[k];
      for (const [j, v] of X[i]) for (let k = 0; k < K; k++) gW[j * K + k] += v * p[k];
    }
    for (let q = 0; q < W.length; q++) W[q] -= opts.learningRate * (gW[q] / n + opts.l2 * W[q]);
    for (let k = 0; k < K; k++) b[k] -= opts.learningRate * (gb[k] / n);
  }
  return {
    vocab,
    unigramCount: unigrams.length,
    weights: Float32Array.from(W),
    bias: Float32Array.from(b),
    labels: BOW_LABELS,
    options: opts,
  };
}

function softmaxRow(
  x: ReadonlyArray<readonly [number, number]>,
  W: ArrayLike<number>,
  b: ArrayLike<number>,
  K: number,
  out: Float64Array,
): void {
  for (let k = 0; k < K; k++) out[k] = b[k];
  for (const [j, v] of x) for (let k = 0; k < K; k++) out[k] += v * W[j * K + k];
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (out[k] > max) max = out[k];
  let sum = 0;
  for (let k = 0; k < K; k++) {
    out[k] = Math.exp(out[k] - max);
    sum += out[k];
  }
  for (let k = 0; k < K; k++) out[k] /= sum;
}

/** Class probabilities of one headline by the model's weights, in plain JS (the build's reference; inference uses ONNX). */
export function predictBow(model: BowModel, text: string): number[] {
  const index = new Map(model.vocab.map((g, i) => [g, i]));
  const x = [...featurize(text, index).entries()].sort((a, b) => a[0] - b[0]);
  const p = new Float64Array(model.labels.length);
  softmaxRow(x, model.weights, model.bias, model.labels.length, p);
  return [...p];
}

/** The model as ONNX bytes (input `tokens`: string [batch, n], padded with ''; outputs `probabilities`, `logits`). */
export function bowModelToOnnx(model: BowModel, metadata: Record<string, string> = {}): Uint8Array {
  const V = model.vocab.length;
  const K = model.labels.length;
  const pool: string[] = [];
  for (const g of model.vocab) pool.push(...g.split(' '));
  return encodeOnnxModel({
    graphName: 'quant_headline_sentiment',
    docString:
      'Financial headline sentiment: word-stem 1-2-gram counts -> multinomial logistic regression. Built by scripts/build-sentiment-model.ts.',
    nodes: [
      {
        opType: 'TfIdfVectorizer',
        name: 'ngram_counts',
        inputs: ['tokens'],
        outputs: ['counts'],
        attributes: {
          mode: { kind: 'string', value: 'TF' },
          min_gram_length: { kind: 'int', value: 1 },
          max_gram_length: { kind: 'int', value: 2 },
          max_skip_count: { kind: 'int', value: 0 },
          ngram_counts: { kind: 'ints', value: [0, model.unigramCount] },
          ngram_indexes: { kind: 'ints', value: Array.from({ length: V }, (_, i) => i) },
          pool_strings: { kind: 'strings', value: pool },
        },
      },
      { opType: 'MatMul', name: 'linear', inputs: ['counts', 'weights'], outputs: ['scores'] },
      { opType: 'Add', name: 'bias', inputs: ['scores', 'bias'], outputs: ['logits'] },
      {
        opType: 'Softmax',
        name: 'softmax',
        inputs: ['logits'],
        outputs: ['probabilities'],
        attributes: { axis: { kind: 'int', value: -1 } },
      },
    ],
    initializers: [
      { name: 'weights', dims: [V, K], type: OnnxDataType.FLOAT, data: model.weights },
      { name: 'bias', dims: [K], type: OnnxDataType.FLOAT, data: model.bias },
    ],
    inputs: [{ name: 'tokens', type: OnnxDataType.STRING, shape: ['batch', 'n'] }],
    outputs: [
      { name: 'probabilities', type: OnnxDataType.FLOAT, shape: ['batch', K] },
      { name: 'logits', type: OnnxDataType.FLOAT, shape: ['batch', K] },
    ],
    metadata: { labels: model.labels.join(','), preprocessing: `quant-headline-bow/${HEADLINE_TOKENS_VERSION}`, ...metadata },
  });
}

export interface BowEvaluation {
  n: number;
  correct: number;
  accuracy: number;
  /** confusion[actual][predicted], in label order. */
  confusion: number[][];
  perClass: Record<SentimentLabel, { precision: number; recall: number; support: number }>;
}

/** Accuracy, confusion matrix and per-class precision/recall of predicted label indexes against labelled rows. */
export function evaluatePredictions(
  rows: readonly LabelledHeadline[],
  predicted: readonly number[],
  labels: readonly SentimentLabel[] = BOW_LABELS,
): BowEvaluation {
  const K = labels.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  rows.forEach((r, i) => confusion[labels.indexOf(r.label)][predicted[i]]++);
  const correct = confusion.reduce((s, row, k) => s + row[k], 0);
  const perClass = {} as BowEvaluation['perClass'];
  labels.forEach((l, k) => {
    const support = confusion[k].reduce((a, b) => a + b, 0);
    const predictedK = confusion.reduce((s, row) => s + row[k], 0);
    perClass[l] = { precision: predictedK ? confusion[k][k] / predictedK : 0, recall: support ? confusion[k][k] / support : 0, support };
  });
  return { n: rows.length, correct, accuracy: rows.length ? correct / rows.length : 0, confusion, perClass };
}

const argmax = (p: readonly number[]) => p.reduce((best, v, i) => (v > p[best] ? i : best), 0);

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * Train on `train`, evaluate on the held-out `test`, and return every file of
 * the model directory (name -> contents). Byte-identical for identical inputs.
 */
export function buildSentimentModelFiles(
  train: readonly LabelledHeadline[],
  test: readonly LabelledHeadline[],
  options: BowTrainOptions = {},
): { files: Record<string, Uint8Array>; model: BowModel; test: BowEvaluation; train: BowEvaluation } {
  const model = trainBowModel(train, options);
  const evalOn = (rows: readonly LabelledHeadline[]) =>
    evaluatePredictions(
      rows,
      rows.map((r) => argmax(predictBow(model, r.text))),
    );
  const trainEval = evalOn(train);
  const testEval = evalOn(test);
  const onnx = bowModelToOnnx(model, {
    test_accuracy: testEval.accuracy.toFixed(4),
    test_examples: String(testEval.n),
    train_examples: String(train.length),
  });
  const enc = (s: string) => new TextEncoder().encode(s);
  const preprocessing = {
    type: 'quant-headline-bow',
    version: HEADLINE_TOKENS_VERSION,
    description:
      "NFKC, lower case, words and numbers, possessive dropped, n't -> not, numbers -> <num>/<pct>, light suffix stemming (src/adapters/sentiment/headline-tokens.ts); the 1-2-gram vocabulary lookup is inside model.onnx",
    input: 'tokens',
    output: 'probabilities',
    padding: '',
  };
  const labels = model.labels;
  const matrix = [
    `| actual \\ predicted | ${labels.join(' | ')} |`,
    `| --- | ${labels.map(() => '---:').join(' | ')} |`,
    ...labels.map((l, k) => `| ${l} | ${testEval.confusion[k].join(' | ')} |`),
  ].join('\n');
  const perClass = labels
    .map((l) => `| ${l} | ${pct(testEval.perClass[l].precision)} | ${pct(testEval.perClass[l].recall)} | ${testEval.perClass[l].support} |`)
    .join('\n');
  const readme = `# Shipped headline sentiment model

Three classes (negative, neutral, positive) over English financial news
headlines. Built by \`npm run build:sentiment-model\`
(\`scripts/build-sentiment-model.ts\`) from the labelled headlines in
\`data/sentiment/\`; rebuilding gives byte-identical files (a test checks).

## Accuracy

Held-out set \`data/sentiment/test.csv\` (${testEval.n} headlines, disjoint from
training): **${pct(testEval.accuracy)}** (${testEval.correct}/${testEval.n}).
Training set (${trainEval.n} headlines): ${pct(trainEval.accuracy)}.

| class | precision | recall | support |
| --- | ---: | ---: | ---: |
${perClass}

${matrix}

The test set is small and written in the same house style as the training
set, so treat the figure as a sanity floor, not a benchmark: headlines far
from the training vocabulary fall back towards the class prior. For better
quality drop an exported sequence-classification model (e.g. a DistilRoBERTa
fine-tuned on financial news) into a directory and set
\`SENTIMENT_MODEL_DIR\`.

## Model

- Tokens: ${preprocessing.description}.
- Features: counts of ${model.unigramCount} unigrams and ${model.vocab.length - model.unigramCount} bigrams
  that occur in at least ${model.options.minDocFreq} training headlines (\`vocab.txt\`).
- Classifier: multinomial logistic regression, full-batch gradient descent
  from zero weights, ${model.options.epochs} epochs, step ${model.options.learningRate}, L2 ${model.options.l2} (no randomness).
- Graph (\`model.onnx\`, opset 13): \`tokens\` string [batch, n] (pad with '')
  -> TfIdfVectorizer (TF, 1-2-grams) -> MatMul -> Add -> \`logits\` ->
  Softmax -> \`probabilities\` [batch, 3] in the order of \`labels.json\`.

## Files

| file | bytes |
| --- | ---: |
| model.onnx | ${onnx.byteLength} |
| labels.json | ${JSON.stringify(labels).length + 1} |
| preprocessing.json | ${JSON.stringify(preprocessing, null, 2).length + 1} |
| vocab.txt | ${Buffer.byteLength(model.vocab.join('\n') + '\n')} |
`;
  return {
    files: {
      'model.onnx': onnx,
      'labels.json': enc(`${JSON.stringify(labels)}\n`),
      'preprocessing.json': enc(`${JSON.stringify(preprocessing, null, 2)}\n`),
      'vocab.txt': enc(`${model.vocab.join('\n')}\n`),
      'README.md': enc(readme),
    },
    model,
    test: testEval,
    train: trainEval,
  };
}
