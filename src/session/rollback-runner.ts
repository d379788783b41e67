/** Runs a confirmed rollback level step by step; abortable; waits for the deploy steps it cancels. */
import type { SessionEvent } from '../core/events.js';
import type { RollbackLevel } from '../runbook/schema.js';
import { executeStep, type ExecuteContext } from './execute.js';

/** The session's one rollback at a time. */
export class RollbackRunner {
  private abort: AbortController | undefined;
  private done: Promise<void> | undefined;

  constructor(
    private readonly x: ExecuteContext,
    private readonly emit: (e: SessionEvent) => Promise<void>,
    private readonly nextSeq: () => number,
  ) {}

  /** True from the confirmation until the run has recorded its end. */
  get active(): boolean {
    return this.abort !== undefined;
  }

  /** The level of the run in progress (known before its confirmation is folded into state). */
  level: string | undefined;

  /**
   * Runs `level` (the caller has asked `refusal`). `stopDeploy`, when deploy steps run, cancels them and
   * resolves once they have settled or `graceMs` has passed, with the deploy commands still running then:
   * no rollback command starts before that, and what still runs is journaled by host.
   */
  start(
    level: RollbackLevel,
    by: string,
    auto: boolean,
    stopDeploy?: { graceMs: number; run: () => Promise<{ cmd: string; host: string }[]> },
    /** The second person who approved it (a level with approvals: 2). */
    approvedBy?: string,
  ): void {
    const abort = new AbortController();
    this.abort = abort;
    this.level = level.id;
    const started = this.x.ctx.now();
    this.done = (async () => {
      try {
        await this.emit({
          type: 'rollback/confirmed',
          t: started,
          level: level.id,
          operator: by,
          ...(approvedBy ? { approvedBy } : {}),
          ...(auto ? { auto: true } : {}),
          ...(stopDeploy ? { graceMs: stopDeploy.graceMs } : {}),
        });
        if (stopDeploy) {
          const running = await stopDeploy.run();
          await this.emit({ type: 'rollback/waited', t: this.x.ctx.now(), level: level.id, ms: this.x.ctx.now() - started, running });
        }
        let ok = true;
        for (const step of level.steps) {
          if (abort.signal.aborted) break;
          const id = `${step.id}#${this.nextSeq()}`;
          await this.emit({ type: 'rollback/step', t: this.x.ctx.now(), level: level.id, step: step.id, status: 'started' });
          const r = await executeStep(this.x, step, abort.signal, id, level.id);
          await this.emit({
            type: 'rollback/step',
            t: this.x.ctx.now(),
            level: level.id,
            step: step.id,
            status: r.ok ? 'passed' : 'failed',
            ...(r.ok ? {} : { error: r.error }),
          });
          if (!r.ok) {
            ok = false;
            break;
          }
        }
        await this.emit({
          type: 'rollback/finished',
          t: this.x.ctx.now(),
          level: level.id,
          ok: ok && !abort.signal.aborted,
          ms: this.x.ctx.now() - started,
          ...(abort.signal.aborted ? { aborted: true } : {}),
        });
      } catch {
        /* the session has ended: nothing more is recorded */
      } finally {
        this.abort = undefined;
      }
    })();
  }

  /** Cancels the running rollback's commands; no further step starts. */
  cancel(): void {
    this.abort?.abort();
  }

  /** Resolves once the current run (if any) has recorded its end. */
  async settled(): Promise<void> {
    await this.done;
  }
}
