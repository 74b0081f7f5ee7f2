/**
 * Test support: writes tiny but real Hugging Face-style model directories
 * (a WordPiece BERT-like and a byte-level BPE RoBERTa-like `tokenizer.json`,
 * a label map, and an ONNX graph with `input_ids`/`attention_mask` inputs and
 * a `logits` output) so the classifier's loading and tokenization path runs
 * end to end without a hub. The graph sums one learned 3-vector per token
 * over the unmasked positions: "gain"-like tokens push positive, "loss"-like
 * ones negative, and the pad token carries a huge negative vector so a broken
 * attention mask shows up at once.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeOnnxModel, OnnxDataType } from './onnx-proto';

/** Per-token logits (negative, neutral, positive) by token; others get [0, 0.2, 0]. */
const TOKEN_LOGITS: Record<string, [number, number, number]> = {
  gain: [0, 0, 3],
  profit: [0, 0, 2],
  rise: [0, 0, 2],
  loss: [3, 0, 0],
  fall: [2, 0, 0],
  plunge: [4, 0, 0],
};
const PAD_LOGITS: [number, number, number] = [100, 0, 0];

function logitGraph(vocabSize: number, rowOf: (id: number) => [number, number, number], withTokenTypes: boolean): Uint8Array {
  const emb = new Float32Array(vocabSize * 3);
  for (let i = 0; i < vocabSize; i++) emb.set(rowOf(i), i * 3);
  const inputs = [
    { name: 'input_ids', type: OnnxDataType.INT64, shape: ['batch', 'sequence'] },
    { name: 'attention_mask', type: OnnxDataType.INT64, shape: ['batch', 'sequence'] },
  ] as const;
  return encodeOnnxModel({
    graphName: 'tiny_sequence_classifier',
    nodes: [
      { opType: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['token_logits'], attributes: { axis: { kind: 'int', value: 0 } } },
      { opType: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], attributes: { to: { kind: 'int', value: OnnxDataType.FLOAT } } },
      { opType: 'Unsqueeze', inputs: ['mask_f', 'axis_2'], outputs: ['mask_3d'] },
      { opType: 'Mul', inputs: ['token_logits', 'mask_3d'], outputs: ['masked'] },
      { opType: 'ReduceSum', inputs: ['masked', 'axis_1'], outputs: ['logits'], attributes: { keepdims: { kind: 'int', value: 0 } } },
    ],
    initializers: [
      { name: 'embedding', dims: [vocabSize, 3], type: OnnxDataType.FLOAT, data: emb },
      { name: 'axis_1', dims: [1], type: OnnxDataType.INT64, data: [1] },
      { name: 'axis_2', dims: [1], type: OnnxDataType.INT64, data: [2] },
    ],
    inputs: withTokenTypes ? [...inputs, { name: 'token_type_ids', type: OnnxDataType.INT64, shape: ['batch', 'sequence'] }] : [...inputs],
    outputs: [{ name: 'logits', type: OnnxDataType.FLOAT, shape: ['batch', 3] }],
  });
}

const added = (tokens: string[]) =>
  tokens.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));

/**
 * A BERT-like directory: WordPiece tokenizer (lower case, `##` pieces),
 * `config.json` with id2label, and a graph that also declares `token_type_ids`.
 */
export async function writeTinyWordPieceModel(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
  const words = [
    'the',
    'company',
    'shares',
    'gain',
    'profit',
    'rise',
    'loss',
    'fall',
    'plunge',
    'report',
    'date',
    'on',
    'a',
    '##s',
    '##es',
    '##ed',
    '##ing',
  ];
  const vocab: Record<string, number> = {};
  [...specials, ...words].forEach((t, i) => (vocab[t] = i));
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added(specials),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  const ids = Object.entries(vocab);
  const rowOf = (id: number): [number, number, number] => {
    const tok = ids.find(([, v]) => v === id)![0];
    if (tok === '[PAD]') return PAD_LOGITS;
    return TOKEN_LOGITS[tok] ?? [0, 0.2, 0];
  };
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      do_lower_case: true,
      model_max_length: 512,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
    }),
  );
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ architectures: ['BertForSequenceClassification'], id2label: { '0': 'negative', '1': 'neutral', '2': 'positive' } }),
  );
  await writeFile(join(dir, 'model.onnx'), logitGraph(ids.length, rowOf, true));
}

/** GPT-2 / RoBERTa byte-to-unicode map for the printable ASCII we use (space -> 'Ġ'). */
const byteChar = (c: string) => (c === ' ' ? '\u0120' : c);

/**
 * A RoBERTa-like directory: byte-level BPE tokenizer with merges that build
 * whole words ('Ġgain', ...) from letters, RobertaProcessing (<s> ... </s>),
 * and `labels.json` in FinBERT's label order (positive, negative, neutral).
 */
export async function writeTinyByteLevelBpeModel(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const specials = ['<s>', '<pad>', '</s>', '<unk>'];
  const vocab: Record<string, number> = {};
  const add = (t: string) => {
    if (!(t in vocab)) vocab[t] = Object.keys(vocab).length;
  };
  specials.forEach(add);
  for (const c of 'abcdefghijklmnopqrstuvwxyz') add(c);
  add(byteChar(' '));
  const merges: string[] = [];
  for (const word of ['gain', 'loss', 'profit', 'plunge', 'the', 'company', 'shares']) {
    let cur = byteChar(' ');
    for (const ch of word) {
      merges.push(`${cur} ${ch}`);
      cur += ch;
      add(cur);
    }
  }
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added(specials),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
  const byId = Object.entries(vocab);
  // labels.json order: positive, negative, neutral (as ProsusAI/finbert); the graph's columns follow it.
  const rowOf = (id: number): [number, number, number] => {
    const tok = byId.find(([, v]) => v === id)![0];
    if (tok === '<pad>') return [0, 100, 0];
    const base = TOKEN_LOGITS[tok.replace(/^\u0120/, '')] ?? [0, 0.2, 0];
    return [base[2], base[0], base[1]];
  };
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 512, pad_token: '<pad>' }));
  await writeFile(join(dir, 'labels.json'), JSON.stringify(['positive', 'negative', 'neutral']));
  await writeFile(join(dir, 'model.onnx'), logitGraph(byId.length, rowOf, false));
}
