/** Skip-idle: long stretches with nothing but metrics and alerts are jumped over while playing. */
import type { JournalIndex } from './indexer.js';

/** A stretch with no activity longer than this (session time) is jumped over... */
export const IDLE_GAP_MS = 5000;
/** ...to this long before the next activity, so it is seen coming. */
export const IDLE_LEAD_MS = 1000;

/** Where the clock should jump to from `now` (with `position` events folded), or undefined to play on. */
export function idleSkip(ix: JournalIndex, position: number, now: number, end: number): number | undefined {
  const a = ix.nextActivity(position);
  const next = a < ix.count ? ix.times.at(a) : ix.done ? end : undefined;
  return next !== undefined && next - now > IDLE_GAP_MS ? next - IDLE_LEAD_MS : undefined;
}
