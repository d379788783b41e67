/**
 * How the console is mounted on an operator's terminal. `interactive` is set because the caller has
 * already checked that stdout is a terminal: Ink would otherwise draw nothing until exit whenever
 * CI=true is in the environment (a tmux test, or an operator's shell that happens to carry it).
 */
export const CONSOLE_RENDER = {
  alternateScreen: true,
  interactive: true,
  incrementalRendering: true,
  maxFps: 30,
  patchConsole: false,
  exitOnCtrlC: false,
} as const;
