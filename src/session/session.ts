/**
 * A live session: turns the operator's intents (tick, run, skip, decide a gate, roll back, note)
 * and the drivers' output into events. Panes never call this directly; the console's bindings do.
 */
import { randomUUID } from 'node:crypto';
import type { SessionEvent, Outcome } from '../core/events.js';
import type { SessionState } from '../core/state.js';
import { stepBlocker } from '../core/select-checklist.js';
import type { DriverContext } from '../drivers/context.js';
import type { JournalWriter } from '../journal/writer.js';
import { stepKind, type Runbook, type Step } from '../runbook/schema.js';
import type { Executors, ExecOutcome } from './executors.js';
import { expectNow, httpProbe, type ProbeResult } from './probes.js';
import { EventStore } from './store.js';

/** Something that runs beside the session and emits events (the Prometheus poller, triggers). */
export interface Driver {
  stop(): Promise<void> | void;
}

export interface SessionOptions {
  runbook: Runbook;
  runbookPath: string;
  runbookSha256: string;
  operator: string;
  mode: 'live' | 'demo';
  version: string;
  journal?: JournalWriter<SessionEvent>;
  executors: Executors;
  /** Starts the drivers that feed the session (given the context to emit through). */
  drivers?: (ctx: DriverContext) => Driver[];
  clock?: () => number;
  env?: NodeJS.ProcessEnv;
  publishMs?: number;
  onJournalError?: (e: Error) => void;
  /** Events already in the journal (resume): folded first, then a session/resumed event. */
  resumeFrom?: readonly SessionEvent[];
}

/** The result of an intent: undefined when accepted, else why not (shown to the operator). */
export type Refusal = string | undefined;

export class Session {
  readonly store: EventStore;
  readonly ctx: DriverContext;
  readonly operator: string;
  private readonly running = new Map<string, AbortController>();
  private rollbackAbort: AbortController | undefined;
  private rollbackDone: Promise<void> | undefined;
  private countdown: NodeJS.Timeout | undefined;
  private drivers: Driver[] = [];
  private ended = false;
  private readonly clock: () => number;

  constructor(private readonly opts: SessionOptions) {
    this.clock = opts.clock ?? Date.now;
    this.operator = opts.operator;
    this.store = new EventStore(opts.journal, opts.publishMs ?? 250, opts.onJournalError);
    this.ctx = { emit: (e) => void this.emit(e).catch(() => {}), now: this.clock };
  }

  /** Starts the session: the first event, then the drivers. */
  async start(): Promise<void> {
    const o = this.opts;
    if (o.resumeFrom?.length) {
      this.store.load(o.resumeFrom);
      await this.emit({ type: 'session/resumed', t: this.clock(), operator: o.operator, afterSeq: o.resumeFrom.length });
    } else {
      await this.emit({
        type: 'session/started', t: this.clock(), sessionId: randomUUID(), runbook: o.runbook, runbookPath: o.runbookPath,
        runbookSha256: o.runbookSha256, operator: o.operator, mode: o.mode, version: o.version,
      });
    }
    this.drivers = o.drivers?.(this.ctx) ?? [];
  }

  /** The current state. */
  get state(): SessionState {
    return this.store.getState();
  }

  /** Now, by the session's clock. */
  now(): number {
    return this.clock();
  }

  /** Open SSH connections, for the status bar. */
  connections(): number {
    return this.opts.executors.connections();
  }

  /** True while a step or a rollback is running (quitting then asks first). */
  busy(): boolean {
    return this.running.size > 0 || this.rollbackAbort !== undefined;
  }

  /** Emits an event through the store (journal, then state); reacts to auto-rollback recommendations. */
  emit(e: SessionEvent): Promise<void> {
    const done = this.store.emit(e);
    if (e.type === 'rollback/recommended' && e.countdownUntil !== undefined) done.then(() => this.armCountdown(e.level, e.countdownUntil!), () => {});
    return done;
  }

  /** Enter on a step: ticks a manual step, runs any other kind. */
  act(stepId: string): Refusal {
    const step = this.findStep(stepId);
    if (!step) return `no step '${stepId}'`;
    const blocked = this.blocker(stepId);
    if (blocked) return blocked;
    const st = this.state.steps[stepId]?.status;
    if (st === 'passed') return 'already passed';
    if (st === 'failed') return 'failed: press r to retry or s to skip';
    this.launch(step);
    return undefined;
  }

  /** Retries a failed step. */
  retry(stepId: string): Refusal {
    const step = this.findStep(stepId);
    if (!step) return `no step '${stepId}'`;
    if (this.state.steps[stepId]?.status !== 'failed') return 'only a failed step can be retried';
    const blocked = this.blocker(stepId);
    if (blocked) return blocked;
    this.launch(step);
    return undefined;
  }

