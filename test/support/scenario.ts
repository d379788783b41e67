/**
 * Recording sessions with the real code: a real Session, journal, reducer and trigger evaluator,
 * on a clock the script moves by hand (so journals are deterministic). Local steps run for real
 * (execa); remote hosts are simulated with the driver's event sequence, since there are no SSH
 * hosts to run on (test/scenario does that against real sshd).
 */
import { createHash } from 'node:crypto';
import type { SessionEvent, Unstamped } from '../../src/core/index.js';
import type { DriverContext } from '../../src/drivers/context.js';
import { withTriggers } from '../../src/drivers/triggers.js';
import { JournalWriter } from '../../src/journal/index.js';
import { assertPlainJson } from '../../src/core/index.js';
import { loadRunbookText, type Runbook } from '../../src/runbook/index.js';
import { execDriverExecutors } from '../../src/session/exec-adapter.js';
import type { Executors } from '../../src/session/executors.js';
import { Session } from '../../src/session/session.js';

/** 2026-11-21 22:00:00 UTC: the recorded sessions start here. */
export const T0 = Date.UTC(2026, 10, 21, 22, 0, 0);

/** A clock the script sets: `at(90)` is T0 + 90 s. */
export class ManualClock {
  t = T0;
  readonly now = () => this.t;
  at(seconds: number): void {
    this.t = T0 + seconds * 1000;
  }
}

/** How a simulated host answers: exit code, output, how many seconds it takes; `hang` never exits (a crash test). */
export type HostScript = (host: string, command: string, attempt: number) => { code: number; out: string; secs?: number } | 'hang';

/** Executors: remote commands simulated per host, local ones run for real through the exec driver. */
export function hybridExecutors(rb: Runbook, script: HostScript, clock?: ManualClock): Executors & { calls: string[] } {
  const real = execDriverExecutors(rb, { env: process.env });
  const tries = new Map<string, number>();
  const calls: string[] = [];
  return {
    calls,
    async remote(req) {
      const attempt = (tries.get(req.step) ?? 0) + 1;
      tries.set(req.step, attempt);
      let ok = 0;
      const hang: Promise<never>[] = [];
      for (const h of req.hosts) {
        const cmd = `${req.id ?? `${req.step}#${attempt}`}@${h.host}`;
        calls.push(`${h.host}: ${req.run.command}`);
        const emit = (e: Unstamped) => req.ctx.emit({ ...e, t: req.ctx.now() } as SessionEvent);
        emit({
          type: 'command/started',
          cmd,
          step: req.step,
          host: h.host,
          command: req.run.command,
          ...(req.level ? { level: req.level } : {}),
        } as SessionEvent);
        const r = script(h.host, req.run.command, attempt);
        if (r === 'hang') {
          emit({ type: 'command/output', cmd, host: h.host, stream: 'stdout', text: 'activating…\n' });
          hang.push(new Promise<never>(() => {}));
          continue;
        }
        // Time passes on the hosts as the script says: journals get realistic durations.
        if (clock && r.secs) clock.t += r.secs * 1000;
        if (r.out) emit({ type: 'command/output', cmd, host: h.host, stream: r.code ? 'stderr' : 'stdout', text: r.out });
        emit({ type: 'command/exited', cmd, host: h.host, code: r.code, ms: (r.secs ?? 0) * 1000 });
        if (r.code === 0) ok++;
      }
      if (hang.length) await Promise.race(hang);
      const n = req.hosts.length;
      return ok === n ? { ok: true, summary: `${n}/${n} hosts ok` } : { ok: false, summary: `${ok}/${n} ok; ${n - ok} failed` };
    },
    local: (req) => real.local(req),
    connections: () => 0,
    close: () => real.close(),
  };
}

/** A recording in progress: the session, its clock, and a context whose samples go through the triggers. */
export interface Recording {
  session: Session;
  clock: ManualClock;
  journal: JournalWriter<SessionEvent>;
  exec: ReturnType<typeof hybridExecutors>;
  /** Emits a sample of a panel (and the trigger transitions it causes), as the poller would. */
  sample(panel: string, value: number, baseline?: number): Promise<void>;
  /** Waits until the predicate holds on the session's state. */
  until(pred: (s: Session['state']) => boolean): Promise<void>;
}

/** Starts a live session on a runbook given as YAML, journaled at `path`. */
export async function record(
  path: string,
  yaml: string,
  script: HostScript,
  o: { operator?: string; publishMs?: number; runbookPath?: string } = {},
): Promise<Recording> {
  const loaded = loadRunbookText('runbook.yaml', yaml);
  if (!loaded.runbook) throw new Error(loaded.problems.map((p) => `${p.line}:${p.col}: ${p.message}`).join('\n'));
  const rb = loaded.runbook;
  const clock = new ManualClock();
  const journal = await JournalWriter.create<SessionEvent>(path, { assert: assertPlainJson });
  const exec = hybridExecutors(rb, script, clock);
  const session = new Session({
    runbook: rb,
    runbookPath: o.runbookPath ?? 'runbook.yaml',
    runbookSha256: createHash('sha256').update(yaml).digest('hex'),
    operator: o.operator ?? 'alice',
    mode: 'live',
    version: '0.1.0',
    journal,
    executors: exec,
    clock: clock.now,
    publishMs: o.publishMs ?? 5,
  });
  await session.start();
  const ctx: DriverContext = withTriggers(session.ctx, rb);
  const until = (pred: (s: Session['state']) => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => session.store.settled().then(() => (pred(session.state) ? resolve() : setTimeout(check, 5)));
      check();
    });
  return {
    session,
    clock,
    journal,
    exec,
    until,
    async sample(panel, value, baseline) {
      const series = [{ labels: {}, value }];
      ctx.emit({
        type: 'metric/sampled',
        t: clock.t,
        panel,
        at: clock.t,
        series,
        ...(baseline !== undefined ? { baseline: [{ labels: {}, value: baseline }] } : {}),
      });
      await session.store.settled();
    },
  };
}
