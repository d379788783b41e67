/**
 * Exit codes of `cutover run` and `cutover demo` (DESIGN.md's table): 0 done, 3 stopped at a gate,
 * 1 for everything else: failed, aborted, quit unfinished, and every rollback outcome (a rollback
 * that finished ok still means the deploy did not happen).
 */
import type { Outcome } from '../../core/events.js';

/** The process exit code for how the session ended. */
export function exitCodeOf(outcome: Outcome): number {
  return outcome === 'completed' ? 0 : outcome === 'stopped-at-gate' ? 3 : 1;
}
