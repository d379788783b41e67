/** `cutover run -f RUNBOOK`: the console, live (or the timeline as plain lines without a terminal). */
import { parseArgs } from 'node:util';
import { loadRunbookFile } from '../runbook/load.js';
import { formatProblem } from '../runbook/problem.js';
import { LayoutError, loadLayout } from '../ui/layout/layout.js';
import type { ConsoleHint } from '../ui/model.js';
import { colorEnabled } from '../ui/theme.js';
import { ACCEPT_FLAG, planResume } from './run/resume.js';
import { operatorName, startSession } from './run/start.js';
import { printTimeline, runHeadless } from './run/headless.js';
import { EX_INCOMPLETE, recordVerdict } from './run/record.js';
import { sealJournal, type SignChoice } from './run/anchor.js';
import { METRICS_OPTION, metricsAddress, openMetrics } from './run/metrics.js';
import type { ConsoleMetrics } from '../metrics/console.js';
import { startLive } from './run/live.js';
import { UsageError, type Io } from './usage.js';

/** A runbook or layout that does not load (sysexits EX_DATAERR). */
export const EX_DATAERR = 65;

export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string', short: 'f' },
      operator: { type: 'string' },
      layout: { type: 'string' },
      resume: { type: 'string' },
      'accept-changed-runbook': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      'sign-key': { type: 'string' },
      'no-sign': { type: 'boolean' },
      ...METRICS_OPTION,
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (the runbook goes after -f)`);
  if (!values.file && !values.resume) throw new UsageError('name the runbook with -f RUNBOOK (or --resume JOURNAL)');
  if (values['accept-changed-runbook'] && !values.resume) throw new UsageError(`${ACCEPT_FLAG} goes with --resume JOURNAL`);
  const listen = metricsAddress(values['metrics-listen']);
  if (values.layout && !layoutLoads(values.layout, io)) return EX_DATAERR;
  let source: Parameters<typeof startSession>[0];
  const operator = operatorName(values.operator, io.env);
  if (values.resume) {
    const r = await planResume(values.resume, {
      ...(values.file !== undefined ? { file: values.file } : {}),
      accept: values['accept-changed-runbook'] ?? false,
      env: io.env,
    });
    if ('refused' in r) {
      // Nothing ran and the journal was not opened for writing: a runbook that does not load is 65, any other refusal 1.
      if (r.refused.problems) for (const p of r.refused.problems) io.err(`${formatProblem(p)}\n`);
      else io.err(`cutover run: ${r.refused.message}\n`);
      return r.refused.problems ? EX_DATAERR : 1;
    }
    const p = r.plan;
    for (const n of p.notices) io.err(`cutover run: ${n}\n`);
    source = {
      runbook: p.runbook,
      runbookPath: p.runbookPath,
      runbookSha256: p.runbookSha256,
      operator,
      mode: 'live',
      env: io.env,
      resume: { path: values.resume, events: p.events, ...(p.changes !== undefined ? { changes: p.changes } : {}) },
    };
  } else {
    const loaded = loadRunbookFile(values.file!, io.env);
    if (!loaded.runbook) {
      for (const p of loaded.problems) io.err(`${formatProblem(p)}\n`);
      return EX_DATAERR;
    }
    source = {
      runbook: loaded.runbook,
      runbookPath: values.file!,
      runbookSha256: loaded.sha256 ?? '',
      operator,
      mode: 'live',
      env: io.env,
    };
  }
  if (values['no-sign'] && values['sign-key']) throw new UsageError('--sign-key and --no-sign contradict each other');
  const sign: SignChoice = values['no-sign'] ? false : values['sign-key'] ? { keyFile: values['sign-key'] } : {};
  const opened = await openMetrics(listen, io, 'run');
  if ('code' in opened) return opened.code;
  const { metrics } = opened;
  return runConsole(source, io, {
    yes: values.yes ?? false,
    sign,
    ...(values.layout ? { layout: values.layout } : {}),
    ...(metrics ? { metrics } : {}),
  });
}

/** Checks a --layout before anything starts; prints its `FILE:LINE:COL` problems when it does not load. Shared with `demo`. */
export function layoutLoads(layout: string, io: Io): boolean {
  try {
    loadLayout(layout);
    return true;
  } catch (e) {
    if (!(e instanceof LayoutError)) throw e;
    io.err(`${e.message}\n`);
    return false;
  }
}

/** Starts the session and shows it: the Ink console on a terminal, plain lines otherwise. Shared with `demo`. */
export async function runConsole(
  source: Parameters<typeof startSession>[0],
  io: Io,
  o: { yes: boolean; layout?: string; metricsSource?: string; hint?: ConsoleHint; sign?: SignChoice; metrics?: ConsoleMetrics },
): Promise<number> {
  try {
    return await consoleSession(source, io, o);
  } finally {
    // Closed on every way out; after a session, it already was when the session ended.
    await o.metrics?.close();
  }
}

async function consoleSession(source: Parameters<typeof startSession>[0], io: Io, o: Parameters<typeof runConsole>[2]): Promise<number> {
  const tty = io.isTTY && Boolean(process.stdin.isTTY);
  let started: Awaited<ReturnType<typeof startSession>>;
  // On a terminal the status bar shows NOT RECORDING; without one, each change is a line of its own.
  const printStatus = tty
    ? undefined
    : (f: Error | undefined) =>
        io.err(f ? `cutover: NOT RECORDING: ${f.message}\n` : 'cutover: recording again: the journal has every event\n');
  const metrics = o.metrics;
  const onJournalStatus =
    printStatus || metrics
      ? (f: Error | undefined) => {
          metrics?.journalStatus(f);
          printStatus?.(f);
        }
      : undefined;
  try {
    started = await startSession({ ...source, ...(onJournalStatus ? { onJournalStatus } : {}) });
  } catch (e) {
    // No journal, no session: nothing ran. A new journal that cannot be created is a record failure (74).
    io.err(`cutover run: ${(e as Error).message.split('\n')[0]}; nothing was run\n`);
    return source.resume ? 1 : EX_INCOMPLETE;
  }
  const { session, journalPath, journal } = started;
  metrics?.attach(session);
  if (!tty) journal.watchHeadStatus((f) => f && io.err(`cutover: ${f.message}\n`));
  // The live socket (marks from scripts, a second approver): up with the session, gone with it.
  const live = await startLive(session, journalPath);
  if ('error' in live) io.err(`cutover: ${live.error}\n`);
  let code: number;
  try {
    code = await show(session, journalPath, io, { ...o, tty });
  } finally {
    if ('server' in live) await live.server.close();
  }
  // The session has ended: its metrics go with it (Prometheus marks the series stale).
  await metrics?.close();
  // Printed after the console has left the alternate screen, so it stays on the terminal.
  const verdict = recordVerdict(journal, io.env);
  if (verdict.message) io.err(verdict.message);
  // The demo passes no `sign`: its journal records a simulated fleet, not a deploy anyone signs for.
  await sealJournal(journal, o.sign ?? false, io);
  io.out(`journal: ${journalPath}\n`);
  return verdict.code ?? code;
}

/** The console on a terminal, or the timeline as plain lines; resolves with the exit code once the session ended. */
async function show(
  session: Awaited<ReturnType<typeof startSession>>['session'],
  journalPath: string,
  io: Io,
  o: { yes: boolean; layout?: string; metricsSource?: string; hint?: ConsoleHint; tty: boolean },
): Promise<number> {
  let code: number;
  if (o.tty) {
    const { runTty } = await import('./run/tty.js');
    code = await runTty(session, {
      color: colorEnabled(io.env),
      journalPath,
      ...(o.layout ? { layout: o.layout } : {}),
      ...(o.metricsSource ? { metricsSource: o.metricsSource } : {}),
      ...(o.hint ? { hint: o.hint } : {}),
    });
  } else {
    io.out(`journal: ${journalPath}\n`);
    const stop = printTimeline(session, io.out);
    const onSignal = (sig: NodeJS.Signals) => void session.end(undefined, `${sig} received`, { signal: true });
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, onSignal);
    try {
      code = await runHeadless(session, { yes: o.yes, out: io.out });
    } finally {
      stop();
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
    }
  }
  return code;
}
