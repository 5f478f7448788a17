/** "Did you mean …?" suggestions: the candidate closest to a misspelt word. */

/** Options of {@link nearest}. */
export interface NearestOptions {
  /**
   * The largest edit distance that still counts as a likely typo.
   * @default 0 for one character, 1 up to 4 characters, 2 up to 8, 3 beyond
   */
  maxDistance?: number;
}

/**
 * Returns the candidate closest to `word`, or `undefined` when none is close enough to be a likely
 * typo. Comparison ignores case, so `Name` suggests `name`; a swap of two neighbouring letters
 * counts as one edit, so `nmae` suggests `name`. Ties go to the earliest candidate.
 */
export function nearest(
  word: string,
  candidates: Iterable<string>,
  options: NearestOptions = {},
): string | undefined {
  const limit = options.maxDistance ?? defaultMaxDistance(word.length);
  const lowered = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // Cheap reject: the length difference alone is a lower bound of the distance.
    if (Math.abs(other.length - lowered.length) >= bestDistance) continue;
    const d = editDistance(lowered, other, bestDistance - 1);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return best;
}

/** Short words get a small allowance so that unrelated short names are not suggested. */
function defaultMaxDistance(length: number): number {
  if (length <= 1) return 0;
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions and swaps of adjacent
 * characters). Returns `cap + 1` as soon as the distance is known to exceed `cap`.
 */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const width = b.length + 1;
  // Three rolling rows: the one two back is needed for adjacent swaps.
  let previous2 = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (previous2[j - 2] ?? 0) + 1);
      }
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > cap) return cap + 1;
    [previous2, previous, current] = [previous, current, previous2];
  }
  return previous[b.length] ?? 0;
}
