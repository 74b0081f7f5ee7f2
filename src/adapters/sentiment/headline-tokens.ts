/**
 * The text preprocessing of the shipped bag-of-words sentiment model
 * (`preprocessing.json` type `quant-headline-bow`, version 1): headline ->
 * word stems. The build script and the classifier both call this one
 * function, so training and inference see the same tokens; the n-gram
 * vocabulary lookup itself lives inside the ONNX graph (TfIdfVectorizer).
 * Changing any rule here changes the model: bump the version and rebuild.
 */

/** Version of the rules below; `preprocessing.json` must name the same. */
export const HEADLINE_TOKENS_VERSION = 1;

const WORD = /[a-z]+(?:'[a-z]+)*|\d+(?:[.,]\d+)*%?/g;
const DOUBLE_CONSONANT = /([bcdfghjkmnprtvwx])\1$/;

/**
 * A light, deterministic suffix stripper (a small subset of Porter's step 1)
 * so that `surge`, `surges`, `surged` and `surging` share one stem. Words of
 * three letters or fewer are kept as they are.
 *
 * @example
 *   stem('rallies') // 'ralli'
 *   stem('slipped') // 'slip'
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  let w = word;
  let strippedVerb = false;
  if ((w.endsWith('ies') || w.endsWith('ied')) && w.length > 4) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ing') && w.length >= 6) {
    w = w.slice(0, -3);
    strippedVerb = true;
  } else if (w.endsWith('ed') && w.length >= 5) {
    w = w.slice(0, -2);
    strippedVerb = true;
  } else if (w.endsWith('es') && w.length >= 5) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w) && w.length >= 4) w = w.slice(0, -1);
  if (strippedVerb && DOUBLE_CONSONANT.test(w)) w = w.slice(0, -1);
  if (w.length >= 4 && w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  else if (w.length >= 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/**
 * Headline -> tokens: Unicode NFKC, lower case, curly apostrophes made
 * straight; words (letters with inner apostrophes) and numbers. A possessive
 * `'s` is dropped, `n't` becomes a separate `not`; a number becomes `<num>`
 * and a percentage `<pct>`; every word is stemmed. Empty or symbol-only text
 * gives [].
 *
 * @example
 *   headlineTokens("Apple's profit surges 30%, doesn't disappoint")
 *   // ['appl', 'profit', 'surg', '<pct>', 'doe', 'not', 'disappoint']
 */
export function headlineTokens(text: string): string[] {
  const norm = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'");
  const out: string[] = [];
  for (const m of norm.matchAll(WORD)) {
    const tok = m[0];
    if (tok.charCodeAt(0) >= 48 && tok.charCodeAt(0) <= 57) {
      out.push(tok.endsWith('%') ? '<pct>' : '<num>');
      continue;
    }
    let word = tok.endsWith("'s") ? tok.slice(0, -2) : tok;
    let negated = false;
    if (word.endsWith("n't")) {
      word = word === "can't" ? 'can' : word === "won't" ? 'will' : word.slice(0, -3);
      negated = true;
    }
    word = word.replace(/'/g, '');
    if (word.length > 0) out.push(stem(word));
    if (negated) out.push('not');
  }
  return out;
}
