/**
 * "Did you mean" candidates for a misspelt name: the same name in another case, names within a
 * Damerau–Levenshtein distance of 2 (1 for names of up to 3 characters), and, when neither
 * exists, abbreviations (`maxConnections` for `maximumConnections`).
 */

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/** The last word of a camelCase / dotted / dashed name, lower-cased. */
function lastWord(s: string): string {
  const m = /([A-Z]?[a-z0-9]+|[A-Z]+)$/.exec(s.replace(/[-_.]+$/, ''));
  return (m ? m[1] : s).toLowerCase();
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (short[i] === long[j]) i++;
  return i === short.length;
}

/**
 * Candidates for `name` among `known`, best first. An empty list when nothing is close.
 * `name` itself (exact) is never returned.
 */
export function suggest(name: string, known: Iterable<string>): string[] {
  const lower = name.toLowerCase();
  const all = [...new Set(known)].filter((k) => k !== name);
  const sameCase = all.filter((k) => k.toLowerCase() === lower);
  if (sameCase.length) return sameCase;
  const limit = name.length <= 3 ? 1 : 2;
  const near: { k: string; d: number }[] = [];
  for (const k of all) {
    if (k.length <= 3 && limit > 1 && editDistance(lower, k.toLowerCase(), 1) > 1) continue;
    const d = editDistance(lower, k.toLowerCase(), limit);
    if (d <= limit) near.push({ k, d });
  }
  if (near.length) return near.sort((x, y) => x.d - y.d || (x.k < y.k ? -1 : 1)).map((x) => x.k);
  if (name.length < 4) return [];
  const word = lastWord(name);
  return all
    .filter((k) => {
      const kl = k.toLowerCase();
      return kl.length > lower.length && kl[0] === lower[0] && lastWord(k) === word && isSubsequence(lower, kl);
    })
    .sort();
}
