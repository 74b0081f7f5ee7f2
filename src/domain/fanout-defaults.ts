/**
 * The fan-out's default settings, in one place. The config schema
 * (src/config/schema.ts) takes its defaults from here, and the workflows fall
 * back to them for a field their input leaves out; workflows may import only
 * src/domain, so the numbers live here rather than in the schema itself.
 * Changing one changes what a running orchestrator does on replay: treat it
 * as a workflow change (README "Changing a workflow").
 */

/** Most children one (sub-)orchestrator starts: the fan-out's history limit (DESIGN.md). */
export const MAX_CHILDREN_PER_PARENT = 1000;

export const FANOUT_DEFAULTS = {
  /** Children running at once per (sub-)orchestrator. */
  maxConcurrentChildren: 200,
  /** Above this many contracts, fan out through sub-orchestrators. */
  maxChildrenPerParent: MAX_CHILDREN_PER_PARENT,
  defaultDataset: 'synthetic',
  /** Object-store prefix of run inputs, results and portfolio files: <outputPrefix>/<runKey>/... */
  outputPrefix: 'fanout',
  /** The kernel's buy/sell thresholds: `vix` (0.5 x VIX/15, seed 000) or `fixed` (±0.5 %, seed 001). */
  thresholds: 'vix',
} as const;

/** The synthetic market's default seed (the first bar's date). */
export const DATA_DEFAULTS = { seed: 20000127 } as const;
