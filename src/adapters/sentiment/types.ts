/**
 * The headline sentiment classifier behind one interface: the shipped small
 * ONNX model, or any exported sequence-classification model directory.
 */

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

export interface SentimentPrediction {
  label: SentimentLabel;
  /** Class probabilities, summing to 1. */
  probabilities: Record<SentimentLabel, number>;
  /** P(positive) - P(negative), in [-1, 1]: the number the domain's decay aggregation uses. */
  score: number;
}

export interface SentimentClassifier {
  readonly modelName: string;
  classify(texts: readonly string[]): Promise<SentimentPrediction[]>;
  close(): Promise<void>;
}
