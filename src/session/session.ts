/**
 * A live session: turns the operator's intents into events. Every intent is checked by core's
 * `refusal` first (the same rules the panes show); the step runner, the rollback runner and the
 * countdown do the work. Panes never call this directly; the console's bindings do.
 */
import { randomUUID } from 'node:crypto';
import type { SessionEvent, SessionEnded, Outcome } from '../core/events.js';
import type { SessionState } from '../core/state.js';
import { refusal, type Intent, type LiveFacts, type Refusal } from '../core/refusal.js';
import { selectOutcome, type Ending } from '../core/select-outcome.js';
import type { DriverContext } from '../drivers/context.js';
import type { JournalWriter } from '../journal/writer.js';
import type { Runbook, Step } from '../runbook/schema.js';
import type { Executors } from './executors.js';
import { EventStore } from './store.js';
import { redactRunbook } from './journaled-runbook.js';
import { redactEvent } from './redact-event.js';
import { Redactor } from '../drivers/exec/redact.js';
import { secretValues } from '../runbook/secrets.js';
import { StepRunner } from './step-runner.js';
import { RollbackRunner } from './rollback-runner.js';
import { Countdown, realSchedule, type Schedule } from './countdown.js';
import { rollbackHosts } from './rollback-hosts.js';
import { Approvals, needsSecond, type ApprovalAnswer } from './approvals.js';

export type { Refusal } from '../core/refusal.js';

/** Something that runs beside the session and emits events (the Prometheus poller, triggers). */
export interface Driver {
  stop(): Promise<void> | void;
  /**
   * Called after stop(), with `session/ended` just before it is journaled: a driver's last events
   * (the notifier's deliveries and what it could not deliver). The driver bounds its own wait.
   */
  beforeEnd?(ended: SessionEnded): Promise<void>;
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
  /** The session's clock (epoch ms); with `schedule`, tests move time by hand. */
  clock?: () => number;
  /** The session's timer (the auto-rollback countdown); default setTimeout. */
  schedule?: Schedule;
  env?: NodeJS.ProcessEnv;
  publishMs?: number;
  /** Hears each failed journal write (its error) and the first success after them (undefined). */
  onJournalStatus?: (failure: Error | undefined) => void;
  /**
   * How long cancelled steps get to settle (default 5 s): ending then records "outcome unknown" for
   * what has not reported, and a confirmed rollback starts anyway (the real executors settle within their kill grace).
   */
  cancelGraceMs?: number;
  /** Events already in the journal (resume): folded first, then a session/resumed event. Not kept once folded. */
  resumeFrom?: readonly SessionEvent[];
  /**
   * Resume with a runbook that differs from the journal's (the operator accepted it): what changed,
   * in one line. session/resumed then carries `runbook`, its path, sha256 and this summary.
   */
  resumeChanges?: string;
  /** Events the store keeps in memory behind the newest (default RECENT_EVENTS); older ones are read back from the journal. */
  recentEvents?: number;
}

export class Session {
  readonly store: EventStore;
  readonly ctx: DriverContext;
  readonly operator: string;
  private readonly steps: StepRunner;
  private readonly rollbacks: RollbackRunner;
  private readonly countdown: Countdown;
  /** Requests for a second approver (approvals: 2) and their answers. */
  private readonly approvals: Approvals;
  private drivers: Driver[] = [];
  private ending: Promise<void> | undefined;
  private readonly clock: () => number;
  /** The runbook's secret values and patterns, for the runbook copy and the free text of events. */
  private readonly redactor: Redactor;
  private readonly opts: Omit<SessionOptions, 'resumeFrom'>;
  /** Dropped once folded: a night of events is read back from the journal, not held twice. */
  private resumeFrom: readonly SessionEvent[] | undefined;

  constructor({ resumeFrom, ...opts }: SessionOptions) {
    this.opts = opts;
    this.resumeFrom = resumeFrom;
    this.clock = opts.clock ?? Date.now;
    this.redactor = new Redactor(opts.runbook.redact ?? [], secretValues(opts.runbook, opts.env ?? process.env));
    this.operator = opts.operator;
    this.store = new EventStore(opts.journal, opts.publishMs ?? 250, opts.onJournalStatus, opts.recentEvents);
    opts.journal?.watchStatus((f) => this.store.journalStatus(f));
    this.ctx = {
      emit: (e) => void this.emit(e).catch(() => {}),
      now: this.clock,
      state: () => this.state,
      // Events loaded on resume (no seq) were told before the restart.
      observe: (fn) => this.store.tap((e, seq) => seq !== undefined && fn(e, seq)),
    };
    const x = {
      runbook: opts.runbook,
      executors: opts.executors,
      ctx: this.ctx,
      env: opts.env ?? process.env,
      operator: opts.operator,
      state: () => this.state,
    };
    const emit = (e: SessionEvent) => this.emit(e);
    const seq = () => this.store.nextSeq();
    this.steps = new StepRunner(x, emit, seq);
    this.rollbacks = new RollbackRunner(x, emit, seq);
    this.countdown = new Countdown(this.clock, opts.schedule ?? realSchedule);
    this.approvals = new Approvals({
      operator: opts.operator,
      now: this.clock,
      state: () => this.state,
      refusal: (i) => this.refusal(i),
      emit,
      nextSeq: seq,
      notRecording: () => this.store.notRecording,
      perform: (x, requester, approvedBy, reason) =>
        x.kind === 'gate'
          ? this.decideGate(x.phase, x.decision, reason ?? '', approvedBy)
          : this.confirmRollback(x.level, false, requester, approvedBy),
    });
  }

