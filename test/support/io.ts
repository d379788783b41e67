/** An in-memory Io for running CLI commands in-process. */
import type { Io } from '../../src/cli/usage.js';

export interface CapturedIo extends Io {
  stdout: () => string;
  stderr: () => string;
}

export function captureIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    env,
    isTTY: false,
    stdout: () => out,
    stderr: () => err,
  };
}
