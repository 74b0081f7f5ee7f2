/**
 * Build the configured sentiment classifier: the shipped headline model in
 * `models/sentiment/` by default, or the model directory named by
 * `SENTIMENT_MODEL_DIR` (`config.sentiment.modelDir`), e.g. an exported
 * DistilRoBERTa financial-news model. Local files only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../config/schema';
import { createOnnxSentimentClassifier, type OnnxSentimentClassifierOptions } from './onnx-classifier';
import type { SentimentClassifier } from './types';

export type { SentimentClassifier, SentimentLabel, SentimentPrediction } from './types';
export {
  createOnnxSentimentClassifier,
  measureClassifierThroughput,
  SentimentModelError,
  type ClassifierThroughput,
  type OnnxSentimentClassifierOptions,
} from './onnx-classifier';

/**
 * The shipped model directory, found from this file so it works from any
 * working directory: `<repo>/models/sentiment` from source (tsx) and from the
 * compiled `dist/src/adapters/sentiment/` (the image copies `models/` beside `dist/`).
 */
export const SHIPPED_SENTIMENT_MODEL_DIR =
  [resolve(__dirname, '../../../models/sentiment'), resolve(__dirname, '../../../../models/sentiment')].find((d) =>
    existsSync(resolve(d, 'model.onnx')),
  ) ?? resolve(__dirname, '../../../models/sentiment');

/**
 * @example
 *   const clf = await createSentimentClassifier(loadConfig());
 *   const preds = await clf.classify(headlines.map((h) => h.headline));
 */
export async function createSentimentClassifier(
  config: Pick<Config, 'sentiment'>,
  options: Omit<OnnxSentimentClassifierOptions, 'modelDir'> = {},
): Promise<SentimentClassifier> {
  const modelDir = config.sentiment.modelDir ? resolve(config.sentiment.modelDir) : SHIPPED_SENTIMENT_MODEL_DIR;
  return createOnnxSentimentClassifier({ ...options, modelDir });
}
