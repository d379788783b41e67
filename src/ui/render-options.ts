/** How the console is mounted on an operator's terminal. */
import chalk from 'chalk';

/**
 * Ink's options for the console. `interactive` is set because the caller has already checked that
 * stdout is a terminal: Ink would otherwise draw nothing until exit whenever CI=true is in the
 * environment (a tmux test, or an operator's shell that happens to carry it). `maxFps` 60: Ink
 * draws only when something changed (the store publishes 4 times a second, keys), so the cap is
 * how long a key's frame may wait after the last one: at 30 fps, 33 ms of a keypress's p99 of 60 ms
 * under load; at 60, p99 37 ms for 1.3 points of a core more (test/bench/console.bench.mjs).
 */
export const CONSOLE_RENDER = {
  alternateScreen: true,
  interactive: true,
  incrementalRendering: true,
  maxFps: 60,
  patchConsole: false,
  exitOnCtrlC: false,
} as const;

/**
 * Lets Ink's styles through on a terminal. Ink styles text with chalk (the copy this package
 * shares with it), which turns off every style, bold and inverse too, when CI is in the
 * environment; the console has already decided colour itself (NO_COLOR), and its alerts need
 * at least inverse and bold. Basic colours only, which is all the theme uses; FORCE_COLOR=0 still wins.
 */
export function allowStyles(): void {
  if (chalk.level === 0 && process.env.FORCE_COLOR === undefined) chalk.level = 1;
}
