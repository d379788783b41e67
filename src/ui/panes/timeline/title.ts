/** The timeline pane's title says which view it shows, and whether it follows the newest line. */
import type { UiState } from '../../use-console-ui.js';

/** What follows "3 Timeline" in the pane's border: `: story (following)`, `: all events`. */
export function timelineTitle(ui: Pick<UiState, 'raw' | 'offset'>): string {
  return `: ${ui.raw ? 'all events' : 'story'}${ui.offset === 0 ? ' (following)' : ''}`;
}
