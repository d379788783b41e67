/** Runs checklist steps: one attempt per launch, each cancellable, each ending in step/passed or step/failed. */
import type { SessionEvent } from '../core/events.js';
import { stepKind, type Step } from '../runbook/schema.js';
import { executeStep, type ExecuteContext } from './execute.js';

/** The running steps of a session. */
export class StepRunner {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly x: ExecuteContext,
    private readonly emit: (e: SessionEvent) => Promise<void>,
    /** The journal sequence the next event will get: command ids are stamped from it, so they stay unique across resumes. */
    private readonly nextSeq: () => number,
  ) {}

  /** Steps launched and not yet settled (their step/started may not be folded yet). */
  launching(): ReadonlySet<string> {
    return new Set(this.running.keys());
  }

  /** How many steps are running. */
  get size(): number {
    return this.running.size;
  }

  /** Starts one attempt of `step` in phase `phase`. The caller has asked `refusal` first. */
  launch(step: Step, phase: string): void {
    const abort = new AbortController();
    const done = (async () => {
      try {
        const manual = stepKind(step) === 'manual';
        const id = `${step.id}#${this.nextSeq()}`;
        await this.emit({
          type: 'step/started',
          t: this.x.ctx.now(),
          phase,
          step: step.id,
          ...(manual ? { operator: this.x.operator } : {}),
        });
        const r = await executeStep(this.x, step, abort.signal, id);
        if (r.ok) await this.emit({ type: 'step/passed', t: this.x.ctx.now(), step: step.id, ...(r.detail ? { detail: r.detail } : {}) });
        else await this.emit({ type: 'step/failed', t: this.x.ctx.now(), step: step.id, error: r.error });
      } catch {
        /* the session has ended: nothing more is recorded */
      } finally {
        this.running.delete(step.id);
      }
    })();
    this.running.set(step.id, { abort, done });
  }

  /** Cancels every running step (their commands get TERM); resolves when they have all settled. */
  cancelAll(): Promise<void> {
    for (const r of this.running.values()) r.abort.abort();
    return this.settled();
  }

  /** Resolves when no step is running. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }
}
