/** Exit codes of `cutover run` and `cutover demo`: 0 done, 1 failed or rolled back (or left unfinished), 3 stopped at a gate. */
import type { Outcome } from '../../core/events.js';

export function exitCodeOf(outcome: Outcome): number {
  return outcome === 'completed' ? 0 : outcome === 'stopped-at-gate' ? 3 : 1;
}
