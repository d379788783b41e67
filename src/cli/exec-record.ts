/**
 * `cutover exec` keeps a journal like a session's: an ad-hoc command on production hosts is
 * exactly what an audit asks about. The same rules hold: a journal that cannot be created means
 * nothing runs; one that fails mid-run says NOT RECORDING on stderr, holds the events, retries,
 * and leaves them in a fallback file with exit 74; `session/ended` is the last event.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Outcome, SessionEvent } from '../core/events.js';
import type { DriverContext } from '../drivers/context.js';
import { isDecision } from '../journal/event.js';
import { JournalWriter } from '../journal/writer.js';
import { newJournalPath, sessionsDir } from '../journal/paths.js';
import type { Runbook } from '../runbook/schema.js';
import { journaledRunbook } from '../session/journaled-runbook.js';
import { recordVerdict } from './run/record.js';
import type { Io } from './usage.js';

/** A journaled exec: the context the driver emits through, and the ending. */
export interface ExecRecord {
  path: string;
  /** Emits to the journal (and `also`, for the printed output). */
  ctx(also: (e: SessionEvent) => void): DriverContext;
  /** Records the ending; resolves to the exit code that overrides the command's (74 when the journal is incomplete). */
  end(outcome: Outcome, reason?: string): Promise<number | undefined>;
  /** A second Ctrl-C: records the ending and closes the journal synchronously, right before the process exits. */
  abandon(): void;
}

/** Creates the journal and records the start; throws a one-line error when it cannot (then nothing may run). */
export async function openExecRecord(o: {
  runbook: Runbook;
  runbookPath: string;
  runbookSha256: string;
  group: string;
  hosts: number;
  operator: string;
  io: Io;
}): Promise<ExecRecord> {
  const path = await newJournalPath(sessionsDir(o.io.env), `${o.runbook.name} exec ${o.group}`).catch((e: Error) => {
    throw new Error(`cannot create a journal in ${sessionsDir(o.io.env)}: ${e.message}; nothing was run`);
  });
  const journal = await JournalWriter.create<SessionEvent>(path).catch((e: Error) => {
    throw new Error(`${e.message}; nothing was run`);
  });
  // Straight to the journal: exec shows no state, so nothing is folded (the console's store would
  // reduce every output line and load the console's modules for it).
  // As in the console: a decision waits for its fsync unless the journal is failing (then it holds
  // in memory and goes on); other events do not wait.
  let notRecording: string | undefined;
  const waiting = new Set<() => void>();
  journal.watchStatus((f) => {
    notRecording = f?.message;
    o.io.err(f ? `cutover exec: NOT RECORDING: ${f.message}\n` : 'cutover exec: recording again\n');
    if (f) for (const wake of [...waiting]) wake();
  });
  const store = {
    emit(e: SessionEvent): Promise<void> {
      const appended = journal.append(e);
      // A line the journal never writes is kept by it for the fallback file.
      appended.catch(() => {});
      if (!isDecision(e.type) || notRecording !== undefined) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const wake = () => {
          waiting.delete(wake);
          resolve();
        };
        waiting.add(wake);
        appended.then(wake, wake);
      });
    },
  };
  const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  await store.emit({
    type: 'session/started',
    t: Date.now(),
    sessionId: randomUUID(),
    runbook: journaledRunbook(o.runbook, o.io.env),
    runbookPath: o.runbookPath,
    runbookSha256: o.runbookSha256,
    operator: o.operator,
    mode: 'live',
    version,
  });
  await store.emit({
    type: 'note/added',
    t: Date.now(),
    operator: o.operator,
    text: `cutover exec on ${o.group} (${o.hosts} host${o.hosts === 1 ? '' : 's'})`,
  });
  if (notRecording !== undefined) {
    await store.emit({ type: 'session/ended', t: Date.now(), outcome: 'failed', reason: `not recording: ${notRecording}` }).catch(() => {});
    await journal.close().catch(() => {});
    throw new Error(`the journal ${path} cannot be written (${notRecording}); nothing was run`);
  }
  return {
    path,
    ctx: (also) => ({
      emit: (e) => {
        also(e);
        void store.emit(e).catch(() => {});
      },
      now: Date.now,
    }),
    abandon() {
      journal
        .append({
          type: 'session/ended',
          t: Date.now(),
          outcome: 'aborted',
          reason: 'a second Ctrl-C: quit at once; commands still running may go on',
        })
        .catch(() => {});
      try {
        journal.closeSync();
      } catch (e) {
        o.io.err(`cutover exec: ${(e as Error).message}\n`);
      }
    },
    async end(outcome, reason) {
      await store.emit({ type: 'session/ended', t: Date.now(), outcome, ...(reason ? { reason } : {}) }).catch(() => {});
      await journal.close().catch(() => {});
      const verdict = recordVerdict(journal, o.io.env);
      if (verdict.message) o.io.err(verdict.message);
      return verdict.code;
    },
  };
}