  /** Starts the session: the first event, then the drivers. */
  async start(): Promise<void> {
    const o = this.opts;
    const resumed = this.resumeFrom;
    this.resumeFrom = undefined;
    if (resumed?.length) {
      this.store.load(resumed);
      const changed =
        o.resumeChanges !== undefined
          ? {
              // Redacted like the copy in session/started: the steps run from o.runbook.
              runbook: redactRunbook(o.runbook, this.redactor),
              runbookPath: o.runbookPath,
              runbookSha256: o.runbookSha256,
              runbookChanges: this.redactor.text(o.resumeChanges),
            }
          : {};
      await this.emit({ type: 'session/resumed', t: this.clock(), operator: o.operator, afterSeq: resumed.length, ...changed });
    } else {
      await this.emit({
        type: 'session/started',
        t: this.clock(),
        sessionId: randomUUID(),
        // Redacted like every journaled string; the steps run from o.runbook, never from this copy.
        runbook: redactRunbook(o.runbook, this.redactor),
        runbookPath: o.runbookPath,
        runbookSha256: o.runbookSha256,
        operator: o.operator,
        mode: o.mode,
        version: o.version,
      });
    }
    this.drivers = o.drivers?.(this.ctx) ?? [];
    const levels = rollbackHosts(o.runbook);
    const stopWarm = levels.length ? o.executors.warm?.(this.ctx, levels) : undefined;
    if (stopWarm) this.drivers.push({ stop: stopWarm });
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
    return this.steps.size > 0 || this.rollbacks.active;
  }

  /** What the journaled state cannot know: is the journal writing, what is launching, is a rollback running. */
  facts(): LiveFacts {
    return {
      ...(this.store.notRecording !== undefined ? { notRecording: this.store.notRecording } : {}),
      launching: this.steps.launching(),
      rollbackActive: this.rollbacks.active,
      ...(this.ending ? { ending: true } : {}),
    };
  }

  /** Why `intent` would be refused now (core's rules), or undefined. */
  refusal(intent: Intent): Refusal {
    return refusal(this.state, intent, this.clock(), this.facts());
  }

  /** Emits an event through the store (journal, then state); arms an auto-rollback countdown when one is recommended. */
  emit(e: SessionEvent): Promise<void> {
    const done = this.store.emit(redactEvent(e, this.redactor));
    if (e.type === 'rollback/recommended' && e.countdownUntil !== undefined)
      done.then(
        () => this.armCountdown(e.level, e.countdownUntil!),
        () => {},
      );
    // A recommendation that ended (its trigger resolved, its level ran, a newer one without a countdown) takes its countdown with it.
    else if (e.type.startsWith('trigger/') || e.type.startsWith('rollback/'))
      done.then(
        () => this.state.rollback.recommended?.countdownUntil === undefined && this.countdown.clear(),
        () => {},
      );
    return done;
  }

  /** Enter on a step: ticks a manual step, runs any other kind. */
  act(stepId: string): Refusal {
    return this.launch({ kind: 'run', step: stepId });
  }

  /** Retries a failed step. */
  retry(stepId: string): Refusal {
    return this.launch({ kind: 'retry', step: stepId });
  }

  /** Skips a step with the operator's reason (a decision: journaled before it shows). */
  skip(stepId: string, reason: string): Refusal {
    return this.decide(
      { kind: 'skip', step: stepId, reason },
      { type: 'step/skipped', t: this.clock(), step: stepId, reason: reason.trim(), operator: this.operator },
    );
  }

  /**
   * Decides a phase's gate. No-go needs a reason. A GO on a gate with approvals: 2 becomes a request
   * for a second person (`approvedBy` is set once one approved it).
   */
  decideGate(phaseId: string, decision: 'go' | 'no-go', reason: string, approvedBy?: string): Refusal {
    const why = reason.trim();
    const intent = { kind: 'gate', phase: phaseId, decision, reason, ...(approvedBy ? { approved: true } : {}) } as const;
    if (!approvedBy && needsSecond(this.opts.runbook, { kind: 'gate', phase: phaseId, decision }))
      return this.refusal(intent) ?? this.approvals.request({ kind: 'gate', phase: phaseId, decision }, why);
    return this.decide(intent, {
      type: 'gate/decided',
      t: this.clock(),
      phase: phaseId,
      decision,
      operator: this.operator,
      ...(approvedBy ? { approvedBy } : {}),
      ...(why ? { reason: why } : {}),
    });
  }

