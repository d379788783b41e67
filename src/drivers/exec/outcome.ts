/** How a command ended, shared by the SSH and local executors. */

/** `error` is set when the command did not run, or did not finish on its own (timeout, cancel, lost). */
export interface Outcome {
  code: number | null;
  signal?: string;
  error?: string;
  /** True once the command was started (on the host, or as a local process). */
  started?: boolean;
}

/** Durations in messages: `500ms`, `10s`, `1.5s`, `2m`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  return `${+(ms / 60_000).toFixed(1)}m`;
}
