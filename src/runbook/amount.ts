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

/** A count as is, a percentage of `total` rounded down. */
function floorAmount(a: Amount, total: number): number {
  if ('count' in a) return a.count;
  // The epsilon keeps 30% of 10 at 3 despite 0.3 * 10 = 2.9999999999999996.
  return Math.floor((a.percent / 100) * total + 1e-9);
}

/**
 * Hosts per batch, like Ansible's `serial`: a percentage rounds down with a minimum of one host,
 * and a batch never exceeds the group (0 or a missing batch means the whole group at once).
 */
export function resolveBatch(a: Amount | undefined, total: number): number {
  if (total <= 0) return 0;
  if (a === undefined) return total;
  const n = floorAmount(a, total);
  if ('count' in a && n === 0) return total;
  return Math.min(total, Math.max(1, n));
}

/**
 * Failures a fan-out tolerates: it stops launching hosts when failures EXCEED this number, so
 * `maxFail: 0` stops at the first failure and `maxFail: 25%` of 10 hosts tolerates 2 (rounded
 * down, as Ansible's max_fail_percentage aborts once the failed share is strictly above it).
 * A missing maxFail tolerates every failure.
 */
export function resolveMaxFail(a: Amount | undefined, total: number): number {
  if (a === undefined) return Infinity;
  return floorAmount(a, total);
}
