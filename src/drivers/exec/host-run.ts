/** The events of one command on one host: started on creation, output as it comes, exited at the end. */
import type { DriverContext } from '../context.js';
import type { CommandOutput, StreamName } from './output.js';
import type { Outcome } from './outcome.js';

/** What a host's command came to. `error`: it never ran (connect, host key, auth). */
export interface HostResult {
  host: string;
  /** The command id in events; absent for hosts that were never launched. */
  cmd?: string;
  status: 'ok' | 'failed' | 'error' | 'skipped';
  code: number | null;
  signal?: string;
  error?: string;
  ms: number;
}

interface Started {
  cmd: string;
  step: string;
  host: string;
  command: string;
  level?: string;
}

/** Emits one command's events and builds its result. */
export class HostRun {
  /** The command's output sink. */
  readonly output: CommandOutput;
  private readonly t0: number;

  constructor(
    private readonly ctx: DriverContext,
    private readonly s: Started,
    makeOutput: (emit: (stream: StreamName, text: string) => void) => CommandOutput,
  ) {
    this.t0 = ctx.now();
    ctx.emit({ type: 'command/started', t: this.t0, ...s });
    this.output = makeOutput((stream, text) => ctx.emit({ type: 'command/output', t: ctx.now(), cmd: s.cmd, host: s.host, stream, text }));
  }

  /** Flushes the output, emits `command/exited`, and returns the result. */
  finish(o: Outcome): HostResult {
    this.output.end();
    const t = this.ctx.now();
    const ms = Math.max(0, t - this.t0);
    this.ctx.emit({
      type: 'command/exited',
      t,
      cmd: this.s.cmd,
      host: this.s.host,
      code: o.code,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.error ? { error: o.error } : {}),
      ms,
    });
    const status = o.code === 0 && !o.error ? 'ok' : o.started ? 'failed' : 'error';
    return {
      host: this.s.host,
      cmd: this.s.cmd,
      status,
      code: o.code,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.error ? { error: o.error } : {}),
      ms,
    };
  }
}
