/**
 * The demo's first-run hint: the keys that matter, shown over the console the first time a user
 * runs `cutover demo` (until a key closes it), then never again for that user: a marker file in
 * the state directory beside the sessions records that it was read.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sessionsDir } from '../journal/paths.js';
import type { ConsoleHint } from '../ui/model.js';

/** The marker: `$XDG_STATE_HOME/cutover/demo-hint-read` (else under ~/.local/state). */
export function hintMarker(env: NodeJS.ProcessEnv): string {
  return path.join(path.dirname(sessionsDir(env)), 'demo-hint-read');
}

/** The hint, unless this user closed it in an earlier demo. */
export function demoHint(env: NodeJS.ProcessEnv): ConsoleHint | undefined {
  const marker = hintMarker(env);
  if (existsSync(marker)) return undefined;
  return {
    title: 'cutover demo: a deploy that goes wrong',
    // At most 70 characters a line: the whole hint reads at 80x24.
    lines: [
      'v2.1.0 goes to blue, then traffic follows; it breaks at 50% traffic.',
      '',
      'Enter      run the selected step (the line under it says what, where)',
      'g, Enter   say GO at a gate (Enter on the gate opens it)',
      'c          cancel an automatic rollback during its countdown',
      'R, then Y  roll back by hand (R lists every command and host)',
      'Tab, 1-4   move between panes; z zooms the focused one',
      'e          timeline: the story (default) or every event',
      '?          every key, and why one is refused; q quits, cleans up',
    ],
    dismissed() {
      try {
        mkdirSync(path.dirname(marker), { recursive: true, mode: 0o700 });
        writeFileSync(marker, 'the demo hint was read; delete this file to see it again\n', { mode: 0o600 });
      } catch {
        // Not remembered (a read-only home): the hint shows again next time, nothing worse.
      }
    },
  };
}
