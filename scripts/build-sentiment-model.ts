/**
 * Build the shipped headline sentiment model reproducibly: train on
 * `data/sentiment/train.csv`, evaluate on the held-out
 * `data/sentiment/test.csv`, write `model.onnx`, `labels.json`,
 * `preprocessing.json`, `vocab.txt` and `README.md` (with the accuracy).
 *
 *   npm run build:sentiment-model                 # into models/sentiment/
 *   npx tsx scripts/build-sentiment-model.ts --out /tmp/m [--data data/sentiment]
 *
 * The same inputs give byte-identical files.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildSentimentModelFiles, parseLabelledCsv } from '../src/adapters/sentiment/bow-model';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) {
    process.stderr.write(`--${name} needs a value\n`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  const out = resolve(arg('out', join(root, 'models/sentiment')));
  const data = resolve(arg('data', join(root, 'data/sentiment')));
  const trainPath = join(data, 'train.csv');
  const testPath = join(data, 'test.csv');
  const train = parseLabelledCsv(await readFile(trainPath, 'utf8'), trainPath);
  const test = parseLabelledCsv(await readFile(testPath, 'utf8'), testPath);
  const trainTexts = new Set(train.map((r) => r.text.toLowerCase()));
  const overlap = test.filter((r) => trainTexts.has(r.text.toLowerCase()));
  if (overlap.length)
    throw new Error(`test.csv shares ${overlap.length} headline(s) with train.csv, e.g. line ${overlap[0].line}: ${overlap[0].text}`);
  const built = buildSentimentModelFiles(train, test);
  await mkdir(out, { recursive: true });
  for (const [name, bytes] of Object.entries(built.files)) await writeFile(join(out, name), bytes);
  process.stdout.write(
    `${JSON.stringify({ out, train: train.length, test: test.length, vocab: built.model.vocab.length, trainAccuracy: built.train.accuracy, testAccuracy: built.test.accuracy, modelBytes: built.files['model.onnx'].byteLength })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