  /** Withdraws the operator's pending approval request (the newest when `id` is undefined). */
  withdrawApproval(id?: string): Refusal {
    return this.approvals.withdraw(id);
  }

  /** A second person's answer to a pending request (the live socket): its seq once journaled, or why it was refused. */
  answerApproval(a: ApprovalAnswer): Promise<{ seq: number } | { error: string }> {
    return this.approvals.answer(a);
  }

  /** Decides an inconclusive (marginal) canary, like a gate. No-go needs a reason. */
  decideJudge(decision: 'go' | 'no-go', reason: string): Refusal {
    const why = reason.trim();
    const score = this.state.judge?.latest.score ?? 0;
    return this.decide(
      { kind: 'judge', decision, reason },
      { type: 'judge/decided', t: this.clock(), decision, operator: this.operator, score, ...(why ? { reason: why } : {}) },
    );
  }

  /** Adds an operator's note to the timeline. */
  note(text: string): Refusal {
    return this.decide({ kind: 'note', text }, { type: 'note/added', t: this.clock(), operator: this.operator, text: text.trim() });
  }

  /**
   * Confirms and runs a rollback level (the second deliberate keystroke, or an auto trigger's countdown).
   * A level with approvals: 2 confirmed by a person becomes a request for a second one (`approvedBy`
   * is set once one approved it); an auto rollback never waits (validation keeps auto off such levels).
   */
  confirmRollback(levelId: string, auto = false, by = this.operator, approvedBy?: string): Refusal {
    const refused = this.refusal({
      kind: 'rollback',
      level: levelId,
      ...(auto ? { auto } : {}),
      ...(approvedBy ? { approved: true } : {}),
    });
    if (refused) return refused;
    if (!auto && !approvedBy && needsSecond(this.opts.runbook, { kind: 'rollback', level: levelId }))
      return this.approvals.request({ kind: 'rollback', level: levelId });
    // The runbook as given, not the journaled copy: that one's commands are redacted.
    const level = this.opts.runbook.rollback?.levels.find((l) => l.id === levelId);
    if (!level) return `rollback level '${levelId}' is not in the runbook`;
    this.countdown.clear();
    // The deploy stops first, within a bounded grace: an executor that never settles must not hold the way back.
    const graceMs = this.opts.cancelGraceMs ?? 5000;
    const stopDeploy = this.steps.size > 0 ? { graceMs, run: () => this.stopDeploy(graceMs) } : undefined;
    this.rollbacks.start(level, by, auto, stopDeploy, approvedBy);
    return undefined;
  }

  /** Aborts the running rollback: commands are cancelled, no further step starts. */
  abortRollback(reason = ''): Refusal {
    const refused = this.refusal({ kind: 'abort-rollback' });
    if (refused) return refused;
    const level = this.rollbacks.level ?? this.state.rollback.run?.level ?? '';
    void this.emit({ type: 'rollback/aborted', t: this.clock(), level, operator: this.operator, ...(reason ? { reason } : {}) }).catch(
      () => {},
    );
    this.rollbacks.cancel();
    return undefined;
  }

  /** Cancels an auto-rollback countdown, or dismisses the current recommendation. */
  dismissRecommendation(): Refusal {
    const refused = this.refusal({ kind: 'dismiss' });
    if (refused) return refused;
    this.countdown.clear();
    void this.emit({
      type: 'rollback/dismissed',
      t: this.clock(),
      level: this.state.rollback.recommended!.level,
      operator: this.operator,
    }).catch(() => {});
    return undefined;
  }

  /** Waits for the running rollback (tests, and quitting after an abort). */
  async rollbackSettled(): Promise<void> {
    await this.rollbacks.settled();
  }

  /**
   * Ends the session: a running rollback is aborted and running steps cancelled, and their commands'
   * exits (or "outcome unknown") are recorded before `session/ended`, which is always the last event.
   * `outcome` defaults to the selector's verdict once everything has settled.
   */
  end(outcome?: Outcome, reason?: string, ending: Ending = {}): Promise<void> {
    this.ending ??= this.finish(outcome, reason, ending);
    return this.ending;
  }

  /** The outcome a session ending now would have. */
  outcome(): Outcome {
    return selectOutcome(this.state);
  }

