/** Usage mistakes: exit 64 with a one-line hint (sysexits EX_USAGE). */

export const EX_USAGE = 64;
export const EX_UNAVAILABLE = 69;

/** Thrown for a usage mistake; main prints `cutover: <message>` and exits 64. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The output streams and environment a command uses, so tests can run commands in-process. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** The process's own streams. */
export function processIo(): Io {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}
