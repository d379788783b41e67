/**
 * How long to wait before another attempt: exponential (0.5 s, 1 s, 2 s, ...) with jitter, so that
 * several consoles whose webhook fell over do not all come back at the same instant; a server's
 * `Retry-After` is honoured, up to a cap (a webhook that asks for an hour is not waited for).
 */

/** The first retry's base wait. */
export const BASE_DELAY_MS = 500;
/** The longest wait between attempts, whatever the server asks. */
export const MAX_DELAY_MS = 30_000;

/** The wait before attempt `attempt + 1` (after `attempt` failed ones); `random` in [0, 1). */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  // Between half and one and a half times the base: spread out, and still growing attempt by attempt.
  const jittered = base / 2 + random() * base;
  return Math.min(MAX_DELAY_MS, Math.max(jittered, retryAfterMs ?? 0));
}