  /** Skips a step with the operator's reason (a decision: journaled before it shows). */
  skip(stepId: string, reason: string): Refusal {
    if (!this.findStep(stepId)) return `no step '${stepId}'`;
    if (!reason.trim()) return 'a skip needs a reason';
    const st = this.state.steps[stepId]?.status;
    if (st === 'running') return 'running: wait for it, or let it fail';
    if (st === 'passed' || st === 'skipped') return `already ${st}`;
    const blocked = this.blocker(stepId);
    if (blocked) return blocked;
    void this.emit({ type: 'step/skipped', t: this.clock(), step: stepId, reason: reason.trim(), operator: this.operator }).catch(() => {});
    return undefined;
  }

  /** Decides a phase's gate. No-go needs a reason. */
  decideGate(phaseId: string, decision: 'go' | 'no-go', reason: string): Refusal {
    const phase = this.state.session?.runbook.phases.find((p) => p.id === phaseId);
    if (!phase?.gate) return `phase '${phaseId}' has no gate`;
    if (decision === 'no-go' && !reason.trim()) return 'a no-go needs a reason';
    if (this.state.gates[phaseId]?.decision === 'go') return 'this gate already said go';
    const open = phase.steps.filter((s) => !['passed', 'skipped'].includes(this.state.steps[s.id]?.status ?? 'pending'));
    if (open.length) return `finish the phase first: ${open.map((s) => s.id).join(', ')} not done`;
    const e: SessionEvent = { type: 'gate/decided', t: this.clock(), phase: phaseId, decision, operator: this.operator, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    void this.emit(e).catch(() => {});
    return undefined;
  }

  /** Adds an operator's note to the timeline. */
  note(text: string): Refusal {
    if (!text.trim()) return 'empty note';
    void this.emit({ type: 'note/added', t: this.clock(), operator: this.operator, text: text.trim() }).catch(() => {});
    return undefined;
  }

  /** Confirms and runs a rollback level (the second deliberate keystroke, or an auto trigger's countdown). */
  confirmRollback(levelId: string, auto = false, by = this.operator): Refusal {
    const level = this.state.session?.runbook.rollback?.levels.find((l) => l.id === levelId);
    if (!level) return `no rollback level '${levelId}'`;
    if (this.rollbackAbort) return 'a rollback is already running';
    this.clearCountdown();
    const abort = new AbortController();
    this.rollbackAbort = abort;
    const started = this.clock();
    this.rollbackDone = (async () => {
      try {
        await this.emit({ type: 'rollback/confirmed', t: started, level: levelId, operator: by, ...(auto ? { auto: true } : {}) });
        // The deploy must not race its own rollback: steps still running are cancelled (they fail as such).
        for (const c of this.running.values()) c.abort();
        let ok = true;
        for (const step of level.steps) {
          if (abort.signal.aborted) break;
          await this.emit({ type: 'rollback/step', t: this.clock(), level: levelId, step: step.id, status: 'started' });
          const r = await this.execute(step, abort.signal, levelId);
          const status = r.ok ? 'passed' : 'failed';
          await this.emit({ type: 'rollback/step', t: this.clock(), level: levelId, step: step.id, status, ...(r.ok ? {} : { error: r.error }) });
          if (!r.ok) {
            ok = false;
            break;
          }
        }
        await this.emit({ type: 'rollback/finished', t: this.clock(), level: levelId, ok: ok && !abort.signal.aborted, ms: this.clock() - started });
      } catch {
        /* the journal failed: the store reported it; nothing more can be recorded */
      } finally {
        this.rollbackAbort = undefined;
      }
    })();
    return undefined;
  }

  /** Aborts the running rollback: commands are cancelled, no further step starts. */
  abortRollback(reason = ''): Refusal {
    const run = this.state.rollback.run;
    if (!this.rollbackAbort || !run) return 'no rollback is running';
    void this.emit({ type: 'rollback/aborted', t: this.clock(), level: run.level, operator: this.operator, ...(reason ? { reason } : {}) }).catch(() => {});
    this.rollbackAbort.abort();
    return undefined;
  }

  /** Cancels an auto-rollback countdown, or dismisses the current recommendation. */
  dismissRecommendation(): Refusal {
    const rec = this.state.rollback.recommended;
    if (!rec) return 'nothing is recommended';
    this.clearCountdown();
    void this.emit({ type: 'rollback/dismissed', t: this.clock(), level: rec.level, operator: this.operator }).catch(() => {});
    return undefined;
  }

  /** Waits for the running rollback (tests, and quitting after an abort). */
  async rollbackSettled(): Promise<void> {
    await this.rollbackDone;
  }

  /** Ends the session: cancels what runs, stops the drivers, records the outcome, closes the journal. */
  async end(outcome: Outcome, reason?: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.clearCountdown();
    for (const c of this.running.values()) c.abort();
    this.rollbackAbort?.abort();
    await Promise.allSettled(this.drivers.map((d) => d.stop()));
    await this.rollbackDone?.catch(() => {});
    await this.emit({ type: 'session/ended', t: this.clock(), outcome, ...(reason ? { reason } : {}) }).catch(() => {});
    await this.store.settled().catch(() => {});
    await this.opts.executors.close().catch(() => {});
    await this.opts.journal?.close().catch(() => {});
    this.store.publishNow();
  }

  /** The outcome a session ending now would have. */
  outcome(): Outcome {
    const s = this.state;
    if (s.rollback.run) return 'rolled-back';
    const phases = s.session?.runbook.phases ?? [];
    const allDone = phases.every((p) => p.steps.every((st) => ['passed', 'skipped'].includes(s.steps[st.id]?.status ?? '')) && (!p.gate || s.gates[p.id]?.decision === 'go'));
    if (allDone) return 'completed';
    if (Object.values(s.gates).some((g) => g.decision === 'no-go') || Object.values(s.steps).some((st) => st.status === 'failed')) return 'failed';
    return 'quit';
  }

  private blocker(stepId: string): Refusal {
    if (this.running.has(stepId)) return 'already running';
    return stepBlocker(this.state, stepId);
  }

  private findStep(id: string): Step | undefined {
    for (const p of this.state.session?.runbook.phases ?? []) for (const s of p.steps) if (s.id === id) return s;
    return undefined;
  }

  private phaseOf(id: string): string {
    return this.state.session?.runbook.phases.find((p) => p.steps.some((s) => s.id === id))?.id ?? '';
  }

  private launch(step: Step): void {
    const abort = new AbortController();
    this.running.set(step.id, abort);
    void (async () => {
      try {
        const manual = stepKind(step) === 'manual';
        await this.emit({ type: 'step/started', t: this.clock(), phase: this.phaseOf(step.id), step: step.id, ...(manual ? { operator: this.operator } : {}) });
        const r = await this.execute(step, abort.signal);
        if (r.ok) await this.emit({ type: 'step/passed', t: this.clock(), step: step.id, ...(r.detail ? { detail: r.detail } : {}) });
        else await this.emit({ type: 'step/failed', t: this.clock(), step: step.id, error: r.error });
      } catch {
        /* journal failure: reported by the store */
      } finally {
        this.running.delete(step.id);
      }
    })();
  }

  /** Runs one step's action; never throws. */
  private async execute(step: Step, signal: AbortSignal, level?: string): Promise<ProbeResult> {
    const rb = this.opts.runbook;
    const env = this.opts.env ?? process.env;
    const base = { ctx: this.ctx, step: step.id, signal, ...(level ? { level } : {}) };
    try {
      switch (stepKind(step)) {
        case 'manual':
          return { ok: true, detail: `ticked by ${this.operator}` };
        case 'wait':
          return await waitFor(step.wait!, signal);
        case 'http':
          return await httpProbe(step.http!, env, signal, this.clock);
        case 'expect':
          return await this.expect(step, signal);
        case 'run': {
          const hosts = rb.hosts?.[step.run!.on] ?? [];
          return fromExec(await this.opts.executors.remote({ ...base, group: step.run!.on, hosts, run: step.run!, runbook: rb }));
        }
        case 'local':
          return fromExec(await this.opts.executors.local({ ...base, local: step.local!, runbook: rb }));
      }
    } catch (e) {
      return { ok: false, error: (e as Error).message.split('\n')[0] };
    }
  }

  private async expect(step: Step, signal: AbortSignal): Promise<ProbeResult> {
    const deadline = this.clock() + (step.expect!.within ?? 0);
    for (;;) {
      const r = expectNow(step.expect!, this.state, this.clock());
      if (r.ok || this.clock() >= deadline || signal.aborted) return r;
      const w = await waitFor(Math.min(1000, deadline - this.clock()), signal);
      if (!w.ok) return r;
    }
  }

  private armCountdown(level: string, until: number): void {
    this.clearCountdown();
    this.countdown = setTimeout(() => {
      this.countdown = undefined;
      const rec = this.state.rollback.recommended;
      if (rec?.level === level && rec.countdownUntil === until && !this.rollbackAbort && !this.ended)
        this.confirmRollback(level, true, `auto (${rec.trigger ?? 'trigger'})`);
    }, Math.max(0, until - this.clock()));
  }

  private clearCountdown(): void {
    clearTimeout(this.countdown);
    this.countdown = undefined;
  }
}

function fromExec(r: ExecOutcome): ProbeResult {
  return r.ok ? { ok: true, detail: r.summary } : { ok: false, error: r.summary };
}

function waitFor(ms: number, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, error: 'cancelled' });
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve({ ok: true, detail: 'waited' });
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve({ ok: false, error: 'cancelled' });
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
