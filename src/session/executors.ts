/** What the session needs from the exec drivers: run a `run` or `local` step, count connections. */
import type { DriverContext } from '../drivers/context.js';
import type { HostSpec, Runbook, Step } from '../runbook/schema.js';

/** A `run` step's action, as the runbook gives it. */
export type RunAction = NonNullable<Step['run']>;
/** A `local` step's action, as the runbook gives it. */
export type LocalAction = NonNullable<Step['local']>;

/** How a step's commands ended, for the step's own passed/failed event. */
export interface ExecOutcome {
  ok: boolean;
  /** One line: "4/4 hosts ok", "app-b2: exit 1; 1 host not started (maxFail)". */
  summary: string;
}

/** One step's commands to run; `level` is set for rollback steps. Events go through `ctx`. */
export interface ExecRequest {
  ctx: DriverContext;
  step: string;
  level?: string;
  /** Prefix of the command ids, `STEP#SEQ`: stamped from the journal's sequence, so ids stay unique across resumes. */
  id?: string;
  signal: AbortSignal;
}

/** The executors behind `run` and `local` steps (SSH fan-out and execa in production). */
export interface Executors {
  remote(req: ExecRequest & { group: string; hosts: HostSpec[]; run: RunAction; runbook: Runbook }): Promise<ExecOutcome>;
  local(req: ExecRequest & { local: LocalAction; runbook: Runbook }): Promise<ExecOutcome>;
  /** Keeps the hosts of the rollback levels connected ahead of a rollback, reporting readiness through `ctx`; returns its stop. */
  warm?(ctx: DriverContext, levels: { level: string; hosts: HostSpec[] }[]): () => void;
  /** Open SSH connections, for the status bar. */
  connections(): number;
  /** Closes every connection. */
  close(): Promise<void>;
}
