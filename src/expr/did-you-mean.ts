/**
 * "Did you mean …?" suggestions for misspelt names (step ids, fields, CEL variables).
 *
 * A suggestion is only offered when it is plausibly a typo: the edit distance must stay within a third of
 * the name's length (at least one edit), so `dependecies` suggests `dependencies` but `foo` does not
 * suggest `tier`, and only guesses about as close as the best one are offered.
 */

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    table.push(row);
  }
  const first = table[0] ?? [];
  for (let j = 0; j < cols; j++) first[j] = j;
  for (let i = 1; i < rows; i++) {
    const row = table[i] ?? [];
    const previous = table[i - 1] ?? [];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (table[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row[j] = best;
    }
  }
  return table[a.length]?.[b.length] ?? Math.max(a.length, b.length);
}

/** The candidates closest to `name` (best first, at most `limit`), keeping only plausible typos. */
export function closestMatches(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lowered = name.toLowerCase();
  const budget = Math.max(1, Math.floor(name.length / 3));
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const other = candidate.toLowerCase();
    const distance = editDistance(lowered, other);
    if (distance <= budget) scored.push({ candidate, distance });
    // A name cut short (`npm/bump` for `npm/bump-dependency`) is a plausible guess too.
    else if (lowered.length >= 3 && other.startsWith(lowered)) scored.push({ candidate, distance: budget });
  }
  scored.sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  // Only the near-best: a far second guess next to a clear first one is noise.
  const best = scored[0]?.distance ?? 0;
  return scored
    .filter((entry) => entry.distance <= best + 1)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** `; did you mean a, b or c?` or '' when nothing is close enough. */
export function didYouMean(name: string, candidates: Iterable<string>, limit = 3): string {
  const matches = closestMatches(name, candidates, limit);
  if (matches.length === 0) return '';
  if (matches.length === 1) return `; did you mean ${matches[0]}?`;
  return `; did you mean ${matches.slice(0, -1).join(', ')} or ${matches[matches.length - 1]}?`;
}
