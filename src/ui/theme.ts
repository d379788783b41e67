/** Colours by meaning, so NO_COLOR (and replay screenshots) strip them in one place. */
import type { LineKind } from '../core/select-timeline.js';
import type { PanelStatus } from '../core/select-health.js';

/** A colour name Ink understands, or undefined for the terminal's default. */
export type Color = string | undefined;

/** True when colour is allowed: NO_COLOR unset (https://no-color.org). */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

export const STATUS_COLOR: Record<PanelStatus, Color> = {
  ok: 'green',
  warn: 'yellow',
  crit: 'red',
  nodata: 'magenta',
  stale: 'magenta',
  unreachable: 'red',
  error: 'red',
  waiting: 'gray',
  unknown: 'magenta',
};

export const KIND_COLOR: Record<LineKind, Color> = {
  session: 'cyan',
  metric: 'gray',
  step: 'white',
  command: 'blue',
  output: 'gray',
  gate: 'magenta',
  trigger: 'yellow',
  rollback: 'red',
  note: 'green',
  error: 'red',
};

/** Status words that say the same as the colour, for NO_COLOR and for colour-blind operators. */
export const STATUS_MARK: Record<PanelStatus, string> = {
  ok: 'OK',
  warn: 'WARN',
  crit: 'CRIT',
  nodata: 'NO DATA',
  stale: 'STALE',
  unreachable: 'UNREACHABLE',
  error: 'ERROR',
  waiting: '…',
  unknown: 'UNKNOWN',
};
