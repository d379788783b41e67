/**
 * Show before acting: once Enter started a step, the cursor moves on by itself, and the item it
 * lands on has not been read yet. A second Enter close behind the first (a double press, a key
 * repeat, a paste) must not run it: Enter on that item waits a moment after it is first drawn.
 */
import type { UiState } from '../../use-console-ui.js';

/** How long Enter waits, from when the item the cursor moved to was first drawn selected. */
export const SETTLE_MS = 750;

/** Why Enter on the item at `cursor` (titled `title`) must wait, or nothing; `now` on performance.now()'s clock. */
export function settling(ui: Pick<UiState, 'moved'>, cursor: number, title: string, now: number = performance.now()): string | undefined {
  const m = ui.moved;
  if (!m || m.cursor !== cursor) return undefined;
  // Not drawn yet (keys of the same read), or drawn too recently to have been read.
  if (m.readyAt !== undefined && now >= m.readyAt) return undefined;
  // What to do first, the title last: a narrow footer cuts the end, and the title is on screen anyway.
  return `just moved here: read it, then press Enter again ("${title}")`;
}
