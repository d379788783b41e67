/** Builds a live session from a runbook (or a journal to resume): journal, executors, drivers. */
import { createRequire } from 'node:module';
import type { SessionEvent } from '../../core/events.js';
import type { DriverContext } from '../../drivers/context.js';
import { JournalWriter } from '../../journal/writer.js';
import { readJournal } from '../../journal/reader.js';
import { newJournalPath, sessionsDir } from '../../journal/paths.js';
import type { Runbook } from '../../runbook/schema.js';
import type { Executors } from '../../session/executors.js';
import { execDriverExecutors } from '../../session/exec-adapter.js';
import { Session, type Driver } from '../../session/session.js';
import { startNotifier } from '../../notify/driver.js';
export { operatorName } from './operator.js';

export interface StartOptions {
  runbook: Runbook;
  runbookPath: string;
  runbookSha256: string;
  operator: string;
  mode: 'live' | 'demo';
  env: NodeJS.ProcessEnv;
  /** A journal to continue instead of a new one; `changes` when the operator accepted a runbook that differs from the journal's. */
  resume?: { path: string; events: SessionEvent[]; changes?: string };
  executors?: Executors;
  /** Sparkline width hint for the poller. */
  sparkWidth?: number;
  /** Hears each failed journal write and the first success after them. */
  onJournalStatus?: (failure: Error | undefined) => void;
}

/** Opens the journal, creates the session with real executors, the Prometheus drivers and the notifier, starts it. */
export async function startSession(
  o: StartOptions,
): Promise<{ session: Session; journalPath: string; journal: JournalWriter<SessionEvent> }> {
  let journal: JournalWriter<SessionEvent>;
  let journalPath: string;
  if (o.resume) {
    journalPath = o.resume.path;
    journal = await JournalWriter.openForAppend<SessionEvent>(journalPath);
  } else {
    const dir = sessionsDir(o.env);
    journalPath = await newJournalPath(dir, o.runbook.name).catch((e: NodeJS.ErrnoException) => {
      throw new Error(
        `cannot create the sessions directory ${dir} (${e.code ?? e.message}): make it writable, or set XDG_STATE_HOME to a directory that is`,
      );
    });
    journal = await JournalWriter.create<SessionEvent>(journalPath);
  }
  const session = new Session({
    runbook: o.runbook,
    runbookPath: o.runbookPath,
    runbookSha256: o.runbookSha256,
    operator: o.operator,
    mode: o.mode,
    version: version(),
    journal,
    executors: o.executors ?? execDriverExecutors(o.runbook, { env: o.env }),
    drivers: (ctx) => {
      const notifier = startNotifier(o.runbook, ctx, { env: o.env });
      return [...startDrivers(o.runbook, ctx, o.env, o.sparkWidth), ...(notifier ? [notifier] : [])];
    },
    env: o.env,
    ...(o.onJournalStatus ? { onJournalStatus: o.onJournalStatus } : {}),
    ...(o.resume ? { resumeFrom: o.resume.events } : {}),
    ...(o.resume?.changes !== undefined ? { resumeChanges: o.resume.changes } : {}),
  });
  await session.start();
  return { session, journalPath, journal };
}

/**
 * Reads a journal to resume: its events and the runbook it last recorded (session/started's, or
 * that of the latest session/resumed that changed it), with its path and sha256. Throws a one-line
 * error when it cannot.
 */
export function readForResume(path: string): { events: SessionEvent[]; runbook: Runbook; runbookPath: string; runbookSha256: string } {
  const r = readJournal<SessionEvent>(path);
  if (r.problems.length)
    throw new Error(`${path}:${r.problems[0].line}: ${r.problems[0].message}; the journal is damaged (cutover verify ${path} tells more)`);
  const first = r.entries[0]?.event;
  if (first?.type !== 'session/started') throw new Error(`${path}: not a cutover journal (the first line is not session/started)`);
  const last = r.entries.at(-1)!.event;
  if (last.type === 'session/ended')
    throw new Error(
      `${path}: this session already ended (${last.outcome}, ${new Date(last.t).toISOString()}); an ended session is not resumed: start a new one with cutover run -f ${first.runbookPath}`,
    );
  const events = r.entries.map((x) => x.event);
  let rb = { runbook: first.runbook, runbookPath: first.runbookPath, runbookSha256: first.runbookSha256 };
  for (const e of events)
    if (e.type === 'session/resumed' && e.runbook)
      rb = { runbook: e.runbook, runbookPath: e.runbookPath ?? rb.runbookPath, runbookSha256: e.runbookSha256 ?? '' };
  return { events, ...rb };
}

function startDrivers(rb: Runbook, ctx: DriverContext, env: NodeJS.ProcessEnv, sparkWidth?: number): Driver[] {
  if (!rb.prometheus || !(rb.health?.length || rb.alertmanager)) return [];
  const drivers: Driver[] = [];
  let stopped = false;
  const loading = Promise.all([
    import('../../drivers/prometheus/poller.js'),
    import('../../drivers/prometheus/alerts.js'),
    import('../../drivers/triggers.js'),
    import('../../judge/driver.js'),
  ]).then(([p, a, t, j]) => {
    if (stopped) return;
    const tctx = t.withTriggers(ctx, rb);
    drivers.push(p.startPoller(rb, tctx, { env, ...(sparkWidth ? { sparkWidth } : {}) }));
    // The judge journals through the plain context: only judgments that change something are
    // journaled, and the trigger evaluator sees every one.
    const judge = j.startJudge(rb, ctx, {
      env,
      evaluate: (e) => {
        for (const o of tctx.evaluator.observe(e)) ctx.emit(o);
      },
    });
    if (judge) drivers.push(judge);
    const alerts = a.startAlertsPoller(rb, ctx, { env });
    if (alerts) drivers.push(alerts);
  });
  return [
    {
      stop: async () => {
        stopped = true;
        await loading;
        await Promise.all(drivers.map((d) => d.stop()));
      },
    },
  ];
}

function version(): string {
  return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
}
