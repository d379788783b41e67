/** How a command ended, shared by the SSH and local executors. */
import { formatDuration } from '../../runbook/duration.js';

/** `error` is set when the command did not run, or did not finish on its own (timeout, cancel, lost). */
export interface Outcome {
  code: number | null;
  signal?: string;
  error?: string;
  /** True once the command was started (on the host, or as a local process). */
  started?: boolean;
}

/** Durations in messages (`500ms`, `10s`, `1.5s`, `1m30s`): the one duration formatter. */
export function formatMs(ms: number): string {
  return formatDuration(ms);
}
