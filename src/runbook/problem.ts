/** A problem found in a user's file, located by line and column (both 1-based). */
export interface Problem {
  file: string;
  line?: number;
  col?: number;
  message: string;
}

/** `FILE:LINE:COL: message`, or `FILE: message` when no position applies. */
export function formatProblem(p: Problem): string {
  return p.line === undefined ? `${p.file}: ${p.message}` : `${p.file}:${p.line}:${p.col ?? 1}: ${p.message}`;
}

/** Orders problems by position, so the first line printed is the first mistake in the file. */
export function sortProblems(ps: Problem[]): Problem[] {
  return [...ps].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/** Edit distance, for "did you mean" hints on misspelled field names and ids. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
