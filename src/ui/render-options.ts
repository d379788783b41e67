/** How the console is mounted on an operator's terminal. */
import chalk from 'chalk';

/**
 * Ink's options for the console. `interactive` is set because the caller has already checked that
 * stdout is a terminal: Ink would otherwise draw nothing until exit whenever CI=true is in the
 * environment (a tmux test, or an operator's shell that happens to carry it).
 */
export const CONSOLE_RENDER = {
  alternateScreen: true,
  interactive: true,
  incrementalRendering: true,
  maxFps: 30,
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
