/**
 * mulberry32: a tiny seeded generator, so that the random strategy is reproducible (the engine is deterministic:
 * the same events, clock and seed give the same decisions, which is what lets a property test replay a failure).
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
