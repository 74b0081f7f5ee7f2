/**
 * JSON with object keys in sorted order at every depth, so two values that
 * are equal as data serialise to the same text whatever order their keys were
 * written in (YAML files, JSONB read back from Postgres). Hash it to tell
 * whether a configuration changed.
 */

/** A copy of `v` whose objects list their keys in sorted order (arrays keep theirs). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/**
 * @example
 *   canonicalJson({ b: 1, a: { d: 2, c: 3 } }) // '{"a":{"c":3,"d":2},"b":1}'
 */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}
