/**
 * "Did you mean": rank known names by edit distance to a name that was not found.
 *
 * Invariants: comparison is case-insensitive; a name is scored by the smaller of the distance
 * between the full names and the distance between the parts after the last `/` (so `Copy`
 * finds `core/Copy` and `core/Coppy` finds `core/Copy`); only names within a distance that
 * grows with the length (at least 2, a third of the short name) are offered, best first, ties
 * by name, at most `limit` of them.
 */

/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = row;
  }
  return prev[b.length];
}

function tail(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const short = tail(lower);
  const threshold = Math.max(2, Math.ceil(short.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const c = candidate.toLowerCase();
    const score = Math.min(editDistance(lower, c), editDistance(short, tail(c)));
    if (score <= threshold) scored.push({ name: candidate, score });
  }
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.name);
}

/** `did you mean 'a', 'b' or 'c'?`, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const names = closestNames(name, candidates).map((n) => `'${n}'`);
  if (names.length === 0) return undefined;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `did you mean ${list}?`;
}
