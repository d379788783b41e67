/** Counts or percentages, as `batch` and `maxFail` take them: `2`, `25%`. */

/** A count of hosts, or a percentage of a group. */
export type Amount = { count: number } | { percent: number };

export const AMOUNT_PATTERN = '^\\d+(?:\\.\\d+)?%$';

/** Parses `3` or `"25%"`; returns undefined for anything else. */
export function parseAmount(v: unknown): Amount | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { count: v };
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
    if (m) return { percent: Number(m[1]) };
    if (/^\s*\d+\s*$/.test(v)) return { count: Number(v) };
  }
  return undefined;
}

/** Resolves an amount against a group size. Percentages round up, like Ansible's `serial`. */
export function resolveAmount(a: Amount, total: number): number {
  if ('count' in a) return a.count;
  return Math.ceil((a.percent / 100) * total);
}
