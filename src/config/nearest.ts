/**
 * "Did you mean": the candidate closest to a mistyped name by edit distance
 * (Levenshtein: insertions, deletions and substitutions cost 1), for config
 * keys. Written here because it is a dozen lines and the config loader is the
 * only user.
 */

/** Levenshtein distance between `a` and `b`, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[t.length];
}

/**
 * The candidate nearest to `name` (first one on ties), or undefined for no candidates.
 *
 * @example
 *   nearest('temporal.adress', ['temporal.address', 'temporal.port']); // 'temporal.address'
 */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