  private async finish(outcome: Outcome | undefined, reason: string | undefined, ending: Ending): Promise<void> {
    // From here every intent is refused (facts().ending), and the status bar says so.
    queueMicrotask(() => this.store.publishNow());
    // Decided before the cancellations below: ending (quit or a signal) while a step runs is `aborted`, not the `failed` its cancel would make it.
    const early =
      outcome ?? (this.steps.size > 0 && !this.rollbacks.active ? selectOutcome(this.state, { ...ending, signal: true }) : undefined);
    this.countdown.clear();
    if (this.rollbacks.active) {
      const level = this.rollbacks.level;
      if (level)
        await this.emit({
          type: 'rollback/aborted',
          t: this.clock(),
          level,
          operator: this.operator,
          reason: `the session ended${reason ? `: ${reason}` : ''}`,
        }).catch(() => {});
      this.rollbacks.cancel();
    }
    const cancelled = Promise.all([this.steps.cancelAll(), this.rollbacks.settled()]);
    await Promise.allSettled(this.drivers.map((d) => d.stop()));
    await settleWithin(cancelled, this.opts.cancelGraceMs ?? 5000);
    await this.store.settled();
    // Whatever did not report within the grace period: its outcome is unknown, and the record says so.
    for (const c of Object.values(this.state.commands))
      if (c.endedAt === undefined)
        await this.emit({
          type: 'command/exited',
          t: this.clock(),
          cmd: c.id,
          host: c.host,
          code: null,
          error: `outcome unknown: the session ended before ${c.host} reported an exit; the command may still be running there`,
          ms: this.clock() - c.startedAt,
        }).catch(() => {});
    for (const [step, st] of Object.entries(this.state.steps))
      if (st.status === 'running')
        await this.emit({ type: 'step/failed', t: this.clock(), step, error: 'outcome unknown: the session ended while it ran' }).catch(
          () => {},
        );
    const final = early ?? selectOutcome(this.state, ending);
    const ended: SessionEnded = { type: 'session/ended', t: this.clock(), outcome: final, ...(reason ? { reason } : {}) };
    // Redacted as it will be journaled: a driver may pass it on (the notifier tells webhooks).
    await Promise.allSettled(this.drivers.map((d) => d.beforeEnd?.(redactEvent(ended, this.redactor) as SessionEnded)));
    await this.emit({ ...ended, t: this.clock() }).catch(() => {});
    await this.store.settled();
    await this.opts.executors.close().catch(() => {});
    await this.opts.journal?.close().catch(() => {});
    this.store.publishNow();
  }

  /**
   * Cancels the deploy steps and waits for them at most `graceMs`; returns the deploy commands that may
   * still run then: those with no exit yet, and those whose exit says the host may still run them.
   */
  private async stopDeploy(graceMs: number): Promise<{ cmd: string; host: string }[]> {
    const deploying = new Set(
      Object.values(this.state.commands)
        .filter((c) => c.endedAt === undefined && c.level === undefined)
        .map((c) => c.id),
    );
    await settleWithin(this.steps.cancelAll(), graceMs);
    await this.store.settled();
    return Object.values(this.state.commands)
      .filter(
        (c) =>
          c.level === undefined &&
          (c.endedAt === undefined || (deploying.has(c.id) && /may still be running|outcome unknown/.test(c.error ?? ''))),
      )
      .map((c) => ({ cmd: c.id, host: c.host }));
  }

  /** A step intent: refused, or launched. */
  private launch(intent: Extract<Intent, { kind: 'run' | 'retry' }>): Refusal {
    const refused = this.refusal(intent);
    if (refused) return refused;
    const found = this.findStep(intent.step);
    if (!found) return `step '${intent.step}' is not in the runbook`;
    this.steps.launch(found.step, found.phase);
    return undefined;
  }

  /** A decision intent: refused, or journaled (and shown once it is on disk). */
  private decide(intent: Intent, e: SessionEvent): Refusal {
    const refused = this.refusal(intent);
    if (refused) return refused;
    void this.emit(e).catch(() => {});
    return undefined;
  }

  /** The step as the runbook gives it (the journaled copy's commands are redacted). */
  private findStep(id: string): { step: Step; phase: string } | undefined {
    for (const p of this.opts.runbook.phases) for (const s of p.steps) if (s.id === id) return { step: s, phase: p.id };
    return undefined;
  }

  private armCountdown(level: string, until: number): void {
    this.countdown.arm(until, () => {
      const rec = this.state.rollback.recommended;
      if (rec?.level === level && rec.countdownUntil === until && !this.ending)
        this.confirmRollback(level, true, `auto (${rec.trigger ?? 'trigger'})`);
    });
  }
}

/** Waits for `p`, at most `ms`. */
function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(
      () => {},
      () => {},
    ),
    new Promise<void>((r) => (timer = setTimeout(r, ms))),
  ]).finally(() => clearTimeout(timer));
}
