/** A small seeded PRNG (mulberry32), so a run's random choices can be replayed from its seed. */

/** The seed from RAMPART_E2E_SEED, else a fresh one. */
export function chooseSeed(): number {
  const given = process.env.RAMPART_E2E_SEED;
  if (given !== undefined && given !== '') return Number(given) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/** Whole numbers in `[min, max]`, the same sequence for the same seed. */
export function randomInts(seed: number): (min: number, max: number) => number {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return (min, max) => min + Math.floor(next() * (max - min + 1));
}
